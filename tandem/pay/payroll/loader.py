"""The inputs of a month's payroll, set-based: one `PayslipInput` per employee employed in the
month, read in a constant number of queries whatever the headcount (about fifteen: the
employees, profiles in force and their fixed items, policies and scheme rates, work-injury
rates, minimum wages, attendance, declarations and standards, pay items, the carried
year-to-date figures and openings, the annual-bonus flags and the work calendar).

Employees it cannot price become `Unpriced` problems, never an exception. Needs the company
scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from tandem.org.models import Employee, EmploymentType
from tandem.pay import selectors, social
from tandem.pay.calculation import (
    Adjustment,
    AnnualBonus,
    Attendance,
    BonusMethod,
    PayMonth,
    PayslipInput,
    SocialInsurance,
    TaxInputs,
)
from tandem.pay.calculation import PayItem as CalculationItem
from tandem.pay.calculation import PayItemKind as CalculationItemKind
from tandem.pay.models import (
    LOCKED_STATUSES,
    FixedPayItem,
    PayItem,
    PayItemType,
    PayrollRun,
    Payslip,
    ProblemCode,
    SalaryProfile,
    YearToDateOpening,
)
from tandem.pay.models import PayItemKind as FixedItemKind
from tandem.pay.services_deductions import declaration_amount
from tandem.pay.tax import YearToDate

ZERO = Decimal(0)
MONTH, YEAR_TO_DATE = "month", "year_to_date"  # the keys of Payslip.special_additional_by_category
YTD_FIELDS = ("income", "tax_free_income", "special_deductions",
              "special_additional_deductions", "other_deductions", "withheld")


@dataclass(frozen=True)
class EmployeeMonth:
    """One employee's inputs, with what the stored payslip keeps beside the result.
    `deductions` is this month's special additional deductions by category (they add up to
    `data.tax.special_additional_deductions`); `deductions_before`, the year-to-date ones the
    month starts from (empty after an imported opening or a payslip stored before
    categories were kept: only their total is known)."""

    employee_id: int
    profile_id: int
    bank_name: str
    bank_account: str
    data: PayslipInput
    deductions: dict[str, Decimal] = field(default_factory=dict)
    deductions_before: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class RunProblemData:
    employee_id: int
    code: str
    params: dict = field(default_factory=dict)
    blocking: bool = False


@dataclass
class MonthInputs:
    months: list[EmployeeMonth]
    problems: list[RunProblemData]
    employee_count: int


def categories_of(stored: dict | None, key: str) -> dict[str, Decimal]:
    """Category → amount from a payslip's `special_additional_by_category` (`key`: MONTH or
    YEAR_TO_DATE); empty for a payslip stored before categories were kept."""
    return {category: Decimal(amount) for category, amount in ((stored or {}).get(key) or {})
            .items()}


def employed_in(first_day: date, last_day: date):
    """Employees employed in the month: hired by its last day, not left before its first."""
    return Employee.objects.filter(hire_date__lte=last_day).filter(
        Q(leave_date__isnull=True) | Q(leave_date__gte=first_day))


def months_employed(hire_date: date, month: PayMonth) -> int:
    """Months at this employer in the tax year, this one included (the cumulative basic
    deduction counts them: 国家税务总局公告2018年第61号 Art. 6)."""
    if hire_date.year == month.year:
        return month.month - hire_date.month + 1
    return month.month


def fixed_item(item: FixedPayItem) -> CalculationItem:
    """A profile's fixed item as the calculation takes it. A taxable allowance is income; a
    non-taxable one is tax-free income. A deduction is taken after tax unless it is marked
    not taxable (the money deducted was never taxed: a deduction before tax)."""
    return CalculationItem(item.name, item.amount, _item_kind(item.kind == FixedItemKind.ALLOWANCE,
                                                              item.taxable))


def _item_kind(allowance: bool, taxable: bool) -> CalculationItemKind:
    if allowance:
        return (CalculationItemKind.TAXABLE_ALLOWANCE if taxable
                else CalculationItemKind.NON_TAXABLE_ALLOWANCE)
    return (CalculationItemKind.POST_TAX_DEDUCTION if taxable
            else CalculationItemKind.PRE_TAX_DEDUCTION)


def year_to_date_before(month: PayMonth) -> tuple[dict[int, tuple[int, YearToDate, dict]],
                                                   set[int]]:
    """Employee id → (month, figures, special additional deductions by category to date) of
    the latest approved or paid payslip earlier in the tax year; and the employees whose
    annual bonus was already taxed separately this year."""
    earlier = Payslip.objects.filter(month__year=month.year, month__lt=month.first_day,
                                     run__status__in=LOCKED_STATUSES)
    latest = (Payslip._base_manager.filter(
        employee=OuterRef("employee"), month__year=month.year, month__lt=month.first_day,
        run__status__in=LOCKED_STATUSES).order_by("-month", "-pk").values("pk")[:1])
    rows = earlier.filter(pk=Subquery(latest)).values_list(
        "employee_id", "month", "special_additional_by_category",
        *(f"ytd_{name}" for name in YTD_FIELDS))
    carried = {row[0]: (row[1].month, YearToDate(*row[3:]), categories_of(row[2], YEAR_TO_DATE))
               for row in rows}
    separate = set(earlier.filter(annual_bonus_method=BonusMethod.SEPARATE).order_by()
                   .values_list("employee_id", flat=True).distinct())
    return carried, separate


def openings_before(month: PayMonth) -> dict[int, YearToDateOpening]:
    return {opening.employee_id: opening for opening in YearToDateOpening.objects.filter(
        year=month.year, through_month__lt=month.month)}


def load_month(run: PayrollRun) -> MonthInputs:
    month = PayMonth(run.month.year, run.month.month)
    first, last = month.first_day, month.last_day
    employees = list(employed_in(first, last).order_by("pk").values_list(
        "pk", "hire_date", "leave_date", "employment_type"))
    employee_ids = {row[0] for row in employees}
    profiles = {p.employee_id: p for p in selectors.in_force(
        SalaryProfile.objects.all(), last, key=("employee",)).only(
        "pk", "employee_id", "base_monthly_wage", "city_id", "insurance_base",
        "housing_fund_base", "housing_fund_rate", "supplementary_housing_fund_rate",
        "housing_fund_transferred", "first_wage_income_of_year", "bank_name", "bank_account")
        if p.employee_id in employee_ids}
    items = defaultdict(list)
    for item in FixedPayItem.objects.filter(profile__in=Subquery(selectors.in_force(
            SalaryProfile.objects.all(), last, key=("employee",)).values("pk"))).order_by(
            "profile_id", "kind", "name"):
        items[item.profile_id].append(fixed_item(item))
    policies = selectors.policies_in_force(first)
    injury_rates = {city: rate.employer_rate
                    for city, rate in selectors.work_injury_rates_in_force(first).items()}
    minimum_wages = {city: wage.monthly_amount
                     for city, wage in selectors.minimum_wages_in_force(first).items()}
    attendance = {summary.employee_id: summary
                  for summary in selectors.attendance_for_month(first)}
    deductions = _special_additional_deductions(first)
    one_offs = _pay_items(first)
    carried, separate_used = year_to_date_before(month)
    openings = openings_before(month)
    calendar = selectors.work_calendar([month.year])

    months, problems = [], []
    for employee_id, hire_date, leave_date, employment_type in employees:
        profile = profiles.get(employee_id)
        if profile is None:
            problems.append(RunProblemData(employee_id, ProblemCode.NO_SALARY_PROFILE,
                                           blocking=True))
            continue
        policy = policies.get(profile.city_id)
        if policy is None:
            problems.append(RunProblemData(employee_id, ProblemCode.NO_CITY_POLICY,
                                           {"city_id": profile.city_id}, blocking=True))
            continue
        previous, before, separate = _carried(employee_id, carried, openings, separate_used)
        claimed = deductions.get(employee_id, {})
        rules = policy.scheme_rules(
            housing_fund_rate=profile.housing_fund_rate,
            supplementary_rate=profile.supplementary_housing_fund_rate,
            work_injury_rate=injury_rates.get(profile.city_id))
        one_off = one_offs.get(employee_id, _OneOffs())
        summary = attendance.get(employee_id)
        data = PayslipInput(
            month=month, join_date=hire_date, leave_date=leave_date,
            base_wage=profile.base_monthly_wage,
            social=SocialInsurance(
                declared_base=profile.insurance_base, rules=rules,
                housing_fund_base=profile.housing_fund_base,
                housing_fund_due=social.housing_fund_due(
                    join_date=hire_date, month_start=first,
                    transferred_account=profile.housing_fund_transferred)),
            tax=TaxInputs(
                months_employed=months_employed(hire_date, month), previous=previous,
                first_wage_income_of_year=profile.first_wage_income_of_year,
                special_additional_deductions=sum(claimed.values(), ZERO),
                annual_bonus_separate_used=separate),
            items=tuple(items.get(profile.pk, ())) + tuple(one_off.items),
            attendance=None if summary is None else Attendance(
                paid_days=summary.paid_days, absence_days=summary.absence_days,
                unpaid_leave_days=summary.unpaid_leave_days,
                workday_overtime_hours=summary.overtime_workday_hours,
                rest_day_overtime_hours=summary.overtime_rest_day_hours,
                holiday_overtime_hours=summary.overtime_holiday_hours),
            regular_bonus=one_off.regular_bonus,
            annual_bonus=one_off.annual_bonus(),
            adjustments=tuple(one_off.adjustments),
            # Labour Law Art. 48 is a full-time wage floor; part-time work has an hourly one.
            minimum_wage=(minimum_wages.get(profile.city_id)
                          if employment_type == EmploymentType.FULL_TIME else None),
            calendar=calendar,
        )
        months.append(EmployeeMonth(employee_id, profile.pk, profile.bank_name,
                                    profile.bank_account, data, claimed, before))
        if not profile.bank_account:
            problems.append(RunProblemData(employee_id, ProblemCode.MISSING_BANK_ACCOUNT))
    return MonthInputs(months=months, problems=problems, employee_count=len(employees))


def _carried(employee_id: int, carried: dict, openings: dict,
             separate_used: set) -> tuple[YearToDate, dict, bool]:
    """The figures the month starts from: the later of the last approved payslip of the year
    and the imported opening (a payslip wins a tie: it was computed here), with the special
    additional deductions by category to date (none known from an opening)."""
    payslip = carried.get(employee_id)
    opening = openings.get(employee_id)
    separate = employee_id in separate_used
    if opening is not None:
        separate = separate or opening.annual_bonus_separate_used
        if payslip is None or opening.through_month > payslip[0]:
            return YearToDate(*(getattr(opening, name) for name in YTD_FIELDS)), {}, separate
    if payslip is None:
        return YearToDate(), {}, separate
    return payslip[1], payslip[2], separate


def _special_additional_deductions(first: date) -> dict[int, dict[str, Decimal]]:
    """Employee id → category → the month's special additional deductions: each declaration
    in force times its share, by the standard in force (国发〔2018〕41号; items claimed only at
    the annual reconciliation are left out). Only categories with a declaration appear."""
    standards = selectors.deduction_standards_on(first)
    amounts: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for declaration in selectors.declarations_for_month(first):
        standard = standards.get((declaration.category, declaration.variant))
        if standard is None or not standard.monthly_withholding:
            continue
        by_category = amounts[declaration.employee_id]
        by_category[declaration.category] = (by_category.get(declaration.category, ZERO)
                                             + declaration_amount(declaration, standard))
    return amounts


@dataclass
class _OneOffs:
    items: list = field(default_factory=list)
    adjustments: list = field(default_factory=list)
    regular_bonus: Decimal = ZERO
    annual_bonus_amount: Decimal | None = None
    annual_bonus_method: str = BonusMethod.CHEAPER

    def annual_bonus(self) -> AnnualBonus | None:
        if self.annual_bonus_amount is None:
            return None
        return AnnualBonus(self.annual_bonus_amount, BonusMethod(self.annual_bonus_method))


def _pay_items(first: date) -> dict[int, _OneOffs]:
    """Employee id → the month's one-off items, as the calculation takes them. Several annual
    bonus items of one month are one bonus (the last one's method)."""
    by_employee: dict[int, _OneOffs] = defaultdict(_OneOffs)
    for item in PayItem.objects.filter(month=first).order_by("employee_id", "pk"):
        one_off = by_employee[item.employee_id]
        if item.kind == PayItemType.REGULAR_BONUS:
            one_off.regular_bonus += item.amount
        elif item.kind == PayItemType.ANNUAL_BONUS:
            one_off.annual_bonus_amount = (one_off.annual_bonus_amount or ZERO) + item.amount
            one_off.annual_bonus_method = item.annual_bonus_method or BonusMethod.CHEAPER
        elif item.kind == PayItemType.ADJUSTMENT:
            one_off.adjustments.append(Adjustment(item.name, item.amount, item.taxable))
        else:
            one_off.items.append(CalculationItem(
                item.name, item.amount, _item_kind(item.kind == PayItemType.ALLOWANCE,
                                                   item.taxable)))
    return by_employee
