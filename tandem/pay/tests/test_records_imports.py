"""The Excel imports of the salary data: the template, a successful import with its figures,
errors by Excel row number with nothing written, re-imports that update, and the rules of the
services applied to every row exactly as to an API call."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope
from openpyxl import Workbook, load_workbook

from tandem.pay.models import (
    AttendanceSummary,
    DeductionDeclaration,
    PayItem,
    SalaryProfile,
    YearToDateOpening,
)
from tandem.pay.testing import make_pay


@pytest.fixture
def pay(org):
    return make_pay(org)


def xlsx(rows, name="import.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, kind, rows):
    client.cookies["tandem_language"] = "en"
    return client.post(reverse(f"pay:import_{kind}"), {"file": xlsx(rows)})


def number(org, key):
    return org.employees[key].employee_number


def errors_of(response) -> list[tuple[str, str, str]]:
    """(row, column, message) of the page's error table."""
    import re

    table = response.content.decode().split('id="import-errors"')[1].split("</table>")[0]
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [tuple(cell.replace("&#x27;", "'") for cell in row) for row in cells]


PROFILE_HEADER = ["Employee number", "Effective from", "Base monthly wage",
                  "Social insurance city", "Social insurance base", "Housing fund rate",
                  "Bank account"]


def test_the_template_is_in_the_users_language_with_an_example(org, pay, client_as):
    client = client_as(org.users["hr"])
    client.cookies["tandem_language"] = "en"
    response = client.get(reverse("pay:import_template_salary_profiles"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="salary-profiles.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))[:2]
    assert header[:4] == ("Employee number *", "Effective from *", "Base monthly wage *",
                          "Social insurance city *")
    assert "Housing fund base" in header and example[0] == "E0001"


def test_salary_profiles_import_creates_and_updates(org, pay, client_as):
    response = upload(client_as(org.users["hr"]), "salary_profiles", [
        PROFILE_HEADER,
        [number(org, "lead"), "2026-03-01", 25000, "上海", 25000, "7%", "6222000011112222"],
        [number(org, "staff"), "2026-01-01", 22000.5, "shanghai", 20000, 0.07, None],
    ])
    assert response.status_code == 302 and response["Location"] == reverse(
        "pay:salary_profiles")
    message = str(list(response.wsgi_request._messages)[0])
    assert message.startswith("Imported 2 rows in ") and message.endswith(
        "1 added, 1 updated.")
    with scope(company=org.company.pk):
        lead = SalaryProfile.objects.get(employee=org.employees["lead"])
        assert (lead.base_monthly_wage, lead.housing_fund_rate) == (Decimal("25000.00"),
                                                                    Decimal("0.07"))
        assert lead.bank_account == "6222000011112222"
        staff = SalaryProfile.objects.get(pk=pay.staff_profile.pk)
        assert staff.base_monthly_wage == Decimal("22000.50")
        assert staff.bank_account == "6225880112345678"  # an empty cell keeps it
        assert [i.name for i in staff.items.all()] == ["餐补"]  # items are kept too


def test_errors_are_listed_by_row_and_nothing_is_written(org, pay, client_as):
    response = upload(client_as(org.users["hr"]), "salary_profiles", [
        PROFILE_HEADER,
        [number(org, "lead"), "2026-03-01", 25000, "上海", 25000, "7%", None],
        ["E-NOPE", "2026-03-01", 25000, "上海", 25000, "7%", None],
        [number(org, "owner"), "2026-03-01", "lots", "Atlantis", 25000, "12%", "12ab"],
        [number(org, "finance"), "2026-03-01", 25000, "上海", 25000, "12%", "12ab"],
    ])
    assert response.status_code == 400
    assert errors_of(response) == [
        ("3", "Employee number", "“E-NOPE” was not found."),
        ("4", "Base monthly wage", "Enter a number."),
        ("4", "Social insurance city", "“Atlantis” was not found."),
        ("5", "Bank account", "Enter the account number: 8 to 30 digits (spaces and dashes "
                              "are ignored)."),
        ("5", "Housing fund rate", "The housing fund rate must be between 5 % and 7 % in "
                                   "this city."),
    ]
    assert "5 errors: nothing was imported." in response.content.decode()
    with scope(company=org.company.pk):
        assert SalaryProfile.objects.count() == 2  # the fixture's, untouched


def test_a_file_that_is_not_excel_is_one_error(org, pay, client_as):
    client = client_as(org.users["hr"])
    client.cookies["tandem_language"] = "en"
    response = client.post(reverse("pay:import_attendance"),
                           {"file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
    assert response.status_code == 400
    assert errors_of(response)[0][:2] == ("—", "—")


def test_attendance_import_upserts_the_month(org, pay, client_as):
    header = ["Employee number", "Month", "Paid days", "Absence days",
              "Overtime hours on workdays"]
    response = upload(client_as(org.users["hr"]), "attendance", [
        header,
        [number(org, "staff"), "2026-10", 20, 1, None],
        [number(org, "lead"), date(2026, 10, 1), 21.75, None, 2.5],
    ])
    assert response.status_code == 302
    with scope(company=org.company.pk):
        staff = AttendanceSummary.objects.get(employee=org.employees["staff"],
                                              month=date(2026, 10, 1))
        lead = AttendanceSummary.objects.get(employee=org.employees["lead"])
    assert (staff.paid_days, staff.absence_days) == (Decimal("20.00"), Decimal("1.00"))
    assert staff.overtime_workday_hours == Decimal("4.00")  # not in the row: unchanged
    assert (lead.paid_days, lead.overtime_workday_hours) == (Decimal("21.75"), Decimal("2.50"))
    # Written in bulk, with who entered it and its change history, as the service would.
    with scope(company=org.company.pk):
        assert lead.entered_by == org.users["hr"] and lead.updated_at is not None
        assert [(h.history_type, h.history_user) for h in lead.history.all()] == [
            ("+", org.users["hr"])]


def test_the_same_employee_and_month_twice_in_a_file_updates_in_file_order(org, pay, client_as):
    header = ["Employee number", "Month", "Paid days"]
    response = upload(client_as(org.users["hr"]), "attendance", [
        header, [number(org, "lead"), "2026-11", 20], [number(org, "lead"), "2026-11", 21]])
    # The second row updates the first: the file reads top to bottom.
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert AttendanceSummary.objects.get(employee=org.employees["lead"]).paid_days == 21


def test_pay_items_import_with_choices_in_either_language(org, pay, client_as):
    header = ["Employee number", "Month", "Kind", "Name", "Amount", "Taxable",
              "Annual bonus method", "Corrects month"]
    response = upload(client_as(org.users["hr"]), "pay_items", [
        header,
        [number(org, "staff"), "2026-11", "Annual one-time bonus", "年终奖", 36000, "是",
         "Taxed separately", None],
        [number(org, "peer"), "2026-11", "adjustment", "补发", -200, "no", None, "2026-09"],
    ])
    assert response.status_code == 302
    with scope(company=org.company.pk):
        bonus = PayItem.objects.get(name="年终奖")
        fix = PayItem.objects.get(name="补发")
    assert (bonus.kind, bonus.annual_bonus_method, bonus.source) == ("annual_bonus",
                                                                      "separate", "import")
    assert (fix.amount, fix.taxable, fix.adjusts_month) == (Decimal("-200.00"), False,
                                                            date(2026, 9, 1))
    with scope(company=org.company.pk):
        assert bonus.created_by == org.users["hr"] and bonus.created_at is not None
        assert [(h.history_type, h.history_user) for h in bonus.history.all()] == [
            ("+", org.users["hr"])]


def test_pay_items_of_an_approved_month_are_refused_by_row(org, pay, client_as):
    header = ["Employee number", "Month", "Kind", "Name", "Amount"]
    response = upload(client_as(org.users["hr"]), "pay_items", [
        header,
        [number(org, "staff"), "2026-11", "allowance", "ok", 10],
        [number(org, "staff"), "2026-09", "allowance", "late", 10],
    ])
    assert response.status_code == 400
    assert errors_of(response) == [("3", "Month", "The payroll of this month is approved: "
                                                  "add the item to a later month as a "
                                                  "correction.")]
    with scope(company=org.company.pk):
        assert not PayItem.objects.filter(name="ok").exists()


def test_declarations_import(org, pay, client_as):
    header = ["Employee number", "Category", "Variant", "Share", "From month", "To month"]
    response = upload(client_as(org.users["hr"]), "deductions", [
        header,
        [number(org, "lead"), "Housing rent", "tier-1", 1, "2026-01", None],
        [number(org, "lead"), "Housing-loan interest", None, 1, "2026-01", None],
    ])
    assert response.status_code == 400
    assert errors_of(response) == [("3", "Category", "Housing-loan interest and housing rent "
                                                     "cannot both be deducted in the same "
                                                     "year.")]
    response = upload(client_as(org.users["hr"]), "deductions", [header[:5], [
        number(org, "lead"), "housing_rent", "tier-1", 1, "2026-01"]])
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert DeductionDeclaration.objects.get(employee=org.employees["lead"]).variant == (
            "tier-1")


def test_openings_import_and_the_year_lock(org, pay, client_as):
    header = ["Employee number", "Tax year", "Through month", "Income to date",
              "Tax withheld to date"]
    response = upload(client_as(org.users["hr"]), "openings", [
        header, [number(org, "lead"), 2027, 6, "120000.00", "1980.00"]])
    assert response.status_code == 302
    with scope(company=org.company.pk):
        opening = YearToDateOpening.objects.get(employee=org.employees["lead"])
    assert (opening.year, opening.through_month, opening.withheld) == (2027, 6,
                                                                       Decimal("1980.00"))
    response = upload(client_as(org.users["hr"]), "openings", [
        header, [number(org, "lead"), 2026, 6, "120000.00", "1980.00"]])
    assert response.status_code == 400  # 2026 has an approved payroll (September)
    assert errors_of(response)[0][:2] == ("2", "Tax year")


def test_only_hr_imports(org, pay, client_as):
    response = upload(client_as(org.users["finance"]), "salary_profiles", [PROFILE_HEADER])
    assert response.status_code == 403


def test_a_large_import_takes_a_constant_number_of_queries_per_row(
        org, pay, client_as, django_assert_max_num_queries):
    from tandem.core.testing import make_employee

    with scope(company=org.company.pk):
        employees = [make_employee(org.company, org.sales, name=f"批{n}") for n in range(60)]
    rows = [["Employee number", "Month", "Paid days"],
            *[[e.employee_number, "2026-11", 21.75] for e in employees]]
    client = client_as(org.users["hr"])
    # One duplicate check a row (the service's rule); the rest is written in bulk.
    with django_assert_max_num_queries(30 + len(employees)):
        response = upload(client, "attendance", rows)
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert AttendanceSummary.objects.filter(month=date(2026, 11, 1)).count() == 60


def test_an_upload_without_a_file_says_so(org, pay, client_as):
    client = client_as(org.users["hr"])
    client.cookies["tandem_language"] = "en"
    response = client.post(reverse("pay:import_pay_items"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
