"""The calculation's results as stored rows: a `Payslip` with its lines as plain JSON data,
and the calculation's problems as warnings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tandem.pay.calculation import PayslipCalculation, PayslipLine
from tandem.pay.models import PayrollRun, Payslip
from tandem.pay.tax import Step

from .loader import MONTH, YEAR_TO_DATE, EmployeeMonth, RunProblemData


def plain(value):
    """A figure as JSON keeps it: money and counts as strings (exact), dates ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def step_data(step: Step) -> dict:
    return {"label": step.label, "value": plain(step.value), "kind": str(step.kind)}


def line_data(line: PayslipLine) -> dict:
    return {"code": line.code, "label": line.label, "name": line.name,
            "section": str(line.section), "amount": str(line.amount),
            "explanation": [step_data(step) for step in line.explanation]}


def deductions_by_category(month: EmployeeMonth) -> dict:
    """What `Payslip.special_additional_by_category` keeps: the month's special additional
    deductions by category and the year's to date (those carried plus the month's), amounts
    as strings. The month's figures always enter the cumulative ones (STA 2018 No. 61
    Art. 6), so the year-to-date categories add up to `ytd_special_additional_deductions`
    less whatever was carried without categories."""
    to_date = dict(month.deductions_before)
    for category, amount in month.deductions.items():
        to_date[category] = to_date.get(category, Decimal(0)) + amount
    return {MONTH: {category: str(amount) for category, amount in month.deductions.items()},
            YEAR_TO_DATE: {category: str(amount) for category, amount in to_date.items()}}


def payslip_row(run: PayrollRun, month: EmployeeMonth,
                result: PayslipCalculation) -> Payslip:
    ytd = result.year_to_date
    return Payslip(
        company_id=run.company_id, run=run, employee_id=month.employee_id,
        profile_id=month.profile_id, month=run.month,
        gross=result.gross, taxable_income=result.taxable_income,
        employee_contributions=result.employee_contributions,
        employer_contributions=result.employer_contributions,
        tax_withheld=result.tax_withheld, annual_bonus_tax=result.annual_bonus_tax,
        post_tax_deductions=result.post_tax_deductions, net=result.net,
        employer_cost=result.employer_cost,
        annual_bonus_method=result.annual_bonus_method or "",
        months_employed=month.data.tax.months_employed,
        ytd_income=ytd.income, ytd_tax_free_income=ytd.tax_free_income,
        ytd_special_deductions=ytd.special_deductions,
        ytd_special_additional_deductions=ytd.special_additional_deductions,
        ytd_other_deductions=ytd.other_deductions, ytd_withheld=ytd.withheld,
        bank_name=month.bank_name, bank_account=month.bank_account,
        lines=[line_data(line) for line in result.lines],
        special_additional_by_category=deductions_by_category(month),
    )


def calculation_problems(month: EmployeeMonth,
                         result: PayslipCalculation) -> list[RunProblemData]:
    return [RunProblemData(month.employee_id, str(problem.code),
                           {key: plain(value) for key, value in problem.params.items()})
            for problem in result.problems]
