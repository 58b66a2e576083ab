"""What the payroll calculation of one employee's month takes: plain frozen dataclasses that a
set-based loader fills from the salary profile, the city policy, the attendance summary, the
deduction declarations and the previous payslip (no ORM here).

Money is Decimal in CNY; rates are Decimal fractions; days and hours are Decimal.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from tandem.pay.social import SchemeRule
from tandem.pay.tax import YearToDate
from tandem.pay.workdays import WorkCalendar

ZERO = Decimal(0)


@dataclass(frozen=True)
class PayMonth:
    """The calendar month paid (its tax month too: wages are withheld in the month paid)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError("month must be 1 to 12")

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


class PayItemKind(StrEnum):
    """How a fixed monthly item enters the payslip."""

    TAXABLE_ALLOWANCE = "taxable_allowance"
    # In the income and in the tax-free income (免税收入, STA 2018 No. 61 Art. 6).
    NON_TAXABLE_ALLOWANCE = "non_taxable_allowance"
    # Taken from the pay before tax: lowers the gross and the taxable income.
    PRE_TAX_DEDUCTION = "pre_tax_deduction"
    # Taken from the pay after tax: lowers the net only.
    POST_TAX_DEDUCTION = "post_tax_deduction"


@dataclass(frozen=True)
class PayItem:
    """A fixed monthly item; `name` is the company's own wording, shown as entered.
    `excluded_from_minimum_wage` marks the special allowances (night shift, high temperature,
    hazardous work, ...) that Shanghai and Beijing leave out of the minimum-wage test
    (domain reference §3.2 note)."""

    name: str
    amount: Decimal
    kind: PayItemKind
    excluded_from_minimum_wage: bool = False


@dataclass(frozen=True)
class Attendance:
    """The month's attendance summary. `paid_days` (计薪天数) set means the contract wage is
    paid for that many days out of 21.75 (`labour.part_month_pay`, capped at the monthly
    wage); None lets the calculation count them from the employment dates and the work
    calendar. Absence and unpaid-leave days are deducted at the daily wage on top."""

    paid_days: Decimal | None = None
    absence_days: Decimal = ZERO
    unpaid_leave_days: Decimal = ZERO
    workday_overtime_hours: Decimal = ZERO
    rest_day_overtime_hours: Decimal = ZERO
    holiday_overtime_hours: Decimal = ZERO


class BonusMethod(StrEnum):
    SEPARATE = "separate"  # 单独计税 (财政部 税务总局公告2023年第30号 Art. 1)
    MERGED = "merged"  # 并入当年综合所得
    CHEAPER = "cheaper"  # compute both, take the lower year-to-date tax


@dataclass(frozen=True)
class AnnualBonus:
    """An annual one-time bonus (全年一次性奖金) paid this month."""

    amount: Decimal
    method: BonusMethod = BonusMethod.CHEAPER

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("an annual bonus cannot be negative: recover one with an "
                             "adjustment")


@dataclass(frozen=True)
class Adjustment:
    """A correction of an earlier run paid (positive) or recovered (negative) this month;
    `taxable` False puts it in the tax-free income (it corrects a tax-free item)."""

    name: str
    amount: Decimal
    taxable: bool = True


@dataclass(frozen=True)
class SocialInsurance:
    """The declared contribution base(s) and the city's rules in force (from
    `CityPolicy.scheme_rules()`, housing fund included). `housing_fund_base` None: the
    housing fund uses `declared_base` too. `housing_fund_due` is `social.housing_fund_due`
    for this month, computed by the loader (住房公积金管理条例 Art. 17)."""

    declared_base: Decimal
    rules: Sequence[SchemeRule]
    housing_fund_due: bool = True
    housing_fund_base: Decimal | None = None


@dataclass(frozen=True)
class TaxInputs:
    """The cumulative withholding's carried figures and this month's claims.
    `months_employed`: months at this employer this tax year, this one included."""

    months_employed: int
    previous: YearToDate = field(default_factory=YearToDate)
    first_wage_income_of_year: bool = False
    special_additional_deductions: Decimal = ZERO
    other_deductions: Decimal = ZERO
    # 国税发〔2005〕9号: the separate method is open once per taxpayer per tax year.
    annual_bonus_separate_used: bool = False


@dataclass(frozen=True)
class PayslipInput:
    """One employee's month. `overtime_base` None: overtime is paid on `base_wage`, the full
    monthly contract wage (not the part-month pay). `calendar` is needed only when the month
    is partial and `attendance.paid_days` is not given. `pay_date` (default: the month's last
    day) decides whether the annual bonus may still be taxed separately."""

    month: PayMonth
    join_date: date
    base_wage: Decimal
    social: SocialInsurance
    tax: TaxInputs
    leave_date: date | None = None
    items: Sequence[PayItem] = ()
    attendance: Attendance | None = None
    regular_bonus: Decimal = ZERO
    annual_bonus: AnnualBonus | None = None
    adjustments: Sequence[Adjustment] = ()
    overtime_base: Decimal | None = None
    minimum_wage: Decimal | None = None
    calendar: WorkCalendar | None = None
    pay_date: date | None = None
