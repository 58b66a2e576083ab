"""Pay data of the demo company (see `org.demo`): the company "started using Tandem" three
months before the current one. Everyone employed since then gets a salary profile in force in
every month they were employed (Shanghai, or Beijing for the frontend and North China sales
teams), with a meal allowance; a realistic share declares special additional deductions; the
months of the year before Tandem are year-to-date openings; the three months before the current
one have attendance summaries (overtime in the last), a bonus in the first, a mid-month joiner
and a leaver in the second, and are calculated, approved and marked paid; the current month is
a calculated draft.

Written in bulk (a demo company may have thousands of people) with the history rows the
services would add; the figures pass the services' rules: housing fund inside each city's band
(Shanghai 5–7 %, Beijing 5–12 %), profiles starting no earlier than the hire month and the
first seeded policy (2025-07-01). The runs go through `pay.services_payroll`. A month without
reference data (no city policy or holiday calendar seeded for it) gets no run."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django_scopes import scope

from tandem.core.models import Company, Membership, Role
from tandem.org.demo import PROBATION_MONTHS, add_months
from tandem.org.models import Department, Employee, EmployeeStatus, JobChange, JobHistory

from . import selectors, services_payroll, social
from .models import (
    AttendanceSummary,
    City,
    DeductionCategory,
    DeductionDeclaration,
    FixedPayItem,
    HolidayYear,
    PayItem,
    PayItemKind,
    PayItemType,
    SalaryProfile,
    YearToDateOpening,
)
from .services_deductions import declaration_amount
from .tax import MonthIncome, cumulative_withholding

BATCH_SIZE = 500
FIRST_POLICY = date(2025, 7, 1)  # the first seeded policy periods (pay.seeds)
PAID_RUNS = 3
BANKS = ("招商银行", "工商银行", "建设银行", "中国银行")
MEAL_ALLOWANCE = Decimal("500.00")
# Departments whose people work (and are insured) in Beijing, by name: the frontend teams
# and North China sales (present from about 70 employees). Everyone else is in Shanghai.
BEIJING_DEPARTMENTS = ("前端", "华北销售")
# Inside both cities' bands (Shanghai 5–7 %, Beijing 5–12 %: pay.seeds.POLICIES).
HOUSING_FUND_RATES = {"shanghai": Decimal("0.07"), "beijing": Decimal("0.12")}
# What HR declares: the wage, at most a little under both cities' ceilings (Shanghai 37,302,
# Beijing 35,811), so no payslip warns of a clamped base.
DECLARED_BASE_CAP = Decimal("35000")
MID_MONTH = (5, 20)  # days of the month a demo joiner or leaver moves on
DECLARING_SHARE = 0.45
BONUS_SHARE = 0.3


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def seed_demo_pay(company: Company, today: date, *, seed: int = 11,
                  payroll_runs: bool = True) -> int:
    """Writes the demo pay data of `company` and (unless `payroll_runs` is False: they take
    most of the time of a large demo) its payroll runs; returns the number of salary
    profiles."""
    rng = random.Random(seed)
    current = _month_start(today)
    paid_months = [add_months(current, -n) for n in range(PAID_RUNS, 0, -1)]
    with scope(company=company.pk):
        everyone = list(Employee.objects.filter(hire_date__lte=today).order_by("pk"))
        _part_month_people(everyone, paid_months[1], today, rng)
        people = [e for e in everyone if e.leave_date is None or e.leave_date >= paid_months[0]]
        cities = {city.code: city for city in City.objects.filter(code__in=HOUSING_FUND_RATES)}
        beijing = _beijing_department_ids()
        profiles = _write_profiles(company, people, cities, beijing, rng)
        declarations = _write_declarations(company, people, paid_months[0], rng)
        _write_openings(company, profiles, declarations, paid_months[0])
        _write_attendance(company, people, paid_months, rng)
        _write_bonuses(company, people, paid_months[0], rng)
        if payroll_runs:
            _run_payrolls(company, paid_months, current, {c.pk for c in cities.values()})
    return len(profiles)


# --- people -------------------------------------------------------------------------------

def _part_month_people(everyone: list[Employee], month: date, today: date,
                       rng: random.Random) -> tuple[Employee | None, Employee | None]:
    """A mid-month joiner and a mid-month leaver in `month`: people of the org demo whose dates
    already fall there, else an ordinary employee's hire date and an earlier leaver's leave
    date moved there (with the job history and a change-history row, as an edit would). None
    when the company has no one to move (a tiny test company)."""
    joiner = next((e for e in everyone if e.leave_date is None
                   and _mid_month(e.hire_date, month)), None)
    leaver = next((e for e in everyone if e.leave_date and _mid_month(e.leave_date, month)),
                  None)
    moved = []
    if joiner is None:
        joiner = _movable_employee(everyone, month, rng)
        if joiner is not None:
            joiner.hire_date = month.replace(day=rng.randint(MID_MONTH[0], MID_MONTH[1]))
            joiner.probation_end_date = add_months(joiner.hire_date, PROBATION_MONTHS)
            joiner.status = (EmployeeStatus.PROBATION if joiner.probation_end_date > today
                             else EmployeeStatus.ACTIVE)
            JobHistory.objects.filter(employee=joiner, change=JobChange.HIRE).update(
                effective_date=joiner.hire_date)
            moved.append(joiner)
    if leaver is None:
        leaver = next((e for e in everyone if e.leave_date and e.leave_date < month
                       and e.hire_date < month - timedelta(days=31)), None)
        if leaver is not None:
            leaver.leave_date = month.replace(day=rng.randint(MID_MONTH[0], MID_MONTH[1]))
            JobHistory.objects.filter(employee=leaver, change=JobChange.EXIT).update(
                effective_date=leaver.leave_date)
            moved.append(leaver)
    if moved:
        Employee.objects.bulk_update(moved, ["hire_date", "probation_end_date", "status",
                                             "leave_date"])
        Employee.history.bulk_history_create(moved, update=True)
    return joiner, leaver


def _mid_month(day: date, month: date) -> bool:
    return day.year == month.year and day.month == month.month and (
        MID_MONTH[0] <= day.day <= MID_MONTH[1])


def _movable_employee(everyone: list[Employee], month: date,
                      rng: random.Random) -> Employee | None:
    """An ordinary employee hired before `month` and still here: no sign-in, leads nobody."""
    managers = {e.manager_id for e in everyone}
    leaders = set(Department.objects.exclude(leader=None).values_list("leader_id", flat=True))
    candidates = [e for e in everyone if e.leave_date is None and e.hire_date < month
                  and e.user_id is None and e.pk not in managers and e.pk not in leaders]
    return rng.choice(candidates) if candidates else None


def _beijing_department_ids() -> set[int]:
    names = Q()
    for prefix in BEIJING_DEPARTMENTS:
        names |= Q(name__startswith=prefix)
    return set(Department.objects.filter(names).values_list("pk", flat=True))


# --- records ------------------------------------------------------------------------------

def _write_profiles(company: Company, people: list[Employee], cities: dict[str, City],
                    beijing: set[int], rng: random.Random) -> list[SalaryProfile]:
    profiles = []
    for employee in people:
        code = "beijing" if employee.department_id in beijing else "shanghai"
        wage = Decimal(rng.randrange(16, 90) * 500)
        profiles.append(SalaryProfile(
            company=company, employee=employee, city=cities[code],
            effective_from=max(_month_start(employee.hire_date), FIRST_POLICY),
            base_monthly_wage=wage, insurance_base=min(wage, DECLARED_BASE_CAP),
            housing_fund_rate=HOUSING_FUND_RATES[code], bank_name=rng.choice(BANKS),
            bank_account="6222" + "".join(str(rng.randrange(10)) for _ in range(12))))
    SalaryProfile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
    SalaryProfile.history.bulk_history_create(profiles, batch_size=BATCH_SIZE)
    items = [FixedPayItem(company=company, profile=profile, kind=PayItemKind.ALLOWANCE,
                          name="餐补", amount=MEAL_ALLOWANCE) for profile in profiles]
    FixedPayItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    FixedPayItem.history.bulk_history_create(items, batch_size=BATCH_SIZE)
    return profiles


def _write_declarations(company: Company, people: list[Employee], first_paid: date,
                        rng: random.Random) -> list[DeductionDeclaration]:
    """Children's education (the parents' 50/50 split or all), elderly support (an only
    child's whole amount or a sibling's agreed 1,500) and housing: rent in these tier-1
    cities or loan interest, never both (国发〔2018〕41号; amounts 国发〔2023〕13号)."""
    declarations = []
    for employee in people:
        if rng.random() >= DECLARING_SHARE:
            continue
        start = max(date(first_paid.year, 1, 1), _month_start(employee.hire_date))

        def declare(category, variant="", share=Decimal(1), amount=None, dependant="",
                    employee=employee, start=start):
            declarations.append(DeductionDeclaration(
                company=company, employee=employee, category=category, variant=variant,
                share=share, monthly_amount=amount, dependant=dependant, from_month=start))

        if rng.random() < 0.6:
            declare(DeductionCategory.CHILDREN_EDUCATION,
                    share=rng.choice((Decimal("0.5"), Decimal(1))), dependant="子女")
        if rng.random() < 0.5:
            sibling = rng.random() < 0.4
            declare(DeductionCategory.ELDERLY_SUPPORT, dependant="父母",
                    amount=Decimal("1500.00") if sibling else None)
        housing = rng.random()
        if housing < 0.35:
            declare(DeductionCategory.HOUSING_RENT, variant="tier-1")
        elif housing < 0.6:
            declare(DeductionCategory.HOUSING_LOAN_INTEREST)
    DeductionDeclaration.objects.bulk_create(declarations, batch_size=BATCH_SIZE)
    DeductionDeclaration.history.bulk_history_create(declarations, batch_size=BATCH_SIZE)
    return declarations


def _write_openings(company: Company, profiles: list[SalaryProfile],
                    declarations: list[DeductionDeclaration], first_paid: date) -> None:
    """The year's cumulative figures before the first month in Tandem, as the previous system
    would have left them (国家税务总局公告2018年第61号: the withholding cumulates per employer
    and year): the profile's wage, allowance, contributions and declarations every month,
    under the policy in force the month before Tandem (the earliest seeded one before it)."""
    through = first_paid.month - 1
    if through == 0:
        return  # Tandem starts in January: nothing came before this year
    year, last_month = first_paid.year, add_months(first_paid, -1)
    policies = selectors.policies_in_force(max(last_month, FIRST_POLICY))
    standards = selectors.deduction_standards_on(date(year, 1, 1))
    monthly_deductions: dict[int, Decimal] = {}
    for declaration in declarations:
        standard = standards.get((declaration.category, declaration.variant))
        if standard is not None and standard.monthly_withholding:
            monthly_deductions[declaration.employee_id] = (
                monthly_deductions.get(declaration.employee_id, Decimal(0))
                + declaration_amount(declaration, standard))
    contributions: dict[tuple, Decimal] = {}
    withheld: dict[tuple[MonthIncome, int], Decimal] = {}
    openings = []
    for profile in profiles:
        hired = profile.employee.hire_date
        if hired >= first_paid:
            continue
        start = hired.month if hired.year == year else 1
        key = (profile.city_id, profile.insurance_base, profile.housing_fund_rate)
        if key not in contributions:
            rules = policies[profile.city_id].scheme_rules(
                housing_fund_rate=profile.housing_fund_rate)
            contributions[key] = sum(
                (c.employee_amount for c in social.contributions(
                    base=profile.insurance_base, rules=rules)), Decimal(0))
        month = MonthIncome(
            income=profile.base_monthly_wage + MEAL_ALLOWANCE,
            special_deductions=contributions[key],
            special_additional_deductions=monthly_deductions.get(profile.employee_id,
                                                                 Decimal(0)))
        months = through - start + 1
        if (month, start) not in withheld:  # people share wage levels: compute each once
            withheld[month, start] = cumulative_withholding(
                [month] * months, first_month=start).total_withheld
        openings.append(YearToDateOpening(
            company=company, employee_id=profile.employee_id, year=year, through_month=through,
            income=month.income * months, special_deductions=month.special_deductions * months,
            special_additional_deductions=month.special_additional_deductions * months,
            withheld=withheld[month, start]))
    YearToDateOpening.objects.bulk_create(openings, batch_size=BATCH_SIZE)
    YearToDateOpening.history.bulk_history_create(openings, batch_size=BATCH_SIZE)


def _write_attendance(company: Company, people: list[Employee], paid_months: list[date],
                      rng: random.Random) -> None:
    """A summary for everyone employed the whole of each paid month; overtime in the last one
    (within the 36 hours a month of 《劳动法》第四十一条). A part month has no summary: payroll
    counts its paid days from the work calendar."""
    summaries = []
    for month in paid_months:
        end, overtime = _month_end(month), month == paid_months[-1]
        for employee in people:
            if employee.hire_date > month or (employee.leave_date and employee.leave_date < end):
                continue
            summaries.append(AttendanceSummary(
                company=company, employee=employee, month=month, paid_days=Decimal("21.75"),
                overtime_workday_hours=Decimal(rng.choice((0, 0, 2, 4, 6, 8)) if overtime
                                               else 0),
                overtime_rest_day_hours=Decimal(rng.choice((0, 0, 0, 8)) if overtime else 0)))
    AttendanceSummary.objects.bulk_create(summaries, batch_size=BATCH_SIZE)
    AttendanceSummary.history.bulk_history_create(summaries, batch_size=BATCH_SIZE)


def _write_bonuses(company: Company, people: list[Employee], month: date,
                   rng: random.Random) -> None:
    end = _month_end(month)
    items = [
        PayItem(company=company, employee=employee, month=month,
                kind=PayItemType.REGULAR_BONUS, name="季度奖金",
                amount=Decimal(rng.randrange(2, 21) * 500))
        for employee in people
        if employee.hire_date <= month and not (employee.leave_date
                                                and employee.leave_date <= end)
        and rng.random() < BONUS_SHARE
    ]
    PayItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    PayItem.history.bulk_history_create(items, batch_size=BATCH_SIZE)


# --- runs ---------------------------------------------------------------------------------

def _run_payrolls(company: Company, paid_months: list[date], current: date,
                  city_ids: set[int]) -> None:
    """HR creates and calculates each month, finance approves and marks it paid
    (`pay.rules_payroll`); the current month stays a calculated draft. No payslip is
    emailed: a demo pays no one and must tell no one it did."""
    users = {m.role: m.user for m in Membership.objects.filter(
        company=company, is_active=True, role__in=(Role.HR, Role.FINANCE)).select_related(
        "user").order_by("pk")}
    hr, finance = users.get(Role.HR), users.get(Role.FINANCE)
    known_years = set(HolidayYear.objects.values_list("year", flat=True))
    for month in [*paid_months, current]:
        if month.year not in known_years or not city_ids <= set(
                selectors.policies_in_force(month, city_ids)):
            continue  # no reference data for the month: HR would add it first
        run = services_payroll.create_run(company=company, month=month, by=hr)
        run = services_payroll.calculate_run(run=run, by=hr)
        if month != current and run.blocking_problem_count == 0:
            services_payroll.approve_run(run=run, by=finance)
            services_payroll.mark_paid(run=run, by=finance, email_payslips=False)
