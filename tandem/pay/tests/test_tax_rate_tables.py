"""The two rate tables: each quick deduction re-derives from the rows above it, and "不超过X"
includes X (domain reference §1.2 and §2)."""

from decimal import Decimal as D

import pytest

from tandem.pay.tax import (
    COMPREHENSIVE_TABLE,
    MONTHLY_CONVERTED_TABLE,
    bracket_for,
    tax_on,
)


@pytest.mark.parametrize("table", [COMPREHENSIVE_TABLE, MONTHLY_CONVERTED_TABLE])
def test_each_quick_deduction_re_derives_from_the_row_below(table):
    # qd_k = qd_{k-1} + upper_{k-1} × (r_k − r_{k-1})
    assert table[0].quick_deduction == 0
    for below, row in zip(table, table[1:], strict=False):
        assert row.quick_deduction == below.quick_deduction + below.upper * (row.rate - below.rate)
    assert table[-1].upper is None


def test_the_monthly_converted_table_is_the_annual_one_divided_by_twelve():
    for annual, monthly in zip(COMPREHENSIVE_TABLE, MONTHLY_CONVERTED_TABLE, strict=True):
        assert monthly.rate == annual.rate
        assert monthly.upper == (None if annual.upper is None else annual.upper / 12)
        assert monthly.quick_deduction == annual.quick_deduction / 12


# (bound, tax at the bound by the lower row, tax one yuan above it by the upper row)
ANNUAL_BOUNDS = [
    ("36000", "1080.00", "1080.10"),
    ("144000", "11880.00", "11880.20"),
    ("300000", "43080.00", "43080.25"),
    ("420000", "73080.00", "73080.30"),
    ("660000", "145080.00", "145080.35"),
    ("960000", "250080.00", "250080.45"),
]


@pytest.mark.parametrize("bound, at_bound, one_yuan_above", ANNUAL_BOUNDS)
def test_the_annual_table_includes_each_bound_in_the_lower_row(bound, at_bound, one_yuan_above):
    bound = D(bound)
    lower = bracket_for(bound, COMPREHENSIVE_TABLE)
    upper = bracket_for(bound + D("0.01"), COMPREHENSIVE_TABLE)
    assert lower.upper == bound
    assert upper.rate > lower.rate
    assert tax_on(bound, COMPREHENSIVE_TABLE)[0] == D(at_bound)
    # The quick deductions make the annual tax continuous: one yuan more costs the upper rate.
    assert tax_on(bound + 1, COMPREHENSIVE_TABLE)[0] == D(one_yuan_above)


def test_rows_at_and_above_the_first_bound():
    assert bracket_for(D("36000"), COMPREHENSIVE_TABLE).rate == D("0.03")
    assert bracket_for(D("36000.01"), COMPREHENSIVE_TABLE).rate == D("0.10")
    assert bracket_for(D("960000.01"), COMPREHENSIVE_TABLE).quick_deduction == D("181920")
    assert bracket_for(D("3000"), MONTHLY_CONVERTED_TABLE).rate == D("0.03")
    assert bracket_for(D("80000.01"), MONTHLY_CONVERTED_TABLE).quick_deduction == D("15160")


def test_no_tax_on_nothing_or_less():
    assert tax_on(D(0), COMPREHENSIVE_TABLE)[0] == D("0.00")
    assert tax_on(D("-2500"), COMPREHENSIVE_TABLE)[0] == D("0.00")


def test_tax_is_rounded_half_up_to_the_fen():
    # 0.5 fen: 3 % of 0.50 is 0.015, which rounds up to 0.02.
    assert tax_on(D("0.50"), COMPREHENSIVE_TABLE)[0] == D("0.02")
    assert tax_on(D("0.49"), COMPREHENSIVE_TABLE)[0] == D("0.01")
