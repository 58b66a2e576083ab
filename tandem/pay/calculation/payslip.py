"""One employee's month, gross to net: the rules of ../shared/domain/china-payroll-labour.md
applied in payslip order (earnings → social insurance and housing fund → IIT → net), each
cited where it is applied (`earnings`, `statutory`).

Raises only for inputs it cannot price (a part month without paid days or calendar, a year
the calendar doesn't know, an employee not employed that month, invalid tax months): payroll
records those per employee. Everything that was computed but needs a look is a `Problem`.
"""

from __future__ import annotations

from decimal import Decimal

from tandem.pay import labour

from .earnings import Earnings, earnings
from .inputs import PayslipInput
from .result import PayslipCalculation, Problem, ProblemCode
from .statutory import contributions, income_tax

ZERO = Decimal(0)


def calculate_payslip(data: PayslipInput) -> PayslipCalculation:
    earned = earnings(data)
    # 应发: the earnings after the deductions made before tax.
    gross = sum((line.amount for line in earned.lines + earned.pre_tax_deductions), ZERO)
    post_tax = ZERO - sum((line.amount for line in earned.post_tax_deductions), ZERO)
    paid = contributions(data)
    # 专项扣除 = the employee's own social insurance and housing fund (IIT Law Art. 6).
    taxed = income_tax(data, income=gross - earned.annual_bonus, tax_free=earned.tax_free,
                       special_deductions=paid.employee_total,
                       annual_bonus=earned.annual_bonus)
    withheld = taxed.withholding.withheld
    net = gross - paid.employee_total - withheld - taxed.bonus_tax - post_tax
    problems = paid.problems + taxed.problems
    problems += _minimum_wage_problems(data, earned, gross, paid.employee_total)
    if earned.over_overtime_limit is not None:
        problems.append(Problem(ProblemCode.OVERTIME_OVER_MONTHLY_LIMIT,
                                {"hours": earned.over_overtime_limit}))
    if net < ZERO:
        problems.append(Problem(ProblemCode.NEGATIVE_NET, {"net": net}))
    lines = (earned.lines + earned.pre_tax_deductions + earned.post_tax_deductions
             + paid.employee_lines + taxed.lines + paid.employer_lines)
    month_income = taxed.month_income
    return PayslipCalculation(
        lines=tuple(lines),
        gross=gross,
        taxable_income=month_income.income - month_income.tax_free_income,
        employee_contributions=paid.employee_total,
        employer_contributions=paid.employer_total,
        tax_withheld=withheld,
        annual_bonus_tax=taxed.bonus_tax,
        post_tax_deductions=post_tax,
        net=net,
        employer_cost=gross + paid.employer_total,
        year_to_date=data.tax.previous.plus(month_income, withheld),
        withholding=taxed.withholding,
        annual_bonus_method=taxed.bonus_method,
        problems=tuple(problems),
    )


def _minimum_wage_problems(data: PayslipInput, earned: Earnings, gross: Decimal,
                           employee_contributions: Decimal) -> list[Problem]:
    """Labour Law Art. 48: pay for normal work must not be below the local minimum wage.
    Counted the Shanghai/Beijing way (domain reference §3.2 note): without overtime, special
    allowances and the employee's own social insurance and housing fund; the annual bonus and
    corrections of earlier months belong to no month's normal work and are left out too. The
    minimum is owed for the days worked: minimum ÷ 21.75 × (paid days − absence − unpaid
    leave), at most the monthly minimum (the part-month convention of §4.2)."""
    if data.minimum_wage is None:
        return []
    pay = gross - earned.overtime - earned.outside_minimum_wage - employee_contributions
    minimum = labour.part_month_pay(data.minimum_wage, earned.worked_days)
    if pay >= minimum:
        return []
    return [Problem(ProblemCode.PAY_BELOW_MINIMUM_WAGE,
                    {"pay": pay, "minimum": minimum, "minimum_wage": data.minimum_wage})]
