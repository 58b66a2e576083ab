"""The IIT withholding detail splits the cumulative special additional deductions by category,
as the declaration form does (累计子女教育 … 累计3岁以下婴幼儿照护): payroll stores each
payslip's month and year-to-date amounts by category, the next month carries them on, and a
payslip stored before categories were kept still exports its total, with empty categories and
a note."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tandem.core.exports import workbook_bytes
from tandem.pay import exports, services_deductions, services_payroll
from tandem.pay.models import DeductionCategory, Payslip
from tandem.pay.payroll.loader import EmployeeMonth
from tandem.pay.payroll.store import deductions_by_category
from tandem.pay.testing import give_everyone_profiles

JANUARY, FEBRUARY = date(2026, 1, 1), date(2026, 2, 1)
CATEGORY_HEADERS = [
    "Cumulative children's education", "Cumulative continuing education",
    "Cumulative housing-loan interest", "Cumulative housing rent",
    "Cumulative elderly support", "Cumulative care of infants under 3"]


@pytest.fixture
def declared(org):
    """Everyone paid 10,000 in Shanghai; staff declares children's education (one child,
    taken whole: 2,000) and elderly support as an only child (3,000) from January 2026
    (2023+ amounts, reference §1.3)."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        for category in (DeductionCategory.CHILDREN_EDUCATION,
                         DeductionCategory.ELDERLY_SUPPORT):
            services_deductions.create_declaration(
                company=org.company, employee=org.employees["staff"], category=category,
                variant="", share=Decimal(1), dependant="林小雨", from_month=JANUARY,
                by=org.users["hr"])
    return org


def approve(org, month):
    with scope(company=org.company.pk):
        run = services_payroll.create_run(company=org.company, month=month, by=org.users["hr"])
        run = services_payroll.calculate_run(run=run, by=org.users["hr"])
        return services_payroll.approve_run(run=run, by=org.users["finance"])


def sheet_of(org, run) -> tuple[list[str], dict[str, list]]:
    """The wage sheet as written to the file: headers, and rows by employee name."""
    with scope(company=org.company.pk), translation.override("en"):
        content = workbook_bytes(exports.iit_sheets(run))
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    return list(rows[0]), {row[1]: list(row) for row in rows[1:-1]}


def money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def test_the_categories_have_their_columns_after_the_cumulative_total(declared):
    headers, _rows = sheet_of(declared, approve(declared, JANUARY))
    start = headers.index("Cumulative special additional deductions") + 1
    assert headers[start:start + 6] == CATEGORY_HEADERS
    assert headers[start + 6] == "Cumulative other deductions"
    assert headers[-2:] == ["Tax this month", "Note"]


def test_childrens_education_and_elderly_support_each_have_their_amount(declared):
    run = approve(declared, JANUARY)
    with scope(company=declared.company.pk):
        staff = Payslip.objects.get(run=run, employee=declared.employees["staff"])
    assert staff.special_additional_by_category == {
        "month": {"children_education": "2000.00", "elderly_support": "3000.00"},
        "year_to_date": {"children_education": "2000.00", "elderly_support": "3000.00"}}
    headers, rows = sheet_of(declared, run)
    row = dict(zip(headers, rows["staff"], strict=True))
    assert money(row["Cumulative children's education"]) == Decimal("2000.00")
    assert money(row["Cumulative elderly support"]) == Decimal("3000.00")
    for header in ("Cumulative continuing education", "Cumulative housing-loan interest",
                   "Cumulative housing rent", "Cumulative care of infants under 3"):
        assert money(row[header]) == Decimal("0.00")
    categories = sum(money(row[header]) for header in CATEGORY_HEADERS)
    assert categories == money(row["Cumulative special additional deductions"]) == \
        staff.ytd_special_additional_deductions == Decimal("5000.00")
    assert row["Note"] is None
    # Someone without declarations: every category a known zero.
    peer = dict(zip(headers, rows["peer"], strict=True))
    assert [money(peer[header]) for header in CATEGORY_HEADERS] == [Decimal("0.00")] * 6


def test_the_next_month_carries_the_categories_to_date(declared):
    approve(declared, JANUARY)
    february = approve(declared, FEBRUARY)
    with scope(company=declared.company.pk):
        staff = Payslip.objects.get(run=february, employee=declared.employees["staff"])
    assert staff.special_additional_by_category == {
        "month": {"children_education": "2000.00", "elderly_support": "3000.00"},
        "year_to_date": {"children_education": "4000.00", "elderly_support": "6000.00"}}
    headers, rows = sheet_of(declared, february)
    row = dict(zip(headers, rows["staff"], strict=True))
    assert money(row["Cumulative children's education"]) == Decimal("4000.00")
    assert money(row["Cumulative elderly support"]) == Decimal("6000.00")
    assert sum(money(row[header]) for header in CATEGORY_HEADERS) == \
        staff.ytd_special_additional_deductions == Decimal("10000.00")


def test_an_old_payslip_without_categories_exports_its_total_with_a_note(declared):
    run = approve(declared, JANUARY)
    with scope(company=declared.company.pk):
        # As every payslip calculated before categories were kept (the migration's default).
        Payslip.objects.filter(run=run).update(special_additional_by_category={})
    headers, rows = sheet_of(declared, run)
    row = dict(zip(headers, rows["staff"], strict=True))
    assert money(row["Cumulative special additional deductions"]) == Decimal("5000.00")
    assert [row[header] for header in CATEGORY_HEADERS] == [None] * 6
    assert row["Note"] == (
        "Special additional deductions not split by category: this payslip was calculated "
        "before categories were recorded; only the total is known.")
    assert money(row["Tax this month"]) is not None


def test_a_month_after_an_old_payslip_notes_the_part_without_a_category(declared):
    january = approve(declared, JANUARY)
    with scope(company=declared.company.pk):
        Payslip.objects.filter(run=january).update(special_additional_by_category={})
    february = approve(declared, FEBRUARY)
    headers, rows = sheet_of(declared, february)
    row = dict(zip(headers, rows["staff"], strict=True))
    assert money(row["Cumulative special additional deductions"]) == Decimal("10000.00")
    assert money(row["Cumulative children's education"]) == Decimal("2000.00")
    assert money(row["Cumulative elderly support"]) == Decimal("3000.00")
    assert row["Note"] == (
        "5000.00 of the cumulative special additional deductions is not split by category "
        "(carried from an imported opening or from a payslip calculated before categories "
        "were recorded).")


def test_an_imported_opening_is_carried_without_categories(declared):
    """A company starting in March: January–February come from the previous system with
    10,000 of special additional deductions in total and no categories."""
    with scope(company=declared.company.pk):
        services_payroll.import_year_to_date_openings(
            company=declared.company, year=2026, by=declared.users["hr"], rows=[{
                "employee": declared.employees["staff"], "through_month": 2,
                "income": Decimal("20000.00"), "special_additional_deductions":
                Decimal("10000.00")}])
    march = approve(declared, date(2026, 3, 1))
    headers, rows = sheet_of(declared, march)
    row = dict(zip(headers, rows["staff"], strict=True))
    assert money(row["Cumulative special additional deductions"]) == Decimal("15000.00")
    assert money(row["Cumulative children's education"]) == Decimal("2000.00")
    assert row["Note"].startswith("10000.00 of the cumulative special additional deductions")


amounts = st.dictionaries(st.sampled_from([c.value for c in DeductionCategory]),
                          st.decimals(min_value=0, max_value=100000, places=2), max_size=6)


@given(month=amounts, before=amounts)
def test_year_to_date_is_the_carried_amounts_plus_the_months_by_category(month, before):
    stored = deductions_by_category(EmployeeMonth(1, 1, "", "", data=None, deductions=month,
                                                  deductions_before=before))
    to_date = {category: Decimal(amount) for category, amount in stored["year_to_date"].items()}
    assert set(to_date) == set(month) | set(before)
    for category, amount in to_date.items():
        assert amount == month.get(category, 0) + before.get(category, 0)
    assert {category: Decimal(amount) for category, amount in stored["month"].items()} == month
    assert sum(to_date.values()) == sum(month.values()) + sum(before.values())
