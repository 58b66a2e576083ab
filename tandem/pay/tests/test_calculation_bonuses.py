"""Bonuses: a regular bonus is taxed with the wages; the annual one-time bonus separately,
merged, or by the cheaper method (财政部 税务总局公告2023年第30号, valid to 2027-12-31, once a
year per 国税发〔2005〕9号); adjustments of earlier months, taxable or not."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from tandem.pay.calculation import (
    Adjustment,
    AnnualBonus,
    BonusMethod,
    ProblemCode,
    TaxInputs,
    calculate_payslip,
)
from tandem.pay.calculation.examples import shanghai_month
from tandem.pay.calculation.result import SEPARATE_EXPIRED, SEPARATE_USED_THIS_YEAR


def january(method, amount="36000", year=2026, **overrides):
    """Base 20,000 in January 2026, contributions 3,500: the wages alone are taxed
    20,000 − 5,000 − 3,500 = 11,500 × 3 % = 345."""
    return shanghai_month(year, 1, annual_bonus=AnnualBonus(D(amount), BonusMethod(method)),
                          **overrides)


def test_a_regular_bonus_is_taxed_with_the_wages():
    """Bonus 5,000: 25,000 − 5,000 − 3,500 = 16,500 × 3 % = 495; net 25,000 − 3,500 − 495."""
    result = calculate_payslip(shanghai_month(2026, 1, regular_bonus=D("5000")))
    assert result.line("bonus").amount == D("5000.00")
    assert result.tax_withheld == D("495.00")
    assert result.net == D("21005.00")
    assert result.year_to_date.income == D("25000.00")


def test_the_annual_bonus_taxed_separately():
    """36,000 ÷ 12 = 3,000 → 3 % → 1,080, outside the cumulative figures.
    Net = 20,000 + 36,000 − 3,500 − 345 − 1,080 = 51,075."""
    result = calculate_payslip(january("separate"))
    assert result.annual_bonus_method == "separate"
    assert result.line("annual_bonus").amount == D("36000.00")
    assert result.tax_withheld == D("345.00")
    assert result.annual_bonus_tax == D("1080.00")
    assert result.line("annual_bonus_tax").amount == D("-1080.00")
    assert result.gross == D("56000.00")
    assert result.taxable_income == D("20000.00")
    assert result.net == D("51075.00")
    assert result.year_to_date.income == D("20000.00")


def test_the_annual_bonus_merged():
    """11,500 + 36,000 = 47,500 × 10 % − 2,520 = 2,230. Net = 56,000 − 3,500 − 2,230."""
    result = calculate_payslip(january("merged"))
    assert result.annual_bonus_method == "merged"
    assert "annual_bonus_tax" not in result.codes()
    assert result.tax_withheld == D("2230.00")
    assert result.annual_bonus_tax == D(0)
    assert result.net == D("50270.00")
    assert result.year_to_date.income == D("56000.00")


def test_cheaper_picks_separate_when_the_wages_fill_the_low_bracket():
    # Separate 345 + 1,080 = 1,425 against merged 2,230.
    result = calculate_payslip(january("cheaper"))
    assert result.annual_bonus_method == "separate"
    assert result.annual_bonus_tax == D("1080.00")
    steps = {s.label: s.value for s in result.line("annual_bonus_tax").explanation}
    assert steps["Year-to-date tax, bonus taxed separately"] == D("1425.00")
    assert steps["Year-to-date tax, bonus merged"] == D("2230.00")


def test_cheaper_merges_a_bonus_just_over_the_cliff_for_a_low_earner():
    """Base 8,000, contributions 640 + 160 + 40 + housing fund 560 = 1,400, elderly support
    3,000: wages taxable 8,000 − 5,000 − 1,400 − 3,000 = −1,400 (no tax).
    Separate: 36,001 → 10 % − 210 = 3,390.10. Merged: 34,601 × 3 % = 1,038.03.
    Net = 8,000 + 36,001 − 1,400 − 1,038.03 = 41,562.97."""
    data = january("cheaper", "36001", base_wage=D("8000"), tax=TaxInputs(
        months_employed=1, special_additional_deductions=D("3000")))
    result = calculate_payslip(data)
    assert result.employee_contributions == D("1400.00")
    assert result.annual_bonus_method == "merged"
    assert result.tax_withheld == D("1038.03")
    assert result.annual_bonus_tax == D(0)
    assert result.net == D("41562.97")


@pytest.mark.parametrize("method", ["cheaper", "merged"])
def test_in_2028_the_bonus_can_only_be_merged(method):
    data = january(method, year=2028)  # paid on the month's last day, 2028-01-31
    result = calculate_payslip(data)
    assert result.annual_bonus_method == "merged"
    assert result.tax_withheld == D("2230.00")
    assert result.problems == ()


def test_separate_asked_in_2028_is_merged_and_flagged():
    data = january("separate", pay_date=date(2028, 1, 31))
    result = calculate_payslip(data)
    assert result.annual_bonus_method == "merged"
    assert result.tax_withheld == D("2230.00")
    assert [(p.code, p.params) for p in result.problems] == [
        (ProblemCode.ANNUAL_BONUS_SEPARATE_UNAVAILABLE, {"reason": SEPARATE_EXPIRED})]


def test_the_last_day_of_2027_still_allows_separate():
    result = calculate_payslip(january("separate", pay_date=date(2027, 12, 31)))
    assert result.annual_bonus_method == "separate"


def test_separate_only_once_a_year():
    data = january("separate", tax=TaxInputs(months_employed=1,
                                              annual_bonus_separate_used=True))
    result = calculate_payslip(data)
    assert result.annual_bonus_method == "merged"
    assert [(p.code, p.params) for p in result.problems] == [
        (ProblemCode.ANNUAL_BONUS_SEPARATE_UNAVAILABLE, {"reason": SEPARATE_USED_THIS_YEAR})]
    cheaper = calculate_payslip(replace(data, annual_bonus=AnnualBonus(D("36000"))))
    assert cheaper.annual_bonus_method == "merged"
    assert cheaper.problems == ()


def test_adjustments_of_earlier_months():
    """+1,000 taxable and −300 tax-free: gross 20,700, taxable 21,000 − 5,000 − 3,500
    = 12,500 × 3 % = 375 (the tax-free correction lowers the tax-free income, not the tax)."""
    data = shanghai_month(2026, 1, adjustments=(
        Adjustment("4月加班补发", D("1000")), Adjustment("餐补多发", D("-300"), taxable=False)))
    result = calculate_payslip(data)
    assert [(line.code, line.amount, line.name) for line in result.lines[1:3]] == [
        ("adjustment_1", D("1000.00"), "4月加班补发"),
        ("adjustment_2", D("-300.00"), "餐补多发")]
    assert result.gross == D("20700.00")
    assert result.taxable_income == D("21000.00")
    assert result.tax_withheld == D("375.00")
    assert result.year_to_date.tax_free_income == D("-300.00")


def test_a_negative_annual_bonus_is_refused():
    with pytest.raises(ValueError, match="adjustment"):
        AnnualBonus(D("-1"))
