"""A 375 px wide phone: the navigation folds away and pages fit the width."""

from playwright.sync_api import expect

from tandem.core.testing import make_org


def test_the_navigation_opens_from_the_menu_button_and_pages_fit_the_screen(phone, sign_in):
    make_org()
    sign_in(phone, "staff")
    phone.goto("/people/employees/")
    nav = phone.locator("#td-sidebar")
    expect(nav).not_to_be_visible()

    phone.get_by_role("button", name="打开导航").click()
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="部门").click()
    expect(phone.locator("h1")).to_have_text("部门")

    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
