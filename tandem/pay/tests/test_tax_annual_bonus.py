"""The annual one-time bonus (财政部 税务总局公告2023年第30号): taxed separately on the
monthly-converted table until 2027-12-31, or merged into the comprehensive income."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.tax import (
    ANNUAL_BONUS_SEPARATE_VALID_UNTIL,
    MERGED,
    SEPARATE,
    annual_bonus_tax,
)

IN_FORCE = date(2026, 12, 20)


def test_the_36000_cliff():
    # Domain reference §2: 36,001 gives 3,390.10 against 1,080 at 36,000.
    at = annual_bonus_tax(D("36000"), on=IN_FORCE)
    over = annual_bonus_tax(D("36001"), on=IN_FORCE)
    assert (at.tax, at.rate, at.quick_deduction) == (D("1080.00"), D("0.03"), D("0"))
    assert (over.tax, over.rate, over.quick_deduction) == (D("3390.10"), D("0.10"), D("210"))


# Each bound of the monthly-converted table × 12: the bound itself is taxed by the lower row.
@pytest.mark.parametrize("bonus, tax_at, tax_one_yuan_above", [
    ("36000", "1080.00", "3390.10"),
    ("144000", "14190.00", "27390.20"),
    ("300000", "58590.00", "72340.25"),
    ("420000", "102340.00", "121590.30"),
    ("660000", "193590.00", "223840.35"),
    ("960000", "328840.00", "416840.45"),
])
def test_each_bound_of_the_monthly_converted_table(bonus, tax_at, tax_one_yuan_above):
    assert annual_bonus_tax(D(bonus), on=IN_FORCE).tax == D(tax_at)
    assert annual_bonus_tax(D(bonus) + 1, on=IN_FORCE).tax == D(tax_one_yuan_above)


def test_the_quick_deduction_is_taken_once_not_twelve_times():
    result = annual_bonus_tax(D("120000"), on=IN_FORCE)  # 10,000 a month: 10 %, 210
    assert result.tax == D("11790.00")  # 120,000 × 10% − 210


def test_without_the_other_income_there_is_nothing_to_compare():
    result = annual_bonus_tax(D("50000"), on=IN_FORCE)
    assert (result.separate_total_tax, result.merged_total_tax, result.cheaper) == (
        None, None, None)
    assert result.separate_available
    assert result.separate_valid_until == date(2027, 12, 31)


def test_separate_is_cheaper_when_the_other_income_fills_the_low_brackets():
    result = annual_bonus_tax(D("36001"), other_annual_taxable_income=D("60000"), on=IN_FORCE)
    # Other income alone: 60,000 × 10% − 2,520 = 3,480. Merged: 96,001 × 10% − 2,520.
    assert result.separate_total_tax == D("6870.10")
    assert result.merged_total_tax == D("7080.10")
    assert result.cheaper == SEPARATE


def test_merged_is_cheaper_when_the_other_income_is_low():
    # 20,000 of other taxable income leaves 16,000 of the 3 % bracket unused.
    result = annual_bonus_tax(D("36001"), other_annual_taxable_income=D("20000"), on=IN_FORCE)
    assert result.separate_total_tax == D("3990.10")  # 600 + 3,390.10
    assert result.merged_total_tax == D("3080.10")  # 56,001 × 10% − 2,520
    assert result.cheaper == MERGED
    steps = {step.label: step.value for step in result.explanation}
    assert steps["Cheaper method"] == "Merged into comprehensive income"


def test_negative_other_income_counts_as_none():
    # Deductions larger than the income: the merged bonus starts at the bottom of the table.
    result = annual_bonus_tax(D("36000"), other_annual_taxable_income=D("-5000"), on=IN_FORCE)
    assert result.merged_total_tax == D("1080.00")
    assert result.separate_total_tax == D("1080.00")
    assert result.cheaper == SEPARATE  # a tie keeps the bonus out of the annual figures


def test_separate_taxation_is_open_on_its_last_day():
    result = annual_bonus_tax(D("36001"), on=ANNUAL_BONUS_SEPARATE_VALID_UNTIL)
    assert result.separate_available
    assert result.tax == D("3390.10")


def test_after_2027_the_bonus_can_only_be_merged():
    result = annual_bonus_tax(D("36001"), other_annual_taxable_income=D("60000"),
                              on=date(2028, 1, 1))
    assert not result.separate_available
    assert result.separate_valid_until == date(2027, 12, 31)
    assert result.separate_total_tax is None
    assert result.cheaper == MERGED
    # The bonus costs what merging adds: 7,080.10 − 3,480.
    assert result.tax == D("3600.10")
    assert (result.rate, result.quick_deduction) == (D("0.10"), D("2520"))
    assert result.explanation[1].value == date(2027, 12, 31)


def test_after_2027_without_other_income_the_bonus_is_taxed_on_the_annual_table():
    result = annual_bonus_tax(D("36001"), on=date(2028, 3, 1))
    assert result.tax == D("1080.10")  # 36,001 × 10% − 2,520
    assert result.merged_total_tax is None


def test_a_negative_bonus_is_refused():
    with pytest.raises(ValueError, match="negative"):
        annual_bonus_tax(D("-1"), on=IN_FORCE)


@given(st.decimals(min_value=0, max_value=5_000_000, places=2),
       st.decimals(min_value=0, max_value=2_000_000, places=2))
def test_totals_and_rounding(bonus, other):
    result = annual_bonus_tax(bonus, other_annual_taxable_income=other, on=IN_FORCE)
    assert result.tax >= 0
    assert result.tax == result.tax.quantize(D("0.01"))
    other_tax = result.separate_total_tax - result.tax
    # Merging the bonus costs between nothing and the top rate on all of it.
    assert other_tax <= result.merged_total_tax <= other_tax + bonus * D("0.45") + D("0.01")
    assert result.tax <= bonus * D("0.45")
    assert result.cheaper == (SEPARATE if result.separate_total_tax <= result.merged_total_tax
                              else MERGED)
