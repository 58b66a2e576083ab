"""A full month of a Shanghai employee, gross to net, worked by hand."""

from decimal import Decimal as D

from tandem.pay.calculation import (
    PayItem,
    PayItemKind,
    Section,
    TaxInputs,
    calculate_payslip,
)
from tandem.pay.calculation.examples import shanghai_month
from tandem.pay.tax import YearToDate

TRANSPORT = PayItem("交通补贴", D("500"), PayItemKind.TAXABLE_ALLOWANCE)
TAX_FREE = PayItem("独生子女费", D("300"), PayItemKind.NON_TAXABLE_ALLOWANCE)
# January to April of the same month each (income 20,800, of which 300 tax-free, special
# deductions 3,500, elderly support 3,000): cumulative taxable 9,000 a month, 36,000 by April,
# 3 % → 1,080 withheld in all.
JANUARY_TO_APRIL = YearToDate(income=D("83200"), tax_free_income=D("1200"),
                              special_deductions=D("14000"),
                              special_additional_deductions=D("12000"), withheld=D("1080"))


def may_2026():
    return shanghai_month(2026, 5, items=(TRANSPORT, TAX_FREE), tax=TaxInputs(
        months_employed=5, previous=JANUARY_TO_APRIL,
        special_additional_deductions=D("3000")))


def test_may_in_shanghai_by_hand():
    """Base 20,000 + transport 500 (taxable) + 300 tax-free = gross 20,800.
    Employee on the declared base 20,000 (inside 7,460 – 37,302): pension 8 % 1,600, medical
    2 % 400, unemployment 0.5 % 100, housing fund 7 % 1,400 → 3,500.
    Cumulative Jan–May: income 104,000 − tax-free 1,500 − basic 5 × 5,000 − special 17,500
    − elderly support 15,000 = 45,000 → 10 % − 2,520 = 1,980; minus 1,080 withheld Jan–Apr
    = 900 this month.  Net = 20,800 − 3,500 − 900 = 16,400.
    Employer: pension 16 % 3,200, medical 9 % 1,800, unemployment 100, work injury 0.2 % 40,
    housing fund 1,400 → 6,540; cost 20,800 + 6,540 = 27,340."""
    result = calculate_payslip(may_2026())
    assert result.gross == D("20800.00")
    assert result.taxable_income == D("20500.00")
    assert result.employee_contributions == D("3500.00")
    assert result.withholding.cumulative_taxable_income == D("45000.00")
    assert result.withholding.rate == D("0.10")
    assert result.tax_withheld == D("900.00")
    assert result.annual_bonus_tax == D(0)
    assert result.net == D("16400.00")
    assert result.employer_contributions == D("6540.00")
    assert result.employer_cost == D("27340.00")
    assert result.problems == ()


def test_the_lines_in_payslip_order_signed_by_their_effect_on_the_net():
    result = calculate_payslip(may_2026())
    assert [(line.code, line.amount, line.section) for line in result.lines] == [
        ("base_pay", D("20000.00"), Section.EARNINGS),
        ("item_1", D("500.00"), Section.EARNINGS),
        ("item_2", D("300.00"), Section.EARNINGS),
        ("pension_employee", D("-1600.00"), Section.CONTRIBUTIONS),
        ("medical_employee", D("-400.00"), Section.CONTRIBUTIONS),
        ("unemployment_employee", D("-100.00"), Section.CONTRIBUTIONS),
        ("housing_fund_employee", D("-1400.00"), Section.CONTRIBUTIONS),
        ("income_tax", D("-900.00"), Section.TAX),
        ("pension_employer", D("3200.00"), Section.EMPLOYER),
        ("medical_employer", D("1800.00"), Section.EMPLOYER),
        ("unemployment_employer", D("100.00"), Section.EMPLOYER),
        ("work_injury_employer", D("40.00"), Section.EMPLOYER),
        ("housing_fund_employer", D("1400.00"), Section.EMPLOYER),
    ]
    assert result.line("item_1").name == "交通补贴"
    assert result.line("item_2").label == "Tax-free allowance"
    assert sum(line.amount for line in result.lines
               if line.section != Section.EMPLOYER) == result.net


def test_the_year_to_date_carried_to_june():
    result = calculate_payslip(may_2026())
    assert result.year_to_date == YearToDate(
        income=D("104000.00"), tax_free_income=D("1500.00"), special_deductions=D("17500.00"),
        special_additional_deductions=D("15000"), other_deductions=D(0),
        withheld=D("1980.00"))


def test_each_line_explains_itself():
    result = calculate_payslip(may_2026())
    pension = {step.label: step.value for step in result.line("pension_employee")
                   .explanation}
    assert pension["Base used"] == D("20000")
    assert pension["Contribution rate"] == D("0.08")
    assert pension["Contribution (base × rate + fixed amount, rounded)"] == D("1600.00")
    tax = {step.label: step.value for step in result.line("income_tax").explanation}
    assert tax["Cumulative taxable income"] == D("45000.00")
    assert tax["Withheld this month"] == D("900.00")


def test_fixed_deductions_before_and_after_tax():
    """Base 20,000, January, first month: a pre-tax deduction of 200 makes gross 19,800 and
    taxable 19,800 − 5,000 − 3,500 = 11,300 → 339; a post-tax deduction of 50 (union fee)
    comes off the net only: 19,800 − 3,500 − 339 − 50 = 15,911."""
    data = shanghai_month(2026, 1, items=(
        PayItem("扣款", D("200"), PayItemKind.PRE_TAX_DEDUCTION),
        PayItem("工会费", D("50"), PayItemKind.POST_TAX_DEDUCTION)))
    result = calculate_payslip(data)
    assert result.gross == D("19800.00")
    assert result.tax_withheld == D("339.00")
    assert result.post_tax_deductions == D("50.00")
    assert result.net == D("15911.00")
    assert [(line.code, line.amount) for line in result.lines_in(Section.DEDUCTIONS)] == [
        ("item_1", D("-200.00")), ("item_2", D("-50.00"))]
