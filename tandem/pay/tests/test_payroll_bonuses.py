"""Bonus pay items in a run: the annual one-time bonus taxed separately once a tax year
(国税发〔2005〕9号), found from the earlier approved payslips of the year or the opening."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.pay import services_payroll
from tandem.pay.models import PayItemType, Payslip, RunProblem
from tandem.pay.testing import give_everyone_profiles


@pytest.fixture
def company(org):
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
    return org


def _bonus(org, month, amount="12000"):
    services_payroll.create_pay_item(
        company=org.company, employee=org.employees["staff"], month=month,
        kind=PayItemType.ANNUAL_BONUS, name="年终奖", amount=D(amount),
        annual_bonus_method="separate")


def _run(org, month):
    return services_payroll.calculate_run(
        run=services_payroll.create_run(company=org.company, month=month))


def test_the_separate_method_once_a_year_then_merged(company):
    """January: 12,000 ÷ 12 = 1,000 → 3 %: 360 tax on the bonus, outside the cumulation.
    March: the separate method was used in January, so the second bonus is merged and the
    run says why."""
    org = company
    with scope(company=org.company.pk):
        _bonus(org, date(2026, 1, 1))
        january = _run(org, date(2026, 1, 1))
        slip = Payslip.objects.get(run=january, employee=org.employees["staff"])
        assert (slip.annual_bonus_method, slip.annual_bonus_tax, slip.tax_withheld) == (
            "separate", D("360.00"), D("97.50"))
        assert slip.gross == D("22000.00")
        services_payroll.approve_run(run=january, by=org.users["finance"])

        _bonus(org, date(2026, 3, 1), "6000")
        march = _run(org, date(2026, 3, 1))
        slip = Payslip.objects.get(run=march, employee=org.employees["staff"])
        assert (slip.annual_bonus_method, slip.annual_bonus_tax) == ("merged", D("0.00"))
        problem = RunProblem.objects.get(run=march, employee=org.employees["staff"])
        assert (problem.code, problem.blocking, problem.params) == (
            "annual_bonus_separate_unavailable", False,
            {"reason": "already used this tax year"})


def test_a_draft_run_of_the_year_does_not_count_as_used(company):
    org = company
    with scope(company=org.company.pk):
        _bonus(org, date(2026, 1, 1))
        _run(org, date(2026, 1, 1))  # calculated, not approved
        _bonus(org, date(2026, 3, 1), "6000")
        march = _run(org, date(2026, 3, 1))
        slip = Payslip.objects.get(run=march, employee=org.employees["staff"])
        assert slip.annual_bonus_method == "separate"


def test_the_opening_says_it_was_used_before_tandem(company):
    org = company
    with scope(company=org.company.pk):
        services_payroll.import_year_to_date_openings(
            company=org.company, year=2026, rows=[{
                "employee": org.employees["staff"], "through_month": 2, "income": D("20000"),
                "special_deductions": D("3500"), "withheld": D("195"),
                "annual_bonus_separate_used": True}])
        _bonus(org, date(2026, 3, 1), "6000")
        march = _run(org, date(2026, 3, 1))
        slip = Payslip.objects.get(run=march, employee=org.employees["staff"])
        assert slip.annual_bonus_method == "merged"
