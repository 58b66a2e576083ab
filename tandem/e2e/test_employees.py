"""HR hires someone through the form and finds them in the list."""

from django_scopes import scope
from playwright.sync_api import expect

from tandem.core.testing import make_org
from tandem.org.models import Employee, JobHistory


def test_hr_creates_an_employee_and_finds_them_by_search(page, sign_in):
    org = make_org()
    sign_in(page, "hr")
    page.goto("/people/employees/")
    page.get_by_role("link", name="新增员工").click()

    page.fill("input[name=employee_number]", "E20261")
    page.fill("input[name=name]", "顾晓岚")
    page.fill("input[name=english_name]", "Lan Gu")
    page.select_option("select[name=department]", label="平台组")
    page.select_option("select[name=manager]", value=str(org.employees["lead"].pk))
    page.fill("input[name=hire_date]", "2026-11-16")
    page.fill("input[name=phone]", "138 1234 5678")
    page.get_by_role("button", name="保存").click()

    expect(page.locator("h1")).to_contain_text("顾晓岚")
    with scope(company=org.company.pk):
        created = Employee.objects.get(employee_number="E20261")
        assert (created.name, created.department, created.manager) == (
            "顾晓岚", org.platform, org.employees["lead"],
        )
        assert JobHistory.objects.filter(employee=created).count() == 1

    page.goto("/people/employees/")
    results = page.locator("#employee-results")
    expect(results.locator("tbody tr")).to_have_count(7)
    page.get_by_role("searchbox").fill("晓岚")
    # htmx replaces the results as the user types, and keeps the URL in step.
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("E20261")
    expect(page).to_have_url("/people/employees/?q=%E6%99%93%E5%B2%9A&department=&status=&position=")


def test_a_form_error_is_shown_on_the_field_and_nothing_is_saved(page, sign_in):
    org = make_org()
    sign_in(page, "hr")
    page.goto("/people/employees/new/")
    page.fill("input[name=employee_number]", org.employees["peer"].employee_number)
    page.fill("input[name=name]", "重复工号")
    page.select_option("select[name=department]", label="销售部")
    page.fill("input[name=hire_date]", "2026-11-16")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".invalid-feedback").first).to_be_visible()
    with scope(company=org.company.pk):
        assert not Employee.objects.filter(name="重复工号").exists()


def test_an_employee_sees_no_way_to_add_people(page, sign_in):
    make_org()
    sign_in(page, "staff")
    page.goto("/people/employees/")
    expect(page.locator("h1")).to_have_text("员工")
    expect(page.get_by_role("link", name="新增员工")).to_have_count(0)
    expect(page.locator(".td-nav")).not_to_contain_text("设置")
