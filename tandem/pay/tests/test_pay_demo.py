"""The demo company's payroll history: three paid runs before the current month and a
calculated draft for it, with Beijing people, declarations, year-to-date openings, a mid-month
joiner and leaver, overtime and a bonus, and no blocking problem anywhere."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.core.models import Role
from tandem.org.demo import MIN_EMPLOYEES, seed_demo_company
from tandem.org.models import Employee
from tandem.pay import labour, selectors
from tandem.pay.calculation.earnings import paid_days_between
from tandem.pay.demo import DECLARED_BASE_CAP, seed_demo_pay
from tandem.pay.models import (
    AttendanceSummary,
    DeductionDeclaration,
    PayItem,
    PayrollRun,
    Payslip,
    RunProblem,
    RunStatus,
    SalaryProfile,
    YearToDateOpening,
)
from tandem.pay.payroll.loader import employed_in

TODAY = date(2026, 11, 26)
AUGUST, SEPTEMBER, OCTOBER, NOVEMBER = (date(2026, m, 1) for m in (8, 9, 10, 11))


@pytest.fixture
def demo(db):
    return seed_demo_company(today=TODAY)


def lines_of(payslip) -> dict[str, D]:
    return {line["code"]: D(line["amount"]) for line in payslip.lines}


def test_three_paid_runs_then_a_calculated_draft_without_blocking_problems(demo):
    finance = next(s for s in demo.sign_ins if s.role == Role.FINANCE).employee.user
    with scope(company=demo.company.pk):
        runs = list(PayrollRun.objects.order_by("month"))
        assert [(r.month, r.status) for r in runs] == [
            (AUGUST, RunStatus.PAID), (SEPTEMBER, RunStatus.PAID), (OCTOBER, RunStatus.PAID),
            (NOVEMBER, RunStatus.CALCULATED)]
        for run in runs[:3]:
            assert (run.approved_by, run.paid_by) == (finance, finance)
        assert not RunProblem.objects.filter(blocking=True).exists()
        for run in runs:
            assert run.blocking_problem_count == 0
            last = (run.month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)
            employed = set(employed_in(run.month, last).values_list("pk", flat=True))
            assert set(run.payslips.values_list("employee_id", flat=True)) == employed
            assert run.employee_count == len(employed) > 50


def test_the_demo_emails_no_payslip(db, django_capture_on_commit_callbacks):
    from tandem.pay.payslip_email import _queue

    with django_capture_on_commit_callbacks() as callbacks:
        demo = seed_demo_company(employees=MIN_EMPLOYEES, today=TODAY)
    with scope(company=demo.company.pk):
        assert PayrollRun.objects.filter(status=RunStatus.PAID).count() == 3
    assert [c for c in callbacks if getattr(c, "func", c) is _queue] == []


def test_everyone_employed_since_the_first_run_has_a_profile_in_force_then(demo):
    with scope(company=demo.company.pk):
        employees = Employee.objects.filter(hire_date__lte=TODAY)
        since_august = {e.pk for e in employees
                        if e.leave_date is None or e.leave_date >= AUGUST}
        left_before = {e.pk for e in employees if e.pk not in since_august}
        assert left_before  # the org demo's earlier leavers get no profile
        assert set(SalaryProfile.objects.values_list("employee_id", flat=True)) == since_august
        assert all(p.insurance_base == min(p.base_monthly_wage, DECLARED_BASE_CAP)
                   for p in SalaryProfile.objects.all())


def test_a_mid_month_joiner_and_a_leaver_are_paid_for_part_of_september(demo):
    calendar = selectors.work_calendar([2026])
    with scope(company=demo.company.pk):
        joiners = [e for e in Employee.objects.filter(hire_date__gt=SEPTEMBER,
                                                      hire_date__lt=OCTOBER)
                   if 5 <= e.hire_date.day <= 20]
        leavers = list(Employee.objects.filter(leave_date__gte=SEPTEMBER,
                                               leave_date__lt=OCTOBER))
        assert joiners and leavers
        for employee, start, end in [(joiners[0], joiners[0].hire_date, date(2026, 9, 30)),
                                     (leavers[0], SEPTEMBER, leavers[0].leave_date)]:
            payslip = Payslip.objects.get(run__month=SEPTEMBER, employee=employee)
            wage = payslip.profile.base_monthly_wage
            base = next(line for line in payslip.lines if line["code"] == "base_pay")
            assert base["label"] == "Base pay for part of the month"
            days = paid_days_between(calendar, start, end)
            assert D(base["amount"]) == labour.part_month_pay(wage, days) < wage
        assert not AttendanceSummary.objects.filter(
            employee__in=[joiners[0], leavers[0]], month=SEPTEMBER).exists()
        assert not Payslip.objects.filter(employee=leavers[0], month=OCTOBER).exists()


def test_overtime_is_paid_in_october_only(demo):
    with scope(company=demo.company.pk):
        with_overtime = {s.employee_id for s in AttendanceSummary.objects.all()
                         if s.overtime_hours > 0}
        assert with_overtime
        assert set(AttendanceSummary.objects.filter(employee__in=with_overtime).exclude(
            overtime_workday_hours=0, overtime_rest_day_hours=0).values_list(
            "month", flat=True)) == {OCTOBER}
        paid = {p.employee_id for p in Payslip.objects.filter(run__month=OCTOBER)
                if {"overtime_workday", "overtime_rest_day"} & set(lines_of(p))}
        assert paid == with_overtime
        for payslip in Payslip.objects.exclude(month=OCTOBER):
            assert not any(code.startswith("overtime") for code in lines_of(payslip))


def test_the_august_bonus_is_on_the_august_payslips(demo):
    with scope(company=demo.company.pk):
        # The entered bonuses (the reviews demo adds its approved awards in a later month).
        entered = PayItem.objects.exclude(source="review")
        bonuses = {i.employee_id: i.amount for i in entered}
        assert bonuses and set(entered.values_list("month", flat=True)) == {AUGUST}
        # The review bonuses approved into November are on its (draft) payslips.
        reviewed = {(i.employee_id, i.month): i.amount
                    for i in PayItem.objects.filter(source="review")}
        assert reviewed and {month for _pk, month in reviewed} == {NOVEMBER}
        for payslip in Payslip.objects.all():
            expected = (bonuses.get(payslip.employee_id) if payslip.month == AUGUST
                        else reviewed.get((payslip.employee_id, payslip.month)))
            assert lines_of(payslip).get("bonus") == expected


def test_the_frontend_team_is_insured_in_beijing_at_beijing_rates(demo):
    with scope(company=demo.company.pk):
        payslips = list(Payslip.objects.filter(run__month=OCTOBER).select_related(
            "profile__city", "employee__department"))
        beijing = [p for p in payslips if p.profile.city.code == "beijing"]
        assert beijing and len(beijing) < len(payslips)
        assert {p.employee.department.name for p in beijing} == {"前端组"}
        for payslip in beijing:
            base, lines = payslip.profile.insurance_base, lines_of(payslip)
            assert payslip.profile.housing_fund_rate == D("0.12")
            # Beijing: medical 2 % + 3 CNY (大病), housing fund 12 % to the fen.
            assert lines["medical_employee"] == -(base * D("0.02") + 3).quantize(D("0.01"))
            assert lines["housing_fund_employee"] == -(base * D("0.12")).quantize(D("0.01"))
        shanghai = next(p for p in payslips if p.profile.city.code == "shanghai")
        assert lines_of(shanghai)["medical_employee"] == -(
            shanghai.profile.insurance_base * D("0.02")).quantize(D("0.01"))


def test_declarations_and_openings_carry_into_the_cumulative_withholding(demo):
    with scope(company=demo.company.pk):
        declaring = set(DeductionDeclaration.objects.values_list("employee_id", flat=True))
        profiles = SalaryProfile.objects.count()
        assert 0.25 * profiles <= len(declaring) <= 0.65 * profiles
        openings = {o.employee_id: o for o in YearToDateOpening.objects.all()}
        assert {(o.year, o.through_month) for o in openings.values()} == {(2026, 7)}
        checked = 0
        for payslip in Payslip.objects.filter(run__month=AUGUST, employee__in=declaring,
                                              employee__hire_date__lt=date(2026, 1, 1)):
            opening = openings[payslip.employee_id]
            assert opening.special_additional_deductions > 0
            monthly = opening.special_additional_deductions / 7
            assert payslip.ytd_special_additional_deductions == (
                opening.special_additional_deductions + monthly)
            assert payslip.ytd_income == opening.income + payslip.gross
            assert payslip.ytd_withheld == opening.withheld + payslip.tax_withheld
            assert payslip.months_employed == 8
            checked += 1
        assert checked > 5


def test_a_month_without_reference_data_gets_no_run(db):
    demo = seed_demo_company(employees=MIN_EMPLOYEES, today=date(2027, 1, 15))
    with scope(company=demo.company.pk):
        # The 2027 holiday calendar is not seeded: January stays without a run.
        assert list(PayrollRun.objects.order_by("month").values_list("month", "status")) == [
            (date(2026, 10, 1), RunStatus.PAID), (date(2026, 11, 1), RunStatus.PAID),
            (date(2026, 12, 1), RunStatus.PAID)]
        assert {o.through_month for o in YearToDateOpening.objects.all()} == {9}


@pytest.mark.parametrize("employees", [100, 300])
def test_seeding_pay_costs_the_same_bounded_number_of_queries_at_100_and_300(
        db, employees, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("tandem.goals.demo.seed_demo_goals", lambda company, today, **_: None)
    monkeypatch.setattr("tandem.pay.demo.seed_demo_pay", lambda company, today, **_: None)
    company = seed_demo_company(employees=employees, today=TODAY).company
    # Bulk inserts split at SQLite's 999 parameters, so a few statements grow with the
    # size; the runs take a constant number each. One bound for both sizes.
    with django_assert_max_num_queries(QUERY_BOUND):
        seed_demo_pay(company, TODAY)


QUERY_BOUND = 240  # 201 queries at 100 employees, 232 at 300 (SQLite)
