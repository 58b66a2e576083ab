"""What the payroll loader gives each employee: who is in the month (a mid-month joiner and
a leaver), the problems collected instead of stopping, the year-to-date opening of a company
that starts mid-year, and a constant number of queries whatever the headcount."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay import services_payroll
from tandem.pay.models import Payslip, ProblemCode, RunProblem
from tandem.pay.testing import give_everyone_profiles, give_profile


def _run(org, month):
    run = services_payroll.create_run(company=org.company, month=month)
    return services_payroll.calculate_run(run=run)


def _problems(run):
    return sorted((p.employee.name, p.code, p.blocking) for p in
                  RunProblem.objects.filter(run=run).select_related("employee"))


def test_a_mid_month_joiner_and_a_leaver_are_paid_for_their_days(org):
    """March 2026 has no holidays. Joiner from Monday the 16th: 12 workdays, 10,000 ÷ 21.75
    × 12 = 5,517.24, no housing fund in the first month (住房公积金管理条例 Art. 17). Leaver
    on Friday the 13th: 10 workdays → 4,597.70. Someone who left in February is not in the
    run."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        joiner = make_employee(org.company, org.sales, name="joiner",
                               hire_date=date(2026, 3, 16))
        org.employees["joiner"] = joiner
        give_profile(org, "joiner", effective_from=date(2026, 3, 1))
        for key, leave_date in (("peer", date(2026, 3, 13)), ("lead", date(2026, 2, 27))):
            employee = org.employees[key]
            employee.leave_date = leave_date
            employee.save()
        run = _run(org, date(2026, 3, 1))
        slips = {p.employee.name: p for p in Payslip.objects.filter(run=run)
                 .select_related("employee")}
        assert sorted(slips) == ["finance", "hr", "joiner", "owner", "peer", "staff"]
        assert slips["joiner"].lines[0]["amount"] == "5517.24"
        assert slips["joiner"].months_employed == 1
        assert "housing_fund_employee" not in [line["code"] for line in slips["joiner"].lines]
        assert slips["peer"].lines[0]["amount"] == "4597.70"
        assert slips["staff"].lines[0]["amount"] == "10000.00"


def test_problems_are_collected_and_the_others_still_paid(org):
    """owner: no profile (blocking, no payslip); hr: no bank account (warning); finance:
    2,000 a month, below Shanghai's 2,740 minimum wage and every base floor (warnings)."""
    with scope(company=org.company.pk):
        give_profile(org, "hr", bank_account="")
        give_profile(org, "finance", "2000.00")
        for key in ("lead", "staff", "peer"):
            give_profile(org, key)
        run = _run(org, date(2026, 1, 1))
        assert run.employee_count == 5
        # The floor: one warning per scheme (four insurances, the housing fund).
        assert (run.blocking_problem_count, run.warning_count) == (1, 7)
        assert _problems(run) == [("finance", "base_below_floor", False)] * 5 + [
            ("finance", "pay_below_minimum_wage", False),
            ("hr", ProblemCode.MISSING_BANK_ACCOUNT, False),
            ("owner", ProblemCode.NO_SALARY_PROFILE, True),
        ]
        assert not Payslip.objects.filter(run=run, employee=org.employees["owner"]).exists()
        below = RunProblem.objects.get(run=run, code="pay_below_minimum_wage")
        assert below.params["minimum"] == "2740.00"
        assert RunProblem.objects.get(run=run, employee=org.employees["owner"]).blocking


def test_a_mid_year_start_carries_on_from_the_imported_opening(org):
    """Tandem from July 2026; January to June in the previous system: income 60,000, special
    deductions 10,500, 450 withheld (taken as imported). July: cumulative 70,000 − 7 × 5,000
    − 12,250 = 22,750 × 3 % = 682.50, minus 450 = 232.50."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        services_payroll.import_year_to_date_openings(
            company=org.company, year=2026, rows=[{
                "employee": org.employees["staff"], "through_month": 6,
                "income": D("60000"), "special_deductions": D("10500"), "withheld": D("450"),
            }])
        run = _run(org, date(2026, 7, 1))
        slip = Payslip.objects.get(run=run, employee=org.employees["staff"])
        peer = Payslip.objects.get(run=run, employee=org.employees["peer"])
        assert (slip.ytd_income, slip.tax_withheld) == (D("70000.00"), D("232.50"))
        # No opening: the cumulation starts in July with 7 basic deductions, nothing due.
        assert peer.tax_withheld == D("0.00")


@pytest.mark.parametrize("headcount", [5, 25])
def test_calculating_takes_the_same_number_of_queries_for_5_or_25(
        org, headcount, django_assert_max_num_queries):
    """25 queries whatever the headcount: the run, the loader's 15 reads, the progress, then
    in one transaction the locked run, two deletes, one executemany of payslips (problems
    none here), the run's update and its history row."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        owner = org.employees.pop("owner")
        owner.leave_date = date(2025, 12, 31)
        owner.save()
        for n in range(headcount - len(org.employees)):
            key = f"e{n}"
            org.employees[key] = make_employee(org.company, org.sales, name=key)
            give_profile(org, key)
        run = services_payroll.create_run(company=org.company, month=date(2026, 1, 1))
        with django_assert_max_num_queries(25):
            run = services_payroll.calculate_run(run=run)
        assert run.employee_count == headcount
