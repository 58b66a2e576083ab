"""Signing in and out in a real browser."""

from playwright.sync_api import expect

from tandem.core.testing import make_org


def test_a_visitor_is_sent_to_sign_in_and_lands_on_the_dashboard(page, sign_in):
    make_org()
    page.goto("/people/employees/")
    expect(page).to_have_url("/login/?next=/people/employees/")

    sign_in(page, "hr")

    expect(page).to_have_url("/people/employees/")
    expect(page.locator("h1")).to_have_text("员工")
    expect(page.locator(".td-company")).to_have_text("星河科技")


def test_a_wrong_password_is_refused_with_a_message(page, sign_in):
    make_org()
    sign_in(page, "hr", password="not-the-password")
    expect(page).to_have_url("/login/")
    expect(page.locator(".alert-danger, .errorlist").first).to_be_visible()


def test_signing_out_ends_the_session(page, sign_in):
    make_org()
    sign_in(page, "staff")
    page.get_by_role("button", name="账号").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url("/login/")
    page.goto("/")
    expect(page).to_have_url("/login/?next=/")
