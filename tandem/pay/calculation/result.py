"""What the payroll calculation of one employee's month gives back: everything a payslip
shows, as plain data. Labels and problem messages are English msgids (translate them when
showing them); a line's `name` is the company's own wording for its pay item, shown as is.

Sign convention: a line's amount is its effect on the employee's net pay (earnings positive;
absence, deductions, contributions and tax negative), except the employer's contributions,
which are positive costs outside the net. So the net is the plain sum of the employee's lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from tandem.pay.tax import MonthWithholding, Step, YearToDate


def gettext_noop(message: str) -> str:
    """Marks `message` for translation (makemessages extracts it by this name) and returns it.
    Django's own goes through the lazy settings proxy on every call (about 2 µs, a third of
    the calculation's time in bench/payroll_calculation.py); marking is all it does."""
    return message


class Section(StrEnum):
    EARNINGS = "earnings"
    DEDUCTIONS = "deductions"
    CONTRIBUTIONS = "contributions"
    TAX = "tax"
    EMPLOYER = "employer"


@dataclass(frozen=True)
class PayslipLine:
    code: str
    label: str  # English msgid
    amount: Decimal
    section: Section
    explanation: tuple[Step, ...] = ()
    name: str = ""  # the company's wording of a pay item or adjustment, shown instead of label


class ProblemCode(StrEnum):
    PAY_BELOW_MINIMUM_WAGE = "pay_below_minimum_wage"
    BASE_BELOW_FLOOR = "base_below_floor"
    BASE_ABOVE_CEILING = "base_above_ceiling"
    NEGATIVE_NET = "negative_net"
    OVERTIME_OVER_MONTHLY_LIMIT = "overtime_over_monthly_limit"
    ANNUAL_BONUS_SEPARATE_UNAVAILABLE = "annual_bonus_separate_unavailable"


# A page renders `gettext(PROBLEM_MESSAGES[code]) % params` after formatting the params:
# money as money, `scheme` (a `social.Scheme` value) as its translated name
# (`pay.models.Scheme(value).label`), `reason` (an English msgid) translated.
PROBLEM_MESSAGES = {
    ProblemCode.PAY_BELOW_MINIMUM_WAGE: gettext_noop(
        "Pay counted for the minimum wage (%(pay)s, without overtime, special allowances and "
        "the employee's own social insurance and housing fund) is below the minimum wage for "
        "the time worked (%(minimum)s)."),
    ProblemCode.BASE_BELOW_FLOOR: gettext_noop(
        "The declared base %(declared_base)s is below the %(scheme)s floor; %(base)s was "
        "used."),
    ProblemCode.BASE_ABOVE_CEILING: gettext_noop(
        "The declared base %(declared_base)s is above the %(scheme)s ceiling; %(base)s was "
        "used."),
    ProblemCode.NEGATIVE_NET: gettext_noop("The net pay is negative (%(net)s)."),
    ProblemCode.OVERTIME_OVER_MONTHLY_LIMIT: gettext_noop(
        "%(hours)s overtime hours this month: over the legal limit of 36 hours a month "
        "(Labour Law Art. 41)."),
    ProblemCode.ANNUAL_BONUS_SEPARATE_UNAVAILABLE: gettext_noop(
        "The annual bonus cannot be taxed separately (%(reason)s); it was merged into this "
        "month's income."),
}
SEPARATE_USED_THIS_YEAR = gettext_noop("already used this tax year")
SEPARATE_EXPIRED = gettext_noop("the separate method ended on 2027-12-31")


@dataclass(frozen=True)
class Problem:
    """Something payroll must show HR; the payslip was still computed."""

    code: ProblemCode
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PayslipCalculation:
    """`gross` (应发) is the earnings after absence, unpaid leave and pre-tax deductions, the
    annual bonus included. `taxable_income` is this month's income for withholding less its
    tax-free part (the separately taxed annual bonus is outside it). `year_to_date` is what
    the next month's calculation takes as `TaxInputs.previous`. `annual_bonus_method` is the
    method applied (separate or merged), None without an annual bonus."""

    lines: tuple[PayslipLine, ...]
    gross: Decimal
    taxable_income: Decimal
    employee_contributions: Decimal
    employer_contributions: Decimal
    tax_withheld: Decimal
    annual_bonus_tax: Decimal
    post_tax_deductions: Decimal
    net: Decimal
    employer_cost: Decimal
    year_to_date: YearToDate
    withholding: MonthWithholding
    annual_bonus_method: str | None
    problems: tuple[Problem, ...] = ()

    def lines_in(self, section: Section) -> list[PayslipLine]:
        return [line for line in self.lines if line.section == section]

    def line(self, code: str) -> PayslipLine:
        """The line with `code` (KeyError when absent: tests and pages name lines by code)."""
        for line in self.lines:
            if line.code == code:
                return line
        raise KeyError(code)

    def codes(self) -> list[str]:
        return [line.code for line in self.lines]
