"""The salary-data pages: who sees what (HR, finance, the employee's own, bank accounts
masked), the forms through the services with their errors, the month's attendance grid
(all or nothing) and pay items, and a constant number of queries on the lists."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay.models import AttendanceSummary, DeductionDeclaration, PayItem, SalaryProfile
from tandem.pay.testing import give_profile, make_pay


@pytest.fixture
def pay(org):
    return make_pay(org)


def get(client, url, lang="en"):
    client.cookies["tandem_language"] = lang
    return client.get(url)


def post(client, url, data, lang="en"):
    client.cookies["tandem_language"] = lang
    return client.post(url, data)


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["hr", "finance"])
def test_hr_and_finance_list_everyones_profile_with_masked_accounts(org, pay, client_as, role):
    response = get(client_as(org.users[role]), reverse("pay:salary_profiles"))
    html = response.content.decode()
    assert response.status_code == 200
    assert org.employees["staff"].employee_number in html
    assert org.employees["peer"].employee_number in html
    assert "************5678" in html and "6225880112345678" not in html
    assert "20,000.00" in html and "15,000.00" in html and "7 %" in html
    assert (reverse("pay:salary_profile_create") in html) == (role == "hr")
    assert ' style="' not in html


@pytest.mark.parametrize("role", ["staff", "lead", "owner"])
def test_others_list_only_their_own_profile(org, pay, client_as, role):
    html = get(client_as(org.users[role]), reverse("pay:salary_profiles")).content.decode()
    assert (org.employees["staff"].employee_number in html) == (role == "staff")
    assert org.employees["peer"].employee_number not in html
    assert reverse("pay:salary_profile_create") not in html
    assert reverse("pay:import_salary_profiles") not in html


def test_the_employee_reads_their_profile_with_its_history_but_not_the_account(
        org, pay, client_as):
    response = get(client_as(org.users["staff"]),
                   reverse("pay:salary_profile_detail", args=[pay.staff_profile.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="col-sm-8 td-figures" id="bank-account">************5678</dd>' in html
    assert "6225880112345678" not in html
    assert "In force" in html and "餐补" in html
    assert reverse("pay:salary_profile_edit", args=[pay.staff_profile.pk]) not in html


@pytest.mark.parametrize("role", ["owner", "lead", "peer"])
def test_no_one_else_reads_staffs_profile(org, pay, client_as, role):
    response = get(client_as(org.users[role]),
                   reverse("pay:salary_profile_detail", args=[pay.staff_profile.pk]))
    assert response.status_code == 403


def test_another_companys_profile_is_a_404(org, other_org, client_as):
    other = make_pay(other_org)
    response = get(client_as(org.users["hr"]),
                   reverse("pay:salary_profile_detail", args=[other.staff_profile.pk]))
    assert response.status_code == 404


def test_the_detail_shows_the_effective_dated_timeline(org, pay, client_as):
    with scope(company=org.company.pk):
        newer = give_profile(org, "staff", "24000.00", effective_from=date(2026, 7, 1))
    html = get(client_as(org.users["hr"]),
               reverse("pay:salary_profile_detail", args=[pay.staff_profile.pk])).content.decode()
    timeline = html.split('id="timeline"')[1].split('id="change-history"')[0]
    # Newest first; the older one ends the day before the newer starts.
    assert timeline.index("2026-07-01") < timeline.index("2026-01-01")
    assert "2026-06-30" in timeline and "24,000.00" in timeline
    assert reverse("pay:salary_profile_detail", args=[newer.pk]) in timeline


def test_employees_see_their_own_declarations_read_only(org, pay, client_as):
    html = get(client_as(org.users["staff"]), reverse("pay:deduction_list")).content.decode()
    assert "Children&#x27;s education" in html or "Children's education" in html
    assert org.employees["peer"].employee_number not in html
    assert reverse("pay:deduction_edit", args=[pay.staff_declaration.pk]) not in html


@pytest.mark.parametrize(("name", "role", "status"), [
    ("pay:attendance", "finance", 200), ("pay:attendance", "staff", 403),
    ("pay:pay_items", "finance", 200), ("pay:pay_items", "peer", 403),
    ("pay:openings", "hr", 200), ("pay:openings", "owner", 403),
])
def test_the_months_inputs_are_for_hr_and_finance(org, pay, client_as, name, role, status):
    assert get(client_as(org.users[role]), reverse(name)).status_code == status


# --- forms ----------------------------------------------------------------------------------


def profile_data(org, **overrides):
    with scope(company=org.company.pk):
        data = {
            "employee": org.employees["lead"].pk, "effective_from": "2026-02-01",
            "base_monthly_wage": "18000.00", "city": str(_shanghai().pk),
            "insurance_base": "18000.00", "housing_fund_rate": "0.07",
            "bank_name": "工商银行", "bank_account": "6222 0000 1111 2222", "note": "",
            "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
            "items-0-kind": "allowance", "items-0-name": "交通补贴", "items-0-amount": "300",
            "items-0-taxable": "on",
        }
    data.update(overrides)
    return data


def _shanghai():
    from tandem.pay.models import City

    return City.objects.get(code="shanghai")


def test_hr_creates_a_profile_with_its_items(org, pay, client_as):
    response = post(client_as(org.users["hr"]), reverse("pay:salary_profile_create"),
                    profile_data(org))
    with scope(company=org.company.pk):
        profile = SalaryProfile.objects.get(employee=org.employees["lead"])
        assert response.status_code == 302
        assert response["Location"] == reverse("pay:salary_profile_detail", args=[profile.pk])
        assert profile.bank_account == "6222000011112222"
        assert [(i.name, i.amount) for i in profile.items.all()] == [("交通补贴",
                                                                     Decimal("300.00"))]


def test_the_services_errors_show_on_the_form_and_nothing_is_saved(org, pay, client_as):
    response = post(client_as(org.users["hr"]), reverse("pay:salary_profile_create"),
                    profile_data(org, housing_fund_rate="0.20", bank_account="12ab"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "The housing fund rate must be between 5 % and 7 % in this city." in html
    assert "Enter the account number: 8 to 30 digits" in html
    with scope(company=org.company.pk):
        assert not SalaryProfile.objects.filter(employee=org.employees["lead"]).exists()


def test_editing_keeps_the_account_when_left_empty(org, pay, client_as):
    url = reverse("pay:salary_profile_edit", args=[pay.staff_profile.pk])
    client = client_as(org.users["hr"])
    form_html = get(client, url).content.decode()
    assert "6225880112345678" not in form_html and "Now ************5678" in form_html
    data = profile_data(org, effective_from="2026-01-01", base_monthly_wage="21000.00",
                        bank_account="", version=str(pay.staff_profile.version))
    data.pop("employee")
    response = post(client, url, data)
    assert response.status_code == 302
    with scope(company=org.company.pk):
        profile = SalaryProfile.objects.get(pk=pay.staff_profile.pk)
        assert profile.base_monthly_wage == Decimal("21000.00")
        assert profile.bank_account == "6225880112345678"
        assert [i.name for i in profile.items.all()] == ["交通补贴"]


def test_an_edit_from_an_old_version_is_refused(org, pay, client_as):
    data = profile_data(org, effective_from="2026-01-01", version="99")
    data.pop("employee")
    response = post(client_as(org.users["hr"]),
                    reverse("pay:salary_profile_edit", args=[pay.staff_profile.pk]), data)
    assert response.status_code == 400 and 'id="edit-conflict"' in response.content.decode()


def test_hr_declares_a_deduction_and_the_rules_apply(org, pay, client_as):
    client = client_as(org.users["hr"])
    data = {"employee": org.employees["lead"].pk, "category": "children_education",
            "variant": "", "share": "0.3", "dependant": "小林", "from_month": "2026-01"}
    response = post(client, reverse("pay:deduction_create"), data)
    assert response.status_code == 400
    assert "Parents share this deduction 50/50" in response.content.decode()
    response = post(client, reverse("pay:deduction_create"), {**data, "share": "1"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        declaration = DeductionDeclaration.objects.get(employee=org.employees["lead"])
        assert declaration.from_month == date(2026, 1, 1) and declaration.share == 1


# --- attendance grid ------------------------------------------------------------------------


def grid_data(org, month_rows: dict) -> dict:
    data = {}
    for key, fields in month_rows.items():
        for name, value in fields.items():
            data[f"e{org.employees[key].pk}-{name}"] = value
    return data


def test_the_grid_lists_the_months_employees_with_their_figures(org, pay, client_as):
    html = get(client_as(org.users["finance"]),
               reverse("pay:attendance") + "?month=2026-10").content.decode()
    assert html.count('id="employee-') == len(org.employees)
    assert "21.75" in html and "Save the month" not in html  # finance reads only


def test_hr_saves_the_month_at_once(org, pay, client_as):
    url = reverse("pay:attendance") + "?month=2026-10"
    data = grid_data(org, {
        "staff": {"paid_days": "20", "absence_days": "1", "overtime_workday_hours": "4"},
        "lead": {"paid_days": "21.75"},
    })
    response = post(client_as(org.users["hr"]), url, data)
    assert response.status_code == 302
    with scope(company=org.company.pk):
        month = AttendanceSummary.objects.filter(month=date(2026, 10, 1))
        figures = {s.employee_id: (s.paid_days, s.absence_days) for s in month}
    assert figures[org.employees["staff"].pk] == (Decimal("20.00"), Decimal("1.00"))
    assert figures[org.employees["lead"].pk] == (Decimal("21.75"), Decimal("0.00"))
    # peer's row was sent empty: their existing summary is kept as it was.
    assert figures[org.employees["peer"].pk] == (Decimal("21.75"), Decimal("0.00"))


def test_one_bad_row_saves_nothing(org, pay, client_as):
    url = reverse("pay:attendance") + "?month=2026-10"
    data = grid_data(org, {
        "lead": {"paid_days": "21.75"},
        "staff": {"paid_days": "20", "absence_days": "20", "unpaid_leave_days": "15"},
    })
    response = post(client_as(org.users["hr"]), url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Absence and unpaid leave add up to more than the 31 days of the month." in html
    assert "nothing was saved" in html
    with scope(company=org.company.pk):
        assert not AttendanceSummary.objects.filter(employee=org.employees["lead"]).exists()
        assert AttendanceSummary.objects.get(
            employee=org.employees["staff"], month=date(2026, 10, 1)).absence_days == 0


# --- pay items ------------------------------------------------------------------------------


def test_hr_adds_changes_and_deletes_a_pay_item(org, pay, client_as):
    client = client_as(org.users["hr"])
    response = post(client, reverse("pay:pay_item_create"), {
        "employee": org.employees["lead"].pk, "month": "2026-11", "kind": "allowance",
        "name": "高温补贴", "amount": "300.00", "taxable": "on"})
    assert response.status_code == 302 and response["Location"].endswith("?month=2026-11")
    with scope(company=org.company.pk):
        item = PayItem.objects.get(name="高温补贴")
    html = get(client, reverse("pay:pay_items") + "?month=2026-11").content.decode()
    assert "高温补贴" in html and "季度奖" in html and "300.00" in html
    response = post(client, reverse("pay:pay_item_delete", args=[item.pk]), {})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert not PayItem.objects.filter(pk=item.pk).exists()


def test_a_pay_item_of_an_approved_month_is_refused(org, pay, client_as):
    response = post(client_as(org.users["hr"]), reverse("pay:pay_item_create"), {
        "employee": org.employees["lead"].pk, "month": "2026-09", "kind": "allowance",
        "name": "补发", "amount": "100.00"})
    assert response.status_code == 409
    assert "The payroll of this month is approved" in response.content.decode()


def test_a_negative_bonus_is_a_form_error(org, pay, client_as):
    response = post(client_as(org.users["hr"]), reverse("pay:pay_item_create"), {
        "employee": org.employees["lead"].pk, "month": "2026-11", "kind": "regular_bonus",
        "name": "奖金", "amount": "-5"})
    assert response.status_code == 400
    assert "Enter a positive amount; recover money with a correction." in (
        response.content.decode())


# --- query counts ---------------------------------------------------------------------------


def _more_employees(org, count: int) -> None:
    with scope(company=org.company.pk):
        for n in range(count):
            employee = make_employee(org.company, org.sales, name=f"加{n}")
            key = f"extra{n}"
            org.employees[key] = employee
            give_profile(org, key, "9000.00")
            PayItem.objects.create(company=org.company, employee=employee,
                                   month=date(2026, 11, 1), kind="allowance", name="补贴",
                                   amount=Decimal("10.00"))


@pytest.mark.parametrize(("name", "query"), [
    ("pay:salary_profiles", ""), ("pay:salary_profiles", "?current=on&q=加"),
    ("pay:deduction_list", ""), ("pay:pay_items", "?month=2026-11"),
    ("pay:attendance", "?month=2026-11"), ("pay:openings", ""),
])
def test_lists_take_a_constant_number_of_queries(org, pay, client_as, name, query,
                                                 django_assert_max_num_queries):
    client = client_as(org.users["hr"])
    url = reverse(name) + query
    get(client, url)  # warm up the session and the caches
    _more_employees(org, 3)
    with django_assert_max_num_queries(12) as few:
        assert get(client, url).status_code == 200
    _more_employees(org, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, url).status_code == 200


@pytest.mark.parametrize("name", [
    "pay:salary_profiles", "pay:salary_profile_create", "pay:deduction_list",
    "pay:deduction_create", "pay:attendance", "pay:pay_items", "pay:pay_item_create",
    "pay:openings", "pay:import_salary_profiles", "pay:import_attendance",
    "pay:import_pay_items", "pay:import_deductions", "pay:import_openings",
])
def test_every_page_renders_in_chinese_without_inline_styles(org, pay, client_as, name):
    response = get(client_as(org.users["hr"]), reverse(name), lang="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html and ' style="' not in html
