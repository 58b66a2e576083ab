"""The statutory deductions of a payslip: the employee's and the employer's social insurance
and housing fund (`social.contributions`), the cumulative IIT withholding
(`tax.withhold_next_month`) and the annual one-time bonus (`tax.annual_bonus_tax`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from tandem.pay import social, tax
from tandem.pay.tax import MonthIncome, MonthWithholding, Step, StepKind

from .inputs import BonusMethod, PayslipInput
from .result import (
    SEPARATE_EXPIRED,
    SEPARATE_USED_THIS_YEAR,
    PayslipLine,
    Problem,
    ProblemCode,
    Section,
    gettext_noop,
)

ZERO = Decimal(0)
HOUSING_FUNDS = (social.Scheme.HOUSING_FUND, social.Scheme.SUPPLEMENTARY_HOUSING_FUND)
SCHEME_LABELS = {
    social.Scheme.PENSION: (gettext_noop("Pension"), gettext_noop("Pension (employer)")),
    social.Scheme.MEDICAL: (gettext_noop("Medical insurance"),
                            gettext_noop("Medical insurance (employer)")),
    social.Scheme.UNEMPLOYMENT: (gettext_noop("Unemployment insurance"),
                                 gettext_noop("Unemployment insurance (employer)")),
    social.Scheme.WORK_INJURY: (gettext_noop("Work-injury insurance"),
                                gettext_noop("Work-injury insurance (employer)")),
    social.Scheme.MATERNITY: (gettext_noop("Maternity insurance"),
                              gettext_noop("Maternity insurance (employer)")),
    social.Scheme.HOUSING_FUND: (gettext_noop("Housing fund"),
                                 gettext_noop("Housing fund (employer)")),
    social.Scheme.SUPPLEMENTARY_HOUSING_FUND: (
        gettext_noop("Supplementary housing fund"),
        gettext_noop("Supplementary housing fund (employer)")),
}
ROUNDING_NAMES = {
    social.Rounding.HALF_UP_FEN: gettext_noop("To the fen, half up"),
    social.Rounding.UP_JIAO: gettext_noop("Up to the jiao (见分进角)"),
    social.Rounding.HALF_UP_JIAO: gettext_noop("To the jiao, half up"),
    social.Rounding.HALF_UP_YUAN: gettext_noop("To the yuan, half up"),
    social.Rounding.UP_YUAN: gettext_noop("Up to the yuan"),
}


@dataclass(frozen=True)
class Contributions:
    employee_lines: list[PayslipLine]
    employer_lines: list[PayslipLine]
    employee_total: Decimal
    employer_total: Decimal
    problems: list[Problem]


_BASE_STEPS = (gettext_noop("Declared base"), gettext_noop("Base floor"),
               gettext_noop("Base ceiling"), gettext_noop("Base used"))
_RATE = gettext_noop("Contribution rate")
_FIXED = gettext_noop("Fixed amount")
_ROUNDING = gettext_noop("Rounding")
_AMOUNT = gettext_noop("Contribution (base × rate + fixed amount, rounded)")


def _side_steps(contribution: social.Contribution) -> tuple[tuple[Step, ...], ...]:
    """The employee's and the employer's explanation; the base steps are shared."""
    explained = contribution.explanation
    declared, floor, ceiling, used = _BASE_STEPS
    shared = (Step(declared, contribution.declared_base), Step(floor, explained["base_floor"]),
              Step(ceiling, explained["base_ceiling"]), Step(used, contribution.base))
    rounding = Step(_ROUNDING, ROUNDING_NAMES[explained["rounding"]], StepKind.TEXT)
    sides = []
    for side in ("employee", "employer"):
        steps = [*shared, Step(_RATE, explained[f"{side}_rate"], StepKind.RATE)]
        if explained[f"{side}_fixed"]:
            steps.append(Step(_FIXED, explained[f"{side}_fixed"]))
        steps += [rounding, Step(_AMOUNT, explained[f"{side}_amount"])]
        sides.append(tuple(steps))
    return tuple(sides)


def contributions(data: PayslipInput) -> Contributions:
    """Both shares of every scheme on the declared base clamped to the scheme's floor and
    ceiling (国办发〔2019〕13号; the figures are the city's data). The housing fund is left
    out of a month it isn't due (住房公积金管理条例 Art. 17, decided by the loader); schemes
    an employee doesn't pay (work injury, maternity: Social Insurance Law Art. 33, 53) give
    no employee line."""
    insured = data.social
    employee_lines, employer_lines, problems = [], [], []
    employee_total = employer_total = ZERO
    for rule in insured.rules:
        scheme = rule.scheme
        base = insured.declared_base
        if scheme in HOUSING_FUNDS:
            if not insured.housing_fund_due:
                continue
            if insured.housing_fund_base is not None:
                base = insured.housing_fund_base
        paid = social.contribution(base=base, rule=rule)
        clamp = paid.explanation["clamp"]
        if clamp != social.BaseClamp.NONE:
            code = (ProblemCode.BASE_BELOW_FLOOR if clamp == social.BaseClamp.FLOOR
                    else ProblemCode.BASE_ABOVE_CEILING)
            problems.append(Problem(code, {"scheme": str(scheme), "declared_base": base,
                                           "base": paid.base}))
        employee_label, employer_label = SCHEME_LABELS[scheme]
        employee_steps, employer_steps = _side_steps(paid)
        if paid.employee_amount:
            employee_lines.append(PayslipLine(
                f"{scheme}_employee", employee_label, ZERO - paid.employee_amount,
                Section.CONTRIBUTIONS, employee_steps))
            employee_total += paid.employee_amount
        if paid.employer_amount:
            employer_lines.append(PayslipLine(
                f"{scheme}_employer", employer_label, paid.employer_amount,
                Section.EMPLOYER, employer_steps))
            employer_total += paid.employer_amount
    return Contributions(employee_lines, employer_lines, employee_total, employer_total,
                         problems)


@dataclass(frozen=True)
class IncomeTax:
    withholding: MonthWithholding
    month_income: MonthIncome  # what enters the cumulative figures
    bonus_tax: Decimal
    bonus_method: str | None
    lines: list[PayslipLine]
    problems: list[Problem]


def _withhold(data: PayslipInput, month_income: MonthIncome) -> MonthWithholding:
    return tax.withhold_next_month(
        data.tax.previous, data.month.month, month_income,
        months_employed=data.tax.months_employed,
        first_wage_income_of_year=data.tax.first_wage_income_of_year)


def _separate_refusal(data: PayslipInput, pay_date: date) -> str | None:
    if pay_date > tax.ANNUAL_BONUS_SEPARATE_VALID_UNTIL:
        return SEPARATE_EXPIRED  # 财政部 税务总局公告2023年第30号: valid to 2027-12-31
    if data.tax.annual_bonus_separate_used:
        return SEPARATE_USED_THIS_YEAR  # 国税发〔2005〕9号: once per taxpayer per year
    return None


def income_tax(data: PayslipInput, *, income: Decimal, tax_free: Decimal,
               special_deductions: Decimal, annual_bonus: Decimal) -> IncomeTax:
    """This month's withholding on `income` (the wage income without the annual bonus), and
    the annual bonus by its method: separate (taxed apart on the monthly-converted table,
    outside the cumulative figures), merged (added to this month's income), or cheaper."""
    plain = MonthIncome(income, tax_free_income=tax_free, special_deductions=special_deductions,
                        special_additional_deductions=data.tax.special_additional_deductions,
                        other_deductions=data.tax.other_deductions)
    if not annual_bonus:
        withholding = _withhold(data, plain)
        return IncomeTax(withholding, plain, ZERO, None, [_income_tax_line(withholding)], [])
    merged = replace(plain, income=income + annual_bonus)
    pay_date = data.pay_date or data.month.last_day
    method = BonusMethod(data.annual_bonus.method)
    refusal = _separate_refusal(data, pay_date)
    if refusal is not None:
        steps = () if method == BonusMethod.MERGED else (
            Step(gettext_noop("Not taxed separately"), refusal, StepKind.TEXT),)
        problems = [] if method != BonusMethod.SEPARATE else [
            Problem(ProblemCode.ANNUAL_BONUS_SEPARATE_UNAVAILABLE, {"reason": refusal})]
        return _merged(_withhold(data, merged), merged, annual_bonus, steps, problems)
    separately = tax.annual_bonus_tax(annual_bonus, on=pay_date)
    if method == BonusMethod.CHEAPER:
        return _cheaper(data, plain, merged, annual_bonus, separately)
    if method == BonusMethod.SEPARATE:
        return _separate(_withhold(data, plain), plain, separately)
    return _merged(_withhold(data, merged), merged, annual_bonus)


def _cheaper(data: PayslipInput, plain: MonthIncome, merged: MonthIncome,
             annual_bonus: Decimal, separately: tax.BonusTax) -> IncomeTax:
    """Both methods computed; the one with the lower tax for the year to date (cumulative tax
    on the wages plus the separate bonus tax, against the cumulative tax with the bonus
    merged); a tie keeps the separate method, as `tax.annual_bonus_tax` does. The employee
    may still choose otherwise at the annual reconciliation (30号 Art. 1)."""
    wages_only, with_bonus = _withhold(data, plain), _withhold(data, merged)
    separate_total = wages_only.cumulative_tax + separately.tax
    chosen = tax.SEPARATE if separate_total <= with_bonus.cumulative_tax else tax.MERGED
    steps = (
        Step(gettext_noop("Year-to-date tax, bonus taxed separately"), separate_total),
        Step(gettext_noop("Year-to-date tax, bonus merged"), with_bonus.cumulative_tax),
        Step(gettext_noop("Cheaper method"), tax.METHOD_NAMES[chosen], StepKind.TEXT),
    )
    if chosen == tax.SEPARATE:
        return _separate(wages_only, plain, separately, steps)
    return _merged(with_bonus, merged, annual_bonus, steps)


def _separate(withholding: MonthWithholding, plain: MonthIncome, separately: tax.BonusTax,
              steps: tuple[Step, ...] = ()) -> IncomeTax:
    bonus_line = PayslipLine("annual_bonus_tax", gettext_noop("Tax on the annual bonus"),
                             ZERO - separately.tax, Section.TAX, separately.explanation + steps)
    return IncomeTax(withholding, plain, separately.tax, tax.SEPARATE,
                     [_income_tax_line(withholding), bonus_line], [])


def _merged(withholding: MonthWithholding, merged: MonthIncome, annual_bonus: Decimal,
            steps: tuple[Step, ...] = (), problems: list[Problem] | None = None) -> IncomeTax:
    steps = (Step(gettext_noop("Annual bonus merged into this month's income"), annual_bonus),
             *steps)
    return IncomeTax(withholding, merged, ZERO, tax.MERGED,
                     [_income_tax_line(withholding, steps)], problems or [])


def _income_tax_line(withholding: MonthWithholding,
                     extra: tuple[Step, ...] = ()) -> PayslipLine:
    return PayslipLine("income_tax", gettext_noop("Individual income tax"),
                       ZERO - withholding.withheld, Section.TAX,
                       extra + withholding.explanation)
