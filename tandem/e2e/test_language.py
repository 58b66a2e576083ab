"""Chinese by default, English on request, remembered across pages."""

from playwright.sync_api import expect

from tandem.core.testing import make_org


def switch_language(page, name):
    page.locator("button.dropdown-toggle:has(+ [data-td-language])").click()
    page.locator("[data-td-language]").get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_the_switch_changes_the_language_of_every_page_and_keeps_the_current_page(page, sign_in):
    make_org()
    sign_in(page, "hr")
    page.goto("/people/departments/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".td-nav")).to_contain_text("部门")

    switch_language(page, "English")

    expect(page).to_have_url("/people/departments/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Departments")
    # Department names follow the language too.
    expect(page.locator("main")).to_contain_text("R&D")
    page.goto("/people/employees/")
    expect(page.locator("h1")).to_have_text("Employees")

    switch_language(page, "简体中文")
    expect(page.locator("h1")).to_have_text("员工")


def test_the_sign_in_page_has_the_switch_too(page):
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url("/login/")
