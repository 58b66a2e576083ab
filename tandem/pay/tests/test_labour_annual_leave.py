"""Statutory annual leave (职工带薪年休假条例 Art. 2–5; 企业职工带薪年休假实施办法 Art. 4, 5,
10–12): 5/10/15 days by cumulative years worked, pro rata for joiners and leavers with the
fractions dropped, unused days paid 200 % extra of avg monthly wage ÷ 21.75."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.labour import annual_leave

D = Decimal


def leave(years="5", join=None, leave_on=None, taken="0", wage="10000", year=2026):
    return annual_leave(year=year, cumulative_years_worked=D(years), join_date=join,
                        leave_date=leave_on, taken_days=D(taken), average_monthly_wage=D(wage))


@pytest.mark.parametrize("years, days", [
    ("0", 0), ("0.9", 0), ("1", 5), ("9.9", 5), ("10", 10), ("19.9", 10), ("20", 15),
    ("40", 15),
])
def test_the_days_a_year_by_cumulative_years_worked(years, days):
    result = leave(years=years)
    assert result.full_year_days == days
    assert result.prorated_days == days


def test_a_joiner_gets_the_remaining_days_of_the_year_pro_rata():
    # 1 July to 31 December 2026: 184 days; 184 ÷ 365 × 5 = 2.52 -> 2 days.
    result = leave(years="3", join=date(2026, 7, 1))
    assert (result.full_year_days, result.prorated_days) == (5, 2)
    assert result.explanation["days_at_employer"] == 184
    assert result.unused_days_payable == D("2")


def test_a_joiner_on_the_first_day_of_the_year_gets_the_whole_year():
    assert leave(years="12", join=date(2026, 1, 1)).prorated_days == 10
    assert leave(years="12", join=date(2020, 5, 1)).prorated_days == 10


def test_a_leap_year_never_gives_more_than_the_days_a_year():
    assert leave(years="25", year=2028).prorated_days == 15  # 366 ÷ 365 × 15 = 15.04


def test_a_leaver_takes_the_days_taken_off_before_dropping_the_fraction():
    # Leaving 30 June 2026: 181 days; 181 ÷ 365 × 10 = 4.96; − 2 taken = 2.96 -> 2.
    result = leave(years="12", leave_on=date(2026, 6, 30), taken="2")
    assert result.prorated_days == 4
    assert result.unused_days_payable == D("2")
    # 2 × 10000 ÷ 21.75 × 200 % = 1839.0804...
    assert result.unused_leave_extra_pay == D("1839.08")


def test_a_leaver_who_took_more_than_the_pro_rata_owes_nothing_back():
    result = leave(years="12", leave_on=date(2026, 3, 31), taken="5")
    assert result.unused_days_payable == D("0")
    assert result.unused_leave_extra_pay == D("0.00")


def test_half_days_taken_come_off_before_the_fraction_for_a_leaver():
    # 365 days ÷ 365 × 5 − 0.5 = 4.5 -> 4 (a leaver on 31 December still follows Art. 12).
    assert leave(leave_on=date(2026, 12, 31), taken="0.5").unused_days_payable == D("4")
    # Someone staying on keeps the half day: 5 − 0.5.
    assert leave(taken="0.5").unused_days_payable == D("4.5")


def test_joining_and_leaving_in_the_same_year():
    # 1 March to 31 August 2026: 184 days; 184 ÷ 365 × 5 = 2.52 -> 2.
    result = leave(years="2", join=date(2026, 3, 1), leave_on=date(2026, 8, 31))
    assert result.explanation["days_at_employer"] == 184
    assert result.unused_days_payable == D("2")


def test_unused_leave_extra_pay_for_a_whole_year():
    # 10 unused days × 8000 ÷ 21.75 × 200 % = 7356.3218...
    result = leave(years="15", wage="8000")
    assert result.unused_days_payable == D("10")
    assert result.unused_leave_extra_pay == D("7356.32")


def test_under_one_year_worked_no_leave_and_no_pay():
    result = leave(years="0.5", taken="0")
    assert (result.full_year_days, result.prorated_days) == (0, 0)
    assert result.unused_leave_extra_pay == D("0.00")


@given(years=st.decimals(min_value=0, max_value=45, places=1),
       join=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2026, 12, 31))),
       stay=st.integers(0, 800), leaving=st.booleans(),
       taken=st.decimals(min_value=0, max_value=20, places=1))
def test_pro_rata_leave_stays_within_the_year_s_entitlement(years, join, stay, leaving, taken):
    start = join or date(2026, 1, 1)
    leave_on = start + timedelta(days=stay) if leaving else None
    result = leave(years=years, join=join, leave_on=leave_on, taken=taken)
    assert 0 <= result.prorated_days <= result.full_year_days
    assert 0 <= result.unused_days_payable <= result.full_year_days
    assert result.unused_leave_extra_pay == (
        D("10000") / D("21.75") * 2 * result.unused_days_payable).quantize(D("0.01"), rounding=ROUND_HALF_UP)
