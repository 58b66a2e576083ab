"""The finance exports of a run, read back with openpyxl: the bank transfer list (full account
numbers, a total, the people without an account apart), the accounting summary by department
and pay item, and the income tax withholding detail — each equal to the run's totals to the
fen. Only approved or paid runs (409 otherwise), only HR and finance, in a constant number of
queries."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django_scopes import scope
from openpyxl import load_workbook

from tandem.pay import services_payroll
from tandem.pay.models import Payslip
from tandem.pay.tests.reports_fixtures import make_runs


@pytest.fixture
def runs(org):
    with scope(company=org.company.pk):
        lead = org.employees["lead"]
        lead.id_number = "11010519491231002X"
        lead.save()
    return make_runs(org)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.content))


def money(cell) -> Decimal:
    assert cell.data_type == "n", (cell.coordinate, cell.value)
    assert cell.number_format == "#,##0.00", cell.coordinate
    return Decimal(str(cell.value)).quantize(Decimal("0.01"))


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows()]


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def _get(client, run, name):
    # The export runs as a job (core.export_jobs); Huey is inline under test, so the start
    # redirects straight to the finished file.
    return client.get(f"/pay/reports/runs/{run.pk}/{name}/", follow=True)


# --- bank transfers ---------------------------------------------------------------------------


def test_the_bank_transfer_list_has_full_accounts_a_total_and_the_missing_apart(
        org, runs, client_as):
    _december, january, _february = runs
    response = _get(english(client_as(org.users["finance"])), january, "bank-transfers")
    assert response["Content-Disposition"] == (
        'attachment; filename="bank-transfers-2026-01.xlsx"')
    assert response["Cache-Control"] == "private, no-store"
    book = workbook(response)
    assert book.sheetnames == ["Transfers", "missing"]
    transfers, missing = book["Transfers"], book["missing"]
    assert headers(transfers) == ["Employee number", "Name", "Bank", "Account number",
                                  "Net pay"]
    body = rows(transfers)[1:-1]
    assert [row[1].value for row in body] == ["owner", "hr", "finance", "lead", "staff"]
    with scope(company=org.company.pk):
        slips = {slip.employee.name: slip for slip in
                 Payslip.objects.filter(run=january).select_related("employee")}
    for number, name, bank, account, net in body:
        assert number.value == slips[name.value].employee.employee_number
        assert bank.value == "招商银行"
        # The full account number, as text (never a number that loses digits).
        assert account.value == "6225880112345678" and account.data_type == "s"
        assert money(net) == slips[name.value].net
    total = rows(transfers)[-1]
    assert total[0].value == "Total" and total[1].value == "5 people"
    assert total[0].font.bold
    assert money(total[4]) == sum(slips[name].net for name in
                                  ("owner", "hr", "finance", "lead", "staff"))
    assert headers(missing) == ["Employee number", "Name", "Net pay", "What to do"]
    (peer,) = rows(missing)[1:-1]
    assert peer[1].value == "peer" and money(peer[2]) == slips["peer"].net
    assert money(rows(missing)[-1][2]) == slips["peer"].net
    assert money(total[4]) + money(rows(missing)[-1][2]) == january.net_total


def test_in_chinese_the_headers_and_filename_are_chinese(org, runs, client_as):
    _december, january, _february = runs
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = _get(client, january, "bank-transfers")
    book = workbook(response)
    sheet = book.worksheets[0]
    assert headers(sheet)[0] == "工号" and headers(sheet)[-1] == "实发工资"
    assert rows(sheet)[-1][0].value == "合计"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="bank-transfers-2026-01.xlsx"')


# --- accounting summary -----------------------------------------------------------------------


def test_the_accounting_summary_is_by_department_and_pay_item_and_equals_the_run(
        org, runs, client_as):
    _december, january, _february = runs
    response = _get(english(client_as(org.users["hr"])), january, "accounting-summary")
    assert response["Content-Disposition"] == (
        'attachment; filename="payroll-accounting-2026-01.xlsx"')
    sheet = workbook(response).worksheets[0]
    assert sheet.title == "Summary 2026-01"
    names = headers(sheet)
    assert names == [
        "Department", "Headcount", "Base pay", "Allowance: 交通补贴",
        "Tax-free allowance: 餐补", "Annual one-time bonus", "Deduction before tax: 企业年金",
        "Gross pay", "Pension", "Medical insurance", "Unemployment insurance", "Housing fund",
        "Employee social insurance and housing fund", "Individual income tax",
        "Tax on the annual bonus", "Deduction after tax: 借款扣回", "Net pay",
        "Pension (employer)", "Medical insurance (employer)",
        "Unemployment insurance (employer)", "Work-injury insurance (employer)",
        "Housing fund (employer)", "Employer social insurance and housing fund",
        "Employer cost"]
    column = {name: index for index, name in enumerate(names)}
    table = rows(sheet)
    body, total = table[1:-1], table[-1]
    assert [row[0].value for row in body] == ["R&D", "R&D / Platform", "Sales"]
    assert [row[1].value for row in body] == [1, 1, 4]
    assert total[0].value == "Total" and total[1].value == 6

    def at(row, name):
        return money(row[column[name]])

    assert at(total, "Gross pay") == january.gross_total
    assert at(total, "Net pay") == january.net_total
    assert at(total, "Employer cost") == january.employer_cost_total
    assert at(total, "Employee social insurance and housing fund") == \
        january.employee_contributions_total
    assert at(total, "Employer social insurance and housing fund") == \
        january.employer_contributions_total
    assert at(total, "Individual income tax") + at(total, "Tax on the annual bonus") == \
        january.tax_total
    platform = body[1]
    assert at(platform, "Base pay") == Decimal("20000.00")
    assert at(platform, "Deduction before tax: 企业年金") == Decimal("100.00")
    assert at(platform, "Deduction after tax: 借款扣回") == Decimal("200.00")
    assert at(body[0], "Annual one-time bonus") == Decimal("36000.00")
    assert at(body[0], "Tax on the annual bonus") == Decimal("1080.00")
    earnings = ["Base pay", "Allowance: 交通补贴", "Tax-free allowance: 餐补",
                "Annual one-time bonus"]
    employee_schemes = ["Pension", "Medical insurance", "Unemployment insurance",
                        "Housing fund"]
    employer_schemes = [name for name in names if name.endswith("(employer)")]
    for row in body + [total]:
        gross = sum(at(row, name) for name in earnings) - at(
            row, "Deduction before tax: 企业年金")
        assert gross == at(row, "Gross pay")
        contributions = sum(at(row, name) for name in employee_schemes)
        assert contributions == at(row, "Employee social insurance and housing fund")
        assert at(row, "Gross pay") - contributions - at(row, "Individual income tax") \
            - at(row, "Tax on the annual bonus") - at(row, "Deduction after tax: 借款扣回") \
            == at(row, "Net pay")
        employer = sum(at(row, name) for name in employer_schemes)
        assert employer == at(row, "Employer social insurance and housing fund")
        assert at(row, "Gross pay") + employer == at(row, "Employer cost")
    for name in names[2:]:
        assert sum(at(row, name) for row in body) == at(total, name), name


# --- income tax withholding detail ------------------------------------------------------------


def test_the_withholding_detail_has_the_declaration_columns_from_the_payslips(
        org, runs, client_as):
    _december, january, _february = runs
    response = _get(english(client_as(org.users["finance"])), january, "iit-withholding")
    assert response["Content-Disposition"] == (
        'attachment; filename="income-tax-withholding-2026-01.xlsx"')
    book = workbook(response)
    assert book.sheetnames == ["Wages 2026-01", "Annual bonus"]
    sheet = book["Wages 2026-01"]
    names = headers(sheet)
    assert names == [
        "Employee number", "Name", "ID type", "ID number", "Income this month",
        "Tax-free income this month", "Pension", "Medical insurance",
        "Unemployment insurance", "Housing fund", "Cumulative income",
        "Cumulative tax-free income", "Cumulative basic deduction",
        "Cumulative special deductions", "Cumulative special additional deductions",
        "Cumulative children's education", "Cumulative continuing education",
        "Cumulative housing-loan interest", "Cumulative housing rent",
        "Cumulative elderly support", "Cumulative care of infants under 3",
        "Cumulative other deductions", "Cumulative taxable income", "Withholding rate",
        "Quick deduction", "Cumulative tax", "Tax withheld before", "Tax this month", "Note"]
    column = {name: index for index, name in enumerate(names)}
    table = rows(sheet)
    by_name = {row[1].value: row for row in table[1:-1]}
    with scope(company=org.company.pk):
        staff = Payslip.objects.get(run=january, employee=org.employees["staff"])
    row = by_name["staff"]

    def at(name):
        return money(row[column[name]])

    # 20,000 + 800 taxable allowance + 300 tax-free − 100 before tax.
    assert at("Income this month") == Decimal("21000.00")
    assert at("Tax-free income this month") == Decimal("300.00")
    assert at("Income this month") - at("Tax-free income this month") == staff.taxable_income
    assert at("Pension") == Decimal("1600.00") and at("Housing fund") == Decimal("1400.00")
    assert at("Cumulative income") == staff.ytd_income
    assert at("Cumulative tax-free income") == staff.ytd_tax_free_income
    assert at("Cumulative basic deduction") == Decimal("5000.00")
    assert at("Cumulative special deductions") == staff.ytd_special_deductions
    assert at("Cumulative special additional deductions") == \
        staff.ytd_special_additional_deductions
    assert at("Cumulative other deductions") == staff.ytd_other_deductions
    # 21,000 − 300 − 5,000 − 3,500 = 12,200 at 3 %: 366.00.
    assert at("Cumulative taxable income") == Decimal("12200.00")
    rate = row[column["Withholding rate"]]
    assert Decimal(str(rate.value)) == Decimal("0.03") and rate.number_format == "0.##%"
    assert at("Quick deduction") == Decimal("0.00")
    assert at("Cumulative tax") == Decimal("366.00")
    assert at("Tax withheld before") == Decimal("0.00")
    assert at("Tax this month") == staff.tax_withheld == Decimal("366.00")
    assert at("Cumulative tax") - at("Tax withheld before") == at("Tax this month")
    lead = by_name["lead"]
    assert lead[column["ID type"]].value == "Resident identity card"
    assert lead[column["ID number"]].value == "11010519491231002X"
    assert by_name["owner"][column["ID number"]].value is None
    total = table[-1]
    assert total[1].value == "6 people"
    bonus = book["Annual bonus"]
    assert headers(bonus) == ["Employee number", "Name", "ID type", "ID number",
                              "Annual one-time bonus", "Rate", "Quick deduction",
                              "Tax on the annual bonus"]
    (lead_bonus,) = rows(bonus)[1:-1]
    assert lead_bonus[1].value == "lead"
    assert money(lead_bonus[4]) == Decimal("36000.00")
    assert Decimal(str(lead_bonus[5].value)) == Decimal("0.03")
    assert money(lead_bonus[7]) == Decimal("1080.00")
    assert money(total[column["Tax this month"]]) + money(rows(bonus)[-1][7]) == \
        january.tax_total


def test_the_second_month_carries_the_tax_withheld_before(org, runs, client_as):
    """February after January: the cumulative figures and what January withheld."""
    _december, january, february = runs
    with scope(company=org.company.pk):
        services_payroll.calculate_run(run=february, by=org.users["hr"])
        february = services_payroll.approve_run(run=february, by=org.users["finance"])
        staff = Payslip.objects.get(run=february, employee=org.employees["staff"])
    book = workbook(_get(english(client_as(org.users["hr"])), february, "iit-withholding"))
    sheet = book.worksheets[0]
    column = {name: index for index, name in enumerate(headers(sheet))}
    row = next(row for row in rows(sheet) if row[1].value == "staff")
    assert money(row[column["Tax withheld before"]]) == Decimal("366.00")
    assert money(row[column["Cumulative basic deduction"]]) == Decimal("10000.00")
    assert money(row[column["Cumulative income"]]) == staff.ytd_income
    assert money(row[column["Tax this month"]]) == staff.tax_withheld
    assert money(row[column["Cumulative tax"]]) == staff.ytd_withheld


# --- refusals, access, queries ----------------------------------------------------------------

EXPORTS = ["bank-transfers", "accounting-summary", "iit-withholding"]


@pytest.mark.parametrize("name", EXPORTS)
def test_a_draft_or_calculated_run_is_refused_with_a_409(org, runs, client_as, name):
    february = runs[2]
    client = english(client_as(org.users["finance"]))
    response = _get(client, february, name)
    assert response.status_code == 409
    assert "only an approved or paid run can be exported" in response.content.decode()
    with scope(company=org.company.pk):
        services_payroll.calculate_run(run=february, by=org.users["hr"])
    response = _get(client, february, name)
    assert response.status_code == 409
    assert "This payroll run is Calculated" in response.content.decode()


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("role", ["owner", "lead", "staff", "peer"])
def test_only_hr_and_finance_export(org, runs, client_as, name, role):
    assert _get(client_as(org.users[role]), runs[1], name).status_code == 403


@pytest.mark.parametrize("name", EXPORTS)
def test_another_companys_run_is_a_404(org, other_org, runs, client_as, name):
    from tandem.pay.testing import give_everyone_profiles
    from tandem.pay.tests.reports_fixtures import approved, hire_history

    with scope(company=other_org.company.pk):
        hire_history(other_org)
        give_everyone_profiles(other_org)
        theirs = approved(other_org, date(2026, 1, 1))
    assert _get(client_as(org.users["finance"]), theirs, name).status_code == 404


# Starting the job (core.export_jobs, inline under test): session, user, membership, the run
# and the permission check's run, the job's insert, claim, progress and result (with a
# savepoint around the build), the run again inside the job, then the export's own: the
# payslips (one) and, for the summary, the departments (one); then the download: session, user,
# membership, the job, its permission check's run and its file. Measured with 6 and 26 people
# alike.
EXPORT_QUERIES = {"bank-transfers": 22, "accounting-summary": 23, "iit-withholding": 22}


@pytest.mark.parametrize("extra", [0, 20])
def test_the_exports_take_the_same_queries_whatever_the_headcount(
        org, client_as, django_assert_max_num_queries, extra):
    _december, january, _february = make_runs(org, extra_people=extra)
    client = client_as(org.users["finance"])
    for name, queries in EXPORT_QUERIES.items():
        with django_assert_max_num_queries(queries):
            book = workbook(_get(client, january, name))
        # Everyone is in: a row a person, plus each sheet's header and total.
        if name == "bank-transfers":
            assert sum(sheet.max_row for sheet in book.worksheets) == 6 + extra + 4
        if name == "iit-withholding":
            assert book.worksheets[0].max_row == 6 + extra + 2
