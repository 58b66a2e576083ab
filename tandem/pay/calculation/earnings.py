"""The earnings side of a payslip: the contract wage for the days employed, absence and
unpaid-leave deductions, overtime, fixed items, bonuses and adjustments. Each line is rounded
half-up to the fen where it is computed (domain reference §4.2: compute from the unrounded
daily or hourly wage, round the final amount)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tandem.pay import labour
from tandem.pay.tax import Step, StepKind
from tandem.pay.workdays import DayKind, WorkCalendar

from .inputs import PayItemKind, PayslipInput
from .result import PayslipLine, Section, gettext_noop

ZERO = Decimal(0)
to_fen = labour.to_fen


def paid_days_between(calendar: WorkCalendar, start: date, end: date) -> Decimal:
    """Paid days (计薪日) from `start` to `end`, both included: workdays (make-up workdays
    too) and statutory holidays. 人社部发〔2025〕2号 counts 21.75 paid days a month as
    (365 − 104 rest days) ÷ 12, so the 13 statutory holidays are paid days and only rest days
    (weekends, bridged days) are not. Raises `workdays.CalendarUnknown` for a year the
    calendar doesn't know: payroll stops for that employee and says why."""
    days = 0
    day = start
    while day <= end:
        if calendar.kind_of(day) != DayKind.REST_DAY:
            days += 1
        day += timedelta(days=1)
    return Decimal(days)


@dataclass(frozen=True)
class Earnings:
    """The earnings and pre-tax lines and the figures the rest of the calculation needs."""

    lines: list[PayslipLine]  # the earnings section
    pre_tax_deductions: list[PayslipLine]
    post_tax_deductions: list[PayslipLine]
    tax_free: Decimal  # non-taxable allowances and adjustments (免税收入)
    overtime: Decimal
    annual_bonus: Decimal
    # Earnings the minimum-wage test leaves out besides overtime: special allowances, the
    # annual bonus and corrections of earlier months.
    outside_minimum_wage: Decimal
    # Days of normal work the minimum wage is owed for (out of 21.75).
    worked_days: Decimal
    over_overtime_limit: Decimal | None  # the month's overtime hours when over 36


def _employed_span(data: PayslipInput) -> tuple[date, date]:
    start = max(data.join_date, data.month.first_day)
    end = data.month.last_day if data.leave_date is None else min(data.leave_date,
                                                                  data.month.last_day)
    if end < start:
        raise ValueError("the employee was not employed in this month")
    return start, end


def base_pay_line(data: PayslipInput) -> tuple[PayslipLine, Decimal]:
    """The contract wage for the month, and the paid days it stands for (21.75 when full)."""
    base = data.base_wage
    start, end = _employed_span(data)
    given = None if data.attendance is None else data.attendance.paid_days
    full_month = start == data.month.first_day and end == data.month.last_day
    # A summary's full month says 21.75 paid days (or more); it is the monthly wage.
    if full_month and (given is None or given >= labour.MONTHLY_PAID_DAYS):
        amount = to_fen(base)
        return PayslipLine("base_pay", gettext_noop("Base pay"), amount, Section.EARNINGS, (
            Step(gettext_noop("Monthly base wage"), amount),)), labour.MONTHLY_PAID_DAYS
    if given is not None:
        paid_days = given
    elif data.calendar is None:
        raise ValueError("a part month needs attendance.paid_days or a work calendar")
    else:
        paid_days = paid_days_between(data.calendar, start, end)
    # Part month: monthly wage ÷ 21.75 × paid days, at most the monthly wage (domain
    # reference §4.2; 21.75 from 人社部发〔2025〕2号).
    amount = labour.part_month_pay(base, paid_days)
    steps = (
        Step(gettext_noop("Monthly base wage"), base),
        Step(gettext_noop("Employed from"), start, StepKind.DATE),
        Step(gettext_noop("Employed to"), end, StepKind.DATE),
        Step(gettext_noop("Paid days (workdays and statutory holidays)"), paid_days,
             StepKind.COUNT),
        Step(gettext_noop("Monthly paid days"), labour.MONTHLY_PAID_DAYS, StepKind.COUNT),
        Step(gettext_noop("Daily wage (monthly wage ÷ 21.75)"), to_fen(labour.daily_wage(base))),
        Step(gettext_noop("Pay for part of the month (daily wage × paid days, at most the "
                          "monthly wage)"), amount),
    )
    return (PayslipLine("base_pay", gettext_noop("Base pay for part of the month"), amount,
                        Section.EARNINGS, steps),
            min(paid_days, labour.MONTHLY_PAID_DAYS))


def day_deduction_line(code: str, label: str, base: Decimal, days: Decimal) -> PayslipLine:
    """Absence or unpaid leave: the daily wage (monthly ÷ 21.75, 人社部发〔2025〕2号) times the
    days, half-up to the fen, taken from the earnings."""
    amount = to_fen(labour.daily_wage(base) * days)
    return PayslipLine(code, label, ZERO - amount, Section.EARNINGS, (
        Step(gettext_noop("Monthly base wage"), base),
        Step(gettext_noop("Daily wage (monthly wage ÷ 21.75)"), to_fen(labour.daily_wage(base))),
        Step(gettext_noop("Days"), days, StepKind.COUNT),
        Step(gettext_noop("Deducted (daily wage × days)"), amount),
    ))


_OVERTIME = (
    ("overtime_workday", gettext_noop("Overtime on workdays (150 %)"), "workday"),
    ("overtime_rest_day", gettext_noop("Overtime on rest days (200 %)"), "rest_day"),
    ("overtime_holiday", gettext_noop("Overtime on statutory holidays (300 %)"), "holiday"),
)


def overtime_lines(data: PayslipInput) -> tuple[list[PayslipLine], Decimal, Decimal | None]:
    """劳动法 Art. 44 via `labour.overtime_pay`, on the overtime base (the full monthly base
    wage unless the contract names another base). Returns the lines, their total and the
    month's hours when over the 36 h limit of Art. 41."""
    attendance = data.attendance
    if attendance is None or not (attendance.workday_overtime_hours
                                  or attendance.rest_day_overtime_hours
                                  or attendance.holiday_overtime_hours):
        return [], ZERO, None
    wage = data.base_wage if data.overtime_base is None else data.overtime_base
    pay = labour.overtime_pay(monthly_wage=wage,
                              workday_hours=attendance.workday_overtime_hours,
                              rest_day_hours=attendance.rest_day_overtime_hours,
                              holiday_hours=attendance.holiday_overtime_hours)
    lines = []
    for code, label, kind in _OVERTIME:
        hours = getattr(attendance, f"{kind}_overtime_hours")
        if not hours:
            continue
        amount = getattr(pay, f"{kind}_pay")
        lines.append(PayslipLine(code, label, amount, Section.EARNINGS, (
            Step(gettext_noop("Overtime base (monthly wage)"), wage),
            Step(gettext_noop("Hourly wage (monthly wage ÷ 174)"), pay.hourly_wage),
            Step(gettext_noop("Hours"), hours, StepKind.COUNT),
            Step(gettext_noop("Overtime rate (× hourly wage)"), pay.explanation[f"{kind}_rate"],
                 StepKind.COUNT),
            Step(gettext_noop("Overtime pay (hourly wage × rate × hours)"), amount),
        )))
    over = pay.explanation["total_hours"] if pay.explanation["over_monthly_limit"] else None
    return lines, pay.total, over


_ITEM_LABELS = {
    PayItemKind.TAXABLE_ALLOWANCE: (gettext_noop("Allowance"), Section.EARNINGS, 1),
    PayItemKind.NON_TAXABLE_ALLOWANCE: (gettext_noop("Tax-free allowance"), Section.EARNINGS, 1),
    PayItemKind.PRE_TAX_DEDUCTION: (gettext_noop("Deduction before tax"), Section.DEDUCTIONS, -1),
    PayItemKind.POST_TAX_DEDUCTION: (gettext_noop("Deduction after tax"), Section.DEDUCTIONS, -1),
}


def item_line(index: int, kind: PayItemKind, name: str, amount: Decimal) -> PayslipLine:
    label, section, sign = _ITEM_LABELS[kind]
    amount = to_fen(amount)
    return PayslipLine(f"item_{index}", label, amount if sign > 0 else ZERO - amount, section,
                       name=name)


def earnings(data: PayslipInput) -> Earnings:
    """Every earnings line and the fixed deductions, in payslip order."""
    base_line, paid_days = base_pay_line(data)
    lines = [base_line]
    attendance = data.attendance
    worked_days = paid_days
    if attendance is not None:
        for code, label, days in (
                ("absence", gettext_noop("Absence"), attendance.absence_days),
                ("unpaid_leave", gettext_noop("Unpaid leave"), attendance.unpaid_leave_days)):
            if days:
                lines.append(day_deduction_line(code, label, data.base_wage, days))
                worked_days -= days
    ot_lines, overtime, over_limit = overtime_lines(data)
    lines += ot_lines
    tax_free = outside = ZERO
    pre_tax, post_tax = [], []
    for index, item in enumerate(data.items, start=1):
        line = item_line(index, item.kind, item.name, item.amount)
        if item.kind == PayItemKind.PRE_TAX_DEDUCTION:
            pre_tax.append(line)
            continue
        if item.kind == PayItemKind.POST_TAX_DEDUCTION:
            post_tax.append(line)
            continue
        lines.append(line)
        if item.kind == PayItemKind.NON_TAXABLE_ALLOWANCE:
            tax_free += line.amount
        if item.excluded_from_minimum_wage:
            outside += line.amount
    if data.regular_bonus:
        # A bonus other than the annual one-time bonus is wage income of the month it is paid
        # (taxed with the wages by the cumulative method, STA 2018 No. 61 Art. 6).
        lines.append(PayslipLine("bonus", gettext_noop("Bonus"), to_fen(data.regular_bonus),
                                 Section.EARNINGS))
    annual_bonus = ZERO
    if data.annual_bonus is not None and data.annual_bonus.amount:
        annual_bonus = to_fen(data.annual_bonus.amount)
        lines.append(PayslipLine("annual_bonus", gettext_noop("Annual one-time bonus"),
                                 annual_bonus, Section.EARNINGS))
        outside += annual_bonus
    for index, adjustment in enumerate(data.adjustments, start=1):
        amount = to_fen(adjustment.amount)
        label = (gettext_noop("Adjustment of an earlier month") if adjustment.taxable
                 else gettext_noop("Tax-free adjustment of an earlier month"))
        lines.append(PayslipLine(f"adjustment_{index}", label, amount, Section.EARNINGS,
                                 name=adjustment.name))
        outside += amount
        if not adjustment.taxable:
            tax_free += amount
    return Earnings(lines=lines, pre_tax_deductions=pre_tax, post_tax_deductions=post_tax,
                    tax_free=tax_free, overtime=overtime,
                    annual_bonus=annual_bonus, outside_minimum_wage=outside,
                    worked_days=max(worked_days, ZERO), over_overtime_limit=over_limit)
