"""Overtime pay (劳动法 Art. 44): 150 % on workdays, 200 % on rest days, 300 % on statutory
holidays, from the unrounded hourly wage (monthly ÷ 174), each amount half-up to the fen."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.labour import overtime_pay

D = Decimal


def test_a_month_with_all_three_kinds():
    result = overtime_pay(monthly_wage=D("10000"), workday_hours=D("10"),
                          rest_day_hours=D("8"), holiday_hours=D("8"))
    # hourly 57.471264...: × 1.5 × 10 = 862.0689..., × 2 × 8 = 919.5402..., × 3 × 8 = 1379.3103...
    assert result.hourly_wage == D("57.47")
    assert result.workday_pay == D("862.07")
    assert result.rest_day_pay == D("919.54")
    assert result.holiday_pay == D("1379.31")
    assert result.total == D("3160.92")
    assert result.explanation["over_monthly_limit"] is False


def test_the_pay_uses_the_unrounded_hourly_wage():
    # Rounded first, 57.47 × 1.5 × 100 would be 8620.50; unrounded it is 8620.69.
    result = overtime_pay(monthly_wage=D("10000"), workday_hours=D("100"),
                          rest_day_hours=D("0"), holiday_hours=D("0"))
    assert result.workday_pay == D("8620.69")


def test_more_than_36_hours_a_month_is_flagged():
    at_limit = overtime_pay(monthly_wage=D("8000"), workday_hours=D("20"),
                            rest_day_hours=D("16"), holiday_hours=D("0"))
    over = overtime_pay(monthly_wage=D("8000"), workday_hours=D("20"),
                        rest_day_hours=D("16"), holiday_hours=D("0.5"))
    assert at_limit.explanation["over_monthly_limit"] is False
    assert over.explanation["over_monthly_limit"] is True


def test_negative_hours_are_refused():
    with pytest.raises(ValueError):
        overtime_pay(monthly_wage=D("8000"), workday_hours=D("-1"), rest_day_hours=D("0"),
                     holiday_hours=D("0"))


wages = st.decimals(min_value=0, max_value=10**6, places=2)
hours = st.decimals(min_value=0, max_value=200, places=2)


@given(wage=wages, workday=hours, rest=hours, holiday=hours, factor=st.integers(1, 5))
def test_overtime_pay_is_linear_in_hours_up_to_rounding(wage, workday, rest, holiday, factor):
    once = overtime_pay(monthly_wage=wage, workday_hours=workday, rest_day_hours=rest,
                        holiday_hours=holiday)
    scaled = overtime_pay(monthly_wage=wage, workday_hours=workday * factor,
                          rest_day_hours=rest * factor, holiday_hours=holiday * factor)
    for name in ("workday_pay", "rest_day_pay", "holiday_pay"):
        # Each amount is one rounding away from the exact figure: at most half a fen each.
        assert abs(getattr(scaled, name) - getattr(once, name) * factor) <= D("0.005") * (
            factor + 1)
    assert scaled.total == scaled.workday_pay + scaled.rest_day_pay + scaled.holiday_pay


@given(wage=wages, h=hours)
def test_the_rates_rank_holiday_over_rest_day_over_workday(wage, h):
    workday = overtime_pay(monthly_wage=wage, workday_hours=h, rest_day_hours=D(0),
                           holiday_hours=D(0)).total
    rest = overtime_pay(monthly_wage=wage, workday_hours=D(0), rest_day_hours=h,
                        holiday_hours=D(0)).total
    holiday = overtime_pay(monthly_wage=wage, workday_hours=D(0), rest_day_hours=D(0),
                           holiday_hours=h).total
    assert workday <= rest <= holiday
    assert abs(holiday - 2 * workday) <= D("0.01")
