"""Reads of the payroll run pages: the inputs check of a month, the run's problems in words
and its payslips. Each in a constant number of queries whatever the headcount. Needs the
company scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .calculation import PayMonth
from .calculation.result import PROBLEM_MESSAGES, Section
from .calculation.result import ProblemCode as CalculationCode
from .models import (
    AttendanceSummary,
    City,
    PayItem,
    PayItemType,
    PayrollRun,
    Payslip,
    RunProblem,
    RunStatus,
    SalaryProfile,
    Scheme,
)
from .models import ProblemCode as RunCode
from .payroll.loader import employed_in
from .selectors import in_force

ZERO = Decimal(0)


def runs():
    return PayrollRun.objects.order_by("-month")


# --- inputs check ---------------------------------------------------------------------------

@dataclass
class PayItemTotal:
    kind: str
    label: str
    count: int
    amount: Decimal


@dataclass
class InputsCheck:
    employed: int
    with_profile: int
    with_bank_account: int
    with_attendance: int
    absence_days: Decimal
    unpaid_leave_days: Decimal
    overtime_hours: Decimal
    pay_items: list[PayItemTotal] = field(default_factory=list)

    @property
    def without_profile(self) -> int:
        return self.employed - self.with_profile

    @property
    def without_bank_account(self) -> int:
        return self.with_profile - self.with_bank_account


def inputs_check(run: PayrollRun) -> InputsCheck:
    """What the calculation will read for `run`'s month, counted: four queries."""
    month = PayMonth(run.month.year, run.month.month)
    employed = employed_in(month.first_day, month.last_day)
    employed_count = employed.count()
    profiles = in_force(SalaryProfile.objects.all(), month.last_day, key=("employee",)).filter(
        employee__in=employed.values("pk")).aggregate(
        total=Count("pk"), banked=Count("pk", filter=~Q(bank_account="")))
    attendance = AttendanceSummary.objects.filter(
        month=month.first_day, employee__in=employed.values("pk")).aggregate(
        count=Count("pk"), absence=Sum("absence_days"), unpaid=Sum("unpaid_leave_days"),
        workday=Sum("overtime_workday_hours"), rest=Sum("overtime_rest_day_hours"),
        holiday=Sum("overtime_holiday_hours"))
    labels = dict(PayItemType.choices)
    items = [PayItemTotal(row["kind"], labels.get(row["kind"], row["kind"]), row["count"],
                          row["amount"] or ZERO)
             for row in PayItem.objects.filter(month=month.first_day).order_by("kind")
             .values("kind").annotate(count=Count("pk"), amount=Sum("amount"))]
    return InputsCheck(
        employed=employed_count, with_profile=profiles["total"],
        with_bank_account=profiles["banked"], with_attendance=attendance["count"],
        absence_days=attendance["absence"] or ZERO,
        unpaid_leave_days=attendance["unpaid"] or ZERO,
        overtime_hours=sum((attendance[key] or ZERO for key in ("workday", "rest", "holiday")),
                           ZERO),
        pay_items=items)


# --- problems -------------------------------------------------------------------------------

MONEY_PARAMS = frozenset({"pay", "minimum", "declared_base", "base", "net"})

# Title and what to do, by code: the run's own problems and the calculation's warnings.
PROBLEM_TITLES = {
    RunCode.NO_SALARY_PROFILE: gettext_lazy("No salary profile"),
    RunCode.NO_CITY_POLICY: gettext_lazy("No city policy in force"),
    RunCode.CALENDAR_UNKNOWN: gettext_lazy("Holiday calendar unknown"),
    RunCode.CANNOT_CALCULATE: gettext_lazy("Cannot be calculated"),
    RunCode.MISSING_BANK_ACCOUNT: gettext_lazy("No bank account"),
    CalculationCode.PAY_BELOW_MINIMUM_WAGE: gettext_lazy("Pay below the minimum wage"),
    CalculationCode.BASE_BELOW_FLOOR: gettext_lazy("Insurance base below the floor"),
    CalculationCode.BASE_ABOVE_CEILING: gettext_lazy("Insurance base above the ceiling"),
    CalculationCode.NEGATIVE_NET: gettext_lazy("Negative net pay"),
    CalculationCode.OVERTIME_OVER_MONTHLY_LIMIT: gettext_lazy("Overtime over the legal limit"),
    CalculationCode.ANNUAL_BONUS_SEPARATE_UNAVAILABLE: gettext_lazy(
        "Annual bonus merged into the month"),
}
PROBLEM_ACTIONS = {
    RunCode.NO_SALARY_PROFILE: gettext_lazy(
        "Add a salary profile in force in this month, then calculate again."),
    RunCode.NO_CITY_POLICY: gettext_lazy(
        "Add the city's social insurance policy for this month, or change the salary "
        "profile's city, then calculate again."),
    RunCode.CALENDAR_UNKNOWN: gettext_lazy(
        "Enter the year's statutory holidays in the holiday table, then calculate again."),
    RunCode.CANNOT_CALCULATE: gettext_lazy(
        "Check the salary profile and the month's pay items, then calculate again."),
    RunCode.MISSING_BANK_ACCOUNT: gettext_lazy("Add a bank account to the salary profile."),
    CalculationCode.PAY_BELOW_MINIMUM_WAGE: gettext_lazy(
        "Check the base wage and the absence days; raise the pay to the minimum wage."),
    CalculationCode.BASE_BELOW_FLOOR: gettext_lazy(
        "Update the declared insurance base in the salary profile."),
    CalculationCode.BASE_ABOVE_CEILING: gettext_lazy(
        "Update the declared insurance base in the salary profile."),
    CalculationCode.NEGATIVE_NET: gettext_lazy(
        "Check the month's deductions: recover the rest in a later month."),
    CalculationCode.OVERTIME_OVER_MONTHLY_LIMIT: gettext_lazy(
        "Check the attendance summary's overtime hours."),
    CalculationCode.ANNUAL_BONUS_SEPARATE_UNAVAILABLE: gettext_lazy(
        "Nothing to do unless the method was meant: the tax is correct as merged."),
}
RUN_MESSAGES = {
    RunCode.NO_CITY_POLICY: gettext_lazy("No policy of %(city)s is in force in this month."),
    RunCode.CALENDAR_UNKNOWN: gettext_lazy("The holidays of %(year)s are not known."),
    # The reason is already a message of its own (an English msgid, translated in _words).
    RunCode.CANNOT_CALCULATE: "%(reason)s",
}


@dataclass
class ProblemRow:
    employee_id: int
    employee_name: str
    message: str


@dataclass
class ProblemGroup:
    code: str
    title: str
    action: str
    blocking: bool
    rows: list[ProblemRow]


def money(value) -> str:
    return number_format(Decimal(str(value)), decimal_pos=2, force_grouping=True)


def _words(params: dict, cities: dict[int, str]) -> dict:
    shown = {}
    for key, value in params.items():
        if key in MONEY_PARAMS:
            shown[key] = money(value)
        elif key == "scheme":
            shown[key] = Scheme(value).label if value in Scheme.values else value
        elif key == "reason":
            shown[key] = _(value)
        elif key == "city_id":
            shown["city"] = cities.get(value, str(value))
        else:
            shown[key] = value
    return shown


def problem_message(code: str, params: dict, cities: dict[int, str]) -> str:
    template = PROBLEM_MESSAGES.get(code) or RUN_MESSAGES.get(code)
    if template is None:
        return ""
    try:
        return _(str(template)) % _words(params, cities)
    except (KeyError, TypeError, ValueError):
        # A stored problem older than its message's parameters: say what we can.
        return _(str(template)).split("%(")[0].strip()


def problem_groups(run: PayrollRun) -> list[ProblemGroup]:
    """The run's problems grouped by code, blocking groups first, people by name: two
    queries (the problems with their employees, the cities they name)."""
    problems = list(RunProblem.objects.filter(run=run).select_related("employee")
                    .order_by("-blocking", "code", "employee__name", "pk"))
    city_ids = {p.params.get("city_id") for p in problems if p.params.get("city_id")}
    cities = dict(City.objects.filter(pk__in=city_ids).values_list("pk", "name")
                  ) if city_ids else {}
    groups: dict[str, ProblemGroup] = {}
    for problem in problems:
        group = groups.get(problem.code)
        if group is None:
            group = groups[problem.code] = ProblemGroup(
                problem.code, str(PROBLEM_TITLES.get(problem.code, problem.code)),
                str(PROBLEM_ACTIONS.get(problem.code, "")), problem.blocking, [])
        group.blocking = group.blocking or problem.blocking
        group.rows.append(ProblemRow(problem.employee_id, problem.employee.name,
                                     problem_message(problem.code, problem.params, cities)))
    return sorted(groups.values(), key=lambda g: (not g.blocking, g.title))


# --- payslips -------------------------------------------------------------------------------

def run_payslips(run: PayrollRun, search: str = ""):
    """The run's payslips by name, without their lines, with `tax` (withheld on the month
    plus on the annual bonus)."""
    payslips = (Payslip.objects.filter(run=run).select_related("employee").defer("lines")
                .annotate(tax=F("tax_withheld") + F("annual_bonus_tax"))
                .order_by("employee__name", "pk"))
    if search:
        payslips = payslips.filter(employee__name__icontains=search)
    return payslips



# --- comparison with the previous run ---------------------------------------------------------

@dataclass
class Change:
    employee_id: int
    employee_name: str
    previous_net: Decimal | None
    net: Decimal | None
    reasons: list[str]

    @property
    def difference(self) -> Decimal:
        return (self.net or ZERO) - (self.previous_net or ZERO)


@dataclass
class Comparison:
    previous: PayrollRun | None
    # The changes on the page asked for, and the page itself (None when nothing to compare).
    changes: list[Change]
    page_obj: object = None

    @property
    def total(self) -> int:
        return self.page_obj.paginator.count if self.page_obj is not None else 0


COMPARISON_PAGE_SIZE = 50


def previous_run(run: PayrollRun) -> PayrollRun | None:
    """The latest earlier run that has payslips (calculated, approved or paid)."""
    return (PayrollRun.objects.filter(month__lt=run.month)
            .exclude(status__in=(RunStatus.DRAFT, RunStatus.CALCULATING))
            .order_by("-month").first())


def _line_key(line: dict) -> tuple:
    # One-off items and corrections are numbered in their payslip's order, which shifts from
    # month to month: they are the same item when label and name match.
    code = line["code"]
    if code.startswith(("item_", "adjustment_")):
        return (code.split("_")[0], line["label"], line.get("name", ""))
    return (code,)


def _step(line: dict | None, label: str):
    for step in (line or {}).get("explanation", []):
        if step["label"] == label:
            return step["value"]
    return None


def _line_title(line: dict) -> str:
    title = _(line["label"])
    return f"{title} {line['name']}" if line.get("name") else title


def _rate(value) -> str:
    return f"{format((Decimal(str(value)) * 100).normalize(), 'f')} %"


def change_reasons(previous_lines: list[dict], lines: list[dict]) -> list[str]:
    """Why a payslip differs from the previous month's, line by line, in the reader's
    language: the base wage and the tax bracket by their inputs, every other line by its
    amount."""
    # The employer's lines do not touch the net pay.
    before = {_line_key(line): line for line in previous_lines
              if line["section"] != Section.EMPLOYER}
    after = {_line_key(line): line for line in lines if line["section"] != Section.EMPLOYER}
    reasons = []
    old_base = _step(before.get(("base_pay",)), "Monthly base wage")
    new_base = _step(after.get(("base_pay",)), "Monthly base wage")
    if old_base is not None and new_base is not None and Decimal(old_base) != Decimal(new_base):
        reasons.append(_("Base wage changed: %(old)s → %(new)s") % {
            "old": money(old_base), "new": money(new_base)})
        # The base pay line says the same again.
        before.pop(("base_pay",))
        after.pop(("base_pay",))
    old_rate = _step(before.get(("income_tax",)), "Withholding rate")
    new_rate = _step(after.get(("income_tax",)), "Withholding rate")
    if old_rate is not None and new_rate is not None and Decimal(old_rate) != Decimal(new_rate):
        reasons.append(_("Tax bracket changed: %(old)s → %(new)s") % {
            "old": _rate(old_rate), "new": _rate(new_rate)})
    for key in [*after, *(key for key in before if key not in after)]:
        old = Decimal(before[key]["amount"]) if key in before else ZERO
        new = Decimal(after[key]["amount"]) if key in after else ZERO
        if old != new:
            line = after.get(key) or before[key]
            reasons.append(_("%(line)s: %(old)s → %(new)s") % {
                "line": _line_title(line), "old": money(old), "new": money(new)})
    return reasons


def comparison(run: PayrollRun, page: int | str | None = 1) -> Comparison:
    """Every employee whose net pay differs from the previous run's, a page at a time, with
    the difference and its reasons from the two payslips' lines. Three queries whatever the
    headcount: the previous run, both runs' net pay (small rows: who changed is known before
    any payslip line is read), and the lines of the page's people only."""
    previous = previous_run(run)
    if previous is None or run.status in (RunStatus.DRAFT, RunStatus.CALCULATING):
        return Comparison(previous, [])
    rows = (Payslip.objects.filter(run__in=(run.pk, previous.pk))
            .values_list("run_id", "employee_id", "employee__name", "net"))
    nets: dict[int, dict[int, Decimal]] = {run.pk: {}, previous.pk: {}}
    names = {}
    for run_id, employee_id, name, net in rows:
        nets[run_id][employee_id] = net
        names[employee_id] = name
    changed = [employee_id for employee_id in sorted(names, key=lambda pk: (names[pk], pk))
               if nets[run.pk].get(employee_id) != nets[previous.pk].get(employee_id)]
    page_obj = Paginator(changed, COMPARISON_PAGE_SIZE).get_page(page)
    on_page = list(page_obj.object_list)
    lines: dict[tuple[int, int], list] = {
        (run_id, employee_id): payslip_lines
        for run_id, employee_id, payslip_lines in Payslip.objects.filter(
            run__in=(run.pk, previous.pk), employee__in=on_page,
        ).values_list("run_id", "employee_id", "lines")
    } if on_page else {}
    changes = []
    for employee_id in on_page:
        now = nets[run.pk].get(employee_id)
        then = nets[previous.pk].get(employee_id)
        if now is None:
            reasons = [_("No payslip this month (left, or a blocking problem).")]
        elif then is None:
            reasons = [_("No payslip last time (joined, or a blocking problem then).")]
        else:
            reasons = change_reasons(lines[(previous.pk, employee_id)],
                                     lines[(run.pk, employee_id)])
        changes.append(Change(employee_id, names[employee_id], then, now, reasons))
    return Comparison(previous, changes, page_obj)
