"""The salary-data imports are set-based: a file of 20 rows takes exactly the queries of a file
of 2 (the city policies, existing records and locks are read once for the file, the rows are
written in bulk), whether the rows create records or update them, and what they write is
what the single-row services would have written (history, versions, row-numbered errors)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scope
from openpyxl import Workbook

from tandem.core.testing import make_employee
from tandem.pay import imports, services_payroll
from tandem.pay.models import (
    AttendanceSummary,
    PayItem,
    PayrollRun,
    RunStatus,
    SalaryProfile,
    YearToDateOpening,
)
from tandem.pay.testing import ensure_reference_data

MONTH = "2026-11"


def workbook(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.size = len(out.getvalue())
    return out


@pytest.fixture
def people(org):
    """22 employees hired in 2024: the first 2 and all 20 are the small and large files."""
    ensure_reference_data()
    return [make_employee(org.company, org.sales, name=f"导入{n}") for n in range(22)]


def _profiles(employees, start=f"{MONTH}-01", rate="7%"):
    return [["Employee number", "Effective from", "Base monthly wage", "Social insurance city",
             "Social insurance base", "Housing fund rate", "Bank", "Bank account"],
            *[[e.employee_number, start, 12000 + i, "上海", 12000 + i, rate, "招商银行",
               f"62258801{i:08d}"] for i, e in enumerate(employees)]]


def _attendance(employees, absence=0):
    return [["Employee number", "Month", "Paid days", "Absence days",
             "Overtime hours on workdays"],
            *[[e.employee_number, MONTH, 21.75, absence, 1.5] for e in employees]]


def _items(employees):
    return [["Employee number", "Month", "Kind", "Name", "Amount", "Taxable"],
            *[[e.employee_number, MONTH, "Bonus" if i % 2 else "allowance", "绩效奖",
               1000 + i, "yes"] for i, e in enumerate(employees)]]


def _openings(employees, withheld=900):
    return [["Employee number", "Tax year", "Through month", "Income to date",
             "Special deductions to date", "Tax withheld to date"],
            *[[e.employee_number, 2027, 6, 60000 + i, 9000, withheld]
              for i, e in enumerate(employees)]]


FILES = {
    "import_salary_profiles": _profiles,
    "import_attendance": _attendance,
    "import_pay_items": _items,
    "import_openings": _openings,
}


def run(org, function, rows):
    with scope(company=org.company.pk), CaptureQueriesContext(connection) as queries:
        result = getattr(imports, function)(workbook(rows), company=org.company,
                                            by=org.users["hr"])
    assert result.ok, result.errors
    return result, len(queries)


@pytest.mark.parametrize("function", FILES)
def test_new_records_take_the_same_queries_for_2_and_20_rows(org, people, function):
    small, small_queries = run(org, function, FILES[function](people[:2]))
    large, large_queries = run(org, function, FILES[function](people[2:22]))
    assert (small.created, large.created) == (2, 20)
    assert large_queries == small_queries


def _update_rows(function, employees):
    """The file again with other figures: every row updates the record it names."""
    if function == "import_salary_profiles":
        return _profiles(employees, rate="6%")
    if function == "import_attendance":
        return _attendance(employees, absence=1)
    return _openings(employees, withheld=1000)


@pytest.mark.parametrize("function", ["import_salary_profiles", "import_attendance",
                                      "import_openings"])
def test_updates_take_the_same_queries_for_2_and_20_rows(org, people, function):
    run(org, function, FILES[function](people))
    small, small_queries = run(org, function, _update_rows(function, people[:2]))
    large, large_queries = run(org, function, _update_rows(function, people[2:22]))
    assert (small.updated, large.updated, small.created, large.created) == (2, 20, 0, 0)
    assert large_queries == small_queries


def test_profile_updates_bump_the_version_and_keep_the_history(org, people):
    run(org, "import_salary_profiles", _profiles(people[:3]))
    run(org, "import_salary_profiles", _profiles(people[:3], rate="6%"))
    with scope(company=org.company.pk):
        profile = SalaryProfile.objects.get(employee=people[1])
        assert (profile.housing_fund_rate, profile.version) == (Decimal("0.06000"), 2)
        kinds = list(profile.history.order_by("history_id").values_list(
            "history_type", "housing_fund_rate", "history_user"))
    hr = org.users["hr"].pk
    assert kinds == [("+", Decimal("0.07000"), hr), ("~", Decimal("0.06000"), hr)]


def test_attendance_updates_bump_the_version(org, people):
    run(org, "import_attendance", _attendance(people[:2]))
    run(org, "import_attendance", _attendance(people[:2], absence=2))
    with scope(company=org.company.pk):
        summary = AttendanceSummary.objects.get(employee=people[0])
        assert (summary.absence_days, summary.version) == (Decimal("2.00"), 2)
        assert summary.history.count() == 2


def test_a_policy_band_is_checked_per_row_against_the_policy_of_its_date(org, people):
    """Shanghai's band is 5–7 % (reference §3.1): 8 % is refused with its row number, and
    nothing of the file is written."""
    rows = _profiles(people[:3])
    rows[2][5] = "8%"
    rows[3][1] = "2019-01-01"  # before the hire month and before any seeded policy
    with scope(company=org.company.pk), translation.override("en"):
        result = imports.import_salary_profiles(workbook(rows), company=org.company,
                                                by=org.users["hr"])
        assert SalaryProfile.objects.filter(employee__in=people).count() == 0
    found = {(e.row, e.column, e.message) for e in result.errors}
    assert (3, "Housing fund rate",
            "The housing fund rate must be between 5 % and 7 % in this city.") in found
    assert (4, "Social insurance city",
            "No social insurance policy of this city is in force on 2019-01-01; ask an "
            "administrator to add it.") in found
    assert (4, "Effective from", "A salary profile cannot start before the month of the hire "
            "date (2024-03-01).") in found
    assert result.created == 0


def test_a_second_row_for_the_same_profile_in_a_file_updates_it(org, people):
    rows = _profiles(people[:1])
    rows.append([people[0].employee_number, f"{MONTH}-01", 15000, "上海", 15000, "5%", "", ""])
    result, _queries = run(org, "import_salary_profiles", rows)
    assert (result.created, result.updated) == (1, 1)
    with scope(company=org.company.pk):
        profile = SalaryProfile.objects.get(employee=people[0])
    assert (profile.base_monthly_wage, profile.housing_fund_rate, profile.version) == (
        Decimal("15000.00"), Decimal("0.05000"), 1)


def test_openings_of_an_approved_year_are_refused_on_every_row(org, people):
    with scope(company=org.company.pk):
        run_ = services_payroll.create_run(company=org.company, month=date(2027, 1, 1),
                                           by=org.users["hr"])
        PayrollRun.objects.filter(pk=run_.pk).update(status=RunStatus.APPROVED)
        result = imports.import_openings(workbook(_openings(people[:3])), company=org.company,
                                         by=org.users["hr"])
        assert YearToDateOpening.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [(2, "Tax year"), (3, "Tax year"),
                                                         (4, "Tax year")]


def test_pay_items_are_written_with_their_figures(org, people):
    run(org, "import_pay_items", _items(people[:2]))
    with scope(company=org.company.pk):
        items = list(PayItem.objects.filter(employee__in=people[:2]).order_by("amount")
                     .values_list("kind", "amount"))
    assert items == [("allowance", Decimal("1000.00")), ("regular_bonus", Decimal("1001.00"))]
