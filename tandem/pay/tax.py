"""Individual income tax on wages: cumulative withholding and the annual one-time bonus.

Pure functions over dataclasses and Decimals, no ORM; payroll and the calculators both call
them. The rules are those of ../shared/domain/china-payroll-labour.md §1 and §2, each cited
where it is applied. Every result carries its explanation as plain data (`Step`: an English
msgid marked for translation and a value), which a page renders in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop

ZERO = Decimal(0)
FEN = Decimal("0.01")
# Basic deduction (减除费用) per month: 60,000 a year (IIT Law 2018 Art. 6(1)), 5,000 a month
# in cumulative withholding (STA 2018 No. 61 Art. 6: 5,000/月 × 在本单位的任职受雇月份数).
MONTHLY_BASIC_DEDUCTION = Decimal(5000)
MONTHS_IN_YEAR = 12

# The annual one-time bonus may be taxed separately until 2027-12-31
# (财政部 税务总局公告2023年第30号 Art. 1 and its validity clause).
ANNUAL_BONUS_SEPARATE_VALID_UNTIL = date(2027, 12, 31)
SEPARATE = "separate"
MERGED = "merged"
METHOD_NAMES = {
    SEPARATE: gettext_noop("Taxed separately"),
    MERGED: gettext_noop("Merged into comprehensive income"),
}


@dataclass(frozen=True)
class TaxBracket:
    """One row of a progressive table: income up to `upper` inclusive ("不超过"; None: no
    limit) is taxed at `rate` minus `quick_deduction`."""

    upper: Decimal | None
    rate: Decimal
    quick_deduction: Decimal


def _table(rows: Sequence[tuple[str | None, str, str]]) -> tuple[TaxBracket, ...]:
    return tuple(
        TaxBracket(None if upper is None else Decimal(upper), Decimal(rate), Decimal(qd))
        for upper, rate, qd in rows
    )


# 综合所得税率表 = 个人所得税预扣率表一: IIT Law 2018 Art. 3 and its attached table, in force
# from 2019-01-01 (statutory; only an amendment of the law changes it). Each quick deduction
# re-derives as qd_k = qd_{k-1} + upper_{k-1} × (r_k − r_{k-1}) (checked by the tests).
COMPREHENSIVE_TABLE_SINCE = date(2019, 1, 1)
COMPREHENSIVE_TABLE = _table([
    ("36000", "0.03", "0"),
    ("144000", "0.10", "2520"),
    ("300000", "0.20", "16920"),
    ("420000", "0.25", "31920"),
    ("660000", "0.30", "52920"),
    ("960000", "0.35", "85920"),
    (None, "0.45", "181920"),
])
# 按月换算后的综合所得税率表 (the table above divided by 12): used for the separately taxed
# annual bonus (财政部 税务总局公告2023年第30号) and non-resident wages (STA 2018 No. 61, table 3).
MONTHLY_CONVERTED_TABLE = _table([
    ("3000", "0.03", "0"),
    ("12000", "0.10", "210"),
    ("25000", "0.20", "1410"),
    ("35000", "0.25", "2660"),
    ("55000", "0.30", "4410"),
    ("80000", "0.35", "7160"),
    (None, "0.45", "15160"),
])


def bracket_for(amount: Decimal, table: Sequence[TaxBracket]) -> TaxBracket:
    """The row whose bound is the first one not below `amount` ("不超过X" includes X)."""
    for bracket in table:
        if bracket.upper is None or amount <= bracket.upper:
            return bracket
    raise ValueError("a tax table must end with an unbounded row")


def round_fen(amount: Decimal) -> Decimal:
    """Tax is computed exactly and rounded to the fen, half-up: the statute is silent, this is
    the convention (domain reference §1.2, "Rounding")."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def tax_on(taxable: Decimal, table: Sequence[TaxBracket]) -> tuple[Decimal, TaxBracket]:
    """Tax on `taxable` by the quick-deduction method; nothing on a negative or zero amount."""
    base = max(taxable, ZERO)
    bracket = bracket_for(base, table)
    return round_fen(base * bracket.rate - bracket.quick_deduction), bracket


class StepKind:
    MONEY = "money"
    RATE = "rate"
    COUNT = "count"
    DATE = "date"
    TEXT = "text"  # the value is an English msgid too


@dataclass(frozen=True)
class Step:
    """One line of an explanation: `label` is an English msgid (translate it when showing it),
    `value` a figure of `kind` (money, rate as a fraction, count, date, or a msgid as text)."""

    label: str
    value: Decimal | int | date | str | None
    kind: str = StepKind.MONEY


# --- cumulative withholding (累计预扣预缴法) ---------------------------------------------------


@dataclass(frozen=True)
class MonthIncome:
    """One month's wage figures at this employer, as entered for withholding."""

    income: Decimal
    tax_free_income: Decimal = ZERO
    # 专项扣除: the employee's own pension, medical, unemployment and housing-fund shares
    # (IIT Law Art. 6, last paragraph).
    special_deductions: Decimal = ZERO
    special_additional_deductions: Decimal = ZERO  # 专项附加扣除 (国发〔2018〕41号, 2023 amounts)
    other_deductions: Decimal = ZERO  # 依法确定的其他扣除 (annuity, private pension, ...)


@dataclass(frozen=True)
class YearToDate:
    """The cumulative figures of the tax year at this employer, carried from month to month
    (they reset each January: the cumulation runs per employer and calendar year)."""

    income: Decimal = ZERO
    tax_free_income: Decimal = ZERO
    special_deductions: Decimal = ZERO
    special_additional_deductions: Decimal = ZERO
    other_deductions: Decimal = ZERO
    withheld: Decimal = ZERO

    def plus(self, month: MonthIncome, withheld: Decimal) -> YearToDate:
        """These figures after `month`, of which `withheld` was withheld."""
        return replace(
            self,
            income=self.income + month.income,
            tax_free_income=self.tax_free_income + month.tax_free_income,
            special_deductions=self.special_deductions + month.special_deductions,
            special_additional_deductions=(
                self.special_additional_deductions + month.special_additional_deductions
            ),
            other_deductions=self.other_deductions + month.other_deductions,
            withheld=self.withheld + withheld,
        )


@dataclass(frozen=True)
class MonthWithholding:
    month: int
    cumulative_income: Decimal
    cumulative_basic_deduction: Decimal
    cumulative_taxable_income: Decimal
    rate: Decimal
    quick_deduction: Decimal
    cumulative_tax: Decimal
    withheld: Decimal
    cumulative_withheld: Decimal
    explanation: tuple[Step, ...] = ()
    # The balance (cumulative tax − tax already withheld) when it was negative: nothing is
    # withheld and nothing refunded that month; zero otherwise.
    negative_balance: Decimal = ZERO


@dataclass(frozen=True)
class WithholdingSchedule:
    months: list[MonthWithholding] = field(default_factory=list)

    @property
    def total_withheld(self) -> Decimal:
        return self.months[-1].cumulative_withheld if self.months else ZERO


def basic_deduction_months(month: int, *, months_employed: int,
                           first_wage_income_of_year: bool) -> int:
    """How many 5,000s the cumulative basic deduction counts in calendar `month`.

    STA 2018 No. 61 Art. 6: the months employed at this employer in the tax year. A taxpayer
    whose first wage income of the year comes from this employer (e.g. a new graduate) may
    count every calendar month up to this one (domain reference §1.1 (a), believed to be STA
    2020 No. 13; UNVERIFIED, hence an option that defaults to off)."""
    return month if first_wage_income_of_year else months_employed


def withhold_next_month(previous: YearToDate, month: int, this_month: MonthIncome, *,
                        months_employed: int,
                        first_wage_income_of_year: bool = False) -> MonthWithholding:
    """This month's withholding by the cumulative method (STA 2018 No. 61 Art. 6):

    累计预扣预缴应纳税所得额 = 累计收入 − 累计免税收入 − 累计减除费用 − 累计专项扣除
                              − 累计专项附加扣除 − 累计依法确定的其他扣除
    本期应预扣预缴税额 = (累计应纳税所得额 × 预扣率 − 速算扣除数) − 累计已预扣预缴税额
    """
    if not 1 <= month <= MONTHS_IN_YEAR:
        raise ValueError("month must be a calendar month, 1 to 12")
    if not 1 <= months_employed <= month:
        raise ValueError("months_employed must be between 1 and the calendar month")
    ytd = previous.plus(this_month, ZERO)
    counted = basic_deduction_months(month, months_employed=months_employed,
                                     first_wage_income_of_year=first_wage_income_of_year)
    basic = MONTHLY_BASIC_DEDUCTION * counted
    taxable = (ytd.income - ytd.tax_free_income - basic - ytd.special_deductions
               - ytd.special_additional_deductions - ytd.other_deductions)
    # Rate and quick deduction from 预扣率表一 on the cumulative taxable income (61号 Art. 6).
    cumulative_tax, bracket = tax_on(taxable, COMPREHENSIVE_TABLE)
    balance = cumulative_tax - previous.withheld
    # "余额为负值时，暂不退税" (61号 Art. 6): withhold nothing, refund nothing; a later month
    # absorbs the difference, or the annual reconciliation refunds it (IIT Law Art. 11).
    withheld = balance if balance > ZERO else ZERO.quantize(FEN)
    steps = [
        Step(gettext_noop("Calendar month"), month, StepKind.COUNT),
        Step(gettext_noop("Cumulative income"), ytd.income),
        Step(gettext_noop("Cumulative tax-free income"), ytd.tax_free_income),
        Step(gettext_noop("Months counted for the basic deduction"), counted, StepKind.COUNT),
        Step(gettext_noop("Cumulative basic deduction (5,000 a month)"), basic),
        Step(gettext_noop("Cumulative special deductions"), ytd.special_deductions),
        Step(gettext_noop("Cumulative special additional deductions"),
             ytd.special_additional_deductions),
        Step(gettext_noop("Cumulative other deductions"), ytd.other_deductions),
        Step(gettext_noop("Cumulative taxable income"), taxable),
        Step(gettext_noop("Withholding rate"), bracket.rate, StepKind.RATE),
        Step(gettext_noop("Quick deduction"), bracket.quick_deduction),
        Step(gettext_noop("Cumulative tax (taxable income × rate − quick deduction)"),
             cumulative_tax),
        Step(gettext_noop("Withheld in earlier months"), previous.withheld),
    ]
    if balance < ZERO:
        steps.append(Step(
            gettext_noop("Negative balance: nothing is withheld and nothing refunded this month"
                         " (settled by a later month or the annual reconciliation)"), balance))
    steps.append(Step(gettext_noop("Withheld this month"), withheld))
    return MonthWithholding(
        month=month,
        cumulative_income=ytd.income,
        cumulative_basic_deduction=basic,
        cumulative_taxable_income=max(taxable, ZERO),
        rate=bracket.rate,
        quick_deduction=bracket.quick_deduction,
        cumulative_tax=cumulative_tax,
        withheld=withheld,
        cumulative_withheld=previous.withheld + withheld,
        explanation=tuple(steps),
        negative_balance=min(balance, ZERO),
    )


def cumulative_withholding(months: Sequence[MonthIncome], *, first_month: int = 1,
                           first_wage_income_of_year: bool = False) -> WithholdingSchedule:
    """The withholding of consecutive months at one employer within one tax year: the i-th
    entry is calendar month `first_month + i` (a schedule never crosses January, where the
    cumulation resets)."""
    if not 1 <= first_month <= MONTHS_IN_YEAR:
        raise ValueError("first_month must be a calendar month, 1 to 12")
    if len(months) > MONTHS_IN_YEAR + 1 - first_month:
        raise ValueError("a schedule ends in December: at most 13 − first_month months")
    ytd = YearToDate()
    schedule = WithholdingSchedule()
    for employed, this_month in enumerate(months, start=1):
        result = withhold_next_month(
            ytd, first_month + employed - 1, this_month, months_employed=employed,
            first_wage_income_of_year=first_wage_income_of_year)
        schedule.months.append(result)
        ytd = ytd.plus(this_month, result.withheld)
    return schedule


# --- annual one-time bonus (全年一次性奖金) ---------------------------------------------------


@dataclass(frozen=True)
class BonusTax:
    """`tax`, `rate` and `quick_deduction` of the bonus by the method open on the date (the
    separate one while it is valid, else the merged one); the totals compare both methods over
    the year when the other annual taxable income is known (None otherwise)."""

    tax: Decimal
    rate: Decimal
    quick_deduction: Decimal
    separate_total_tax: Decimal | None
    merged_total_tax: Decimal | None
    cheaper: str | None
    separate_valid_until: date
    separate_available: bool = True
    explanation: tuple[Step, ...] = ()


def separate_bonus_tax(bonus: Decimal) -> tuple[Decimal, TaxBracket]:
    """单独计税 (财政部 税务总局公告2023年第30号 Art. 1): bonus ÷ 12 picks the row of the
    monthly-converted table; tax = bonus × rate − quick deduction, the deduction taken once."""
    bracket = bracket_for(max(bonus, ZERO) / MONTHS_IN_YEAR, MONTHLY_CONVERTED_TABLE)
    return round_fen(max(bonus, ZERO) * bracket.rate - bracket.quick_deduction), bracket


def annual_bonus_tax(bonus: Decimal, *, other_annual_taxable_income: Decimal | None = None,
                     on: date) -> BonusTax:
    """The tax on an annual one-time bonus paid on `on`, separately and merged.

    Merged (30号 Art. 1: the resident may include it in comprehensive income): the annual
    table on (other taxable income + bonus), of which the bonus costs the part above the tax
    on the other income alone. The separate method is valid until 2027-12-31 and may be used
    once a year per taxpayer (国税发〔2005〕9号); after that date only merging is open."""
    if bonus < ZERO:
        raise ValueError("the bonus cannot be negative")
    separate_available = on <= ANNUAL_BONUS_SEPARATE_VALID_UNTIL
    other = max(other_annual_taxable_income or ZERO, ZERO)
    other_tax, _ = tax_on(other, COMPREHENSIVE_TABLE)
    merged_total, merged_bracket = tax_on(other + bonus, COMPREHENSIVE_TABLE)
    steps = [Step(gettext_noop("Bonus"), bonus)]
    if separate_available:
        tax, bracket = separate_bonus_tax(bonus)
        steps += [
            Step(gettext_noop("Bonus ÷ 12 (picks the row of the monthly-converted table)"),
                 round_fen(bonus / MONTHS_IN_YEAR)),
            Step(gettext_noop("Rate"), bracket.rate, StepKind.RATE),
            Step(gettext_noop("Quick deduction (taken once)"), bracket.quick_deduction),
            Step(gettext_noop("Tax on the bonus taxed separately "
                              "(bonus × rate − quick deduction)"), tax),
        ]
    else:
        tax, bracket = merged_total - other_tax, merged_bracket
        steps.append(Step(
            gettext_noop("Separate taxation of the annual bonus ended on this date; the bonus "
                         "is merged into the comprehensive income"),
            ANNUAL_BONUS_SEPARATE_VALID_UNTIL, StepKind.DATE))
    separate_total = merged = cheaper = None
    if other_annual_taxable_income is not None:
        merged = merged_total
        steps += [
            Step(gettext_noop("Other annual taxable income"), other_annual_taxable_income),
            Step(gettext_noop("Tax on the other income alone (annual table)"), other_tax),
            Step(gettext_noop("Total tax, bonus merged (annual table on other income + bonus)"),
                 merged),
        ]
        cheaper = MERGED
        if separate_available:
            separate_total = other_tax + tax
            steps.append(Step(gettext_noop("Total tax, bonus taxed separately"), separate_total))
            # A tie keeps the separate method: it leaves the bonus out of the annual figures.
            cheaper = SEPARATE if separate_total <= merged else MERGED
        steps.append(Step(gettext_noop("Cheaper method"), METHOD_NAMES[cheaper], StepKind.TEXT))
    return BonusTax(
        tax=tax,
        rate=bracket.rate,
        quick_deduction=bracket.quick_deduction,
        separate_total_tax=separate_total,
        merged_total_tax=merged,
        cheaper=cheaper,
        separate_valid_until=ANNUAL_BONUS_SEPARATE_VALID_UNTIL,
        separate_available=separate_available,
        explanation=tuple(steps),
    )
