"""Daily and hourly wage and part-month pay (人社部发〔2025〕2号: 21.75 paid days, 174 paid
hours a month; part months: monthly ÷ 21.75 × days, capped at the monthly wage)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.labour import (
    MONTHLY_PAID_DAYS,
    MONTHLY_PAID_HOURS,
    daily_wage,
    hourly_wage,
    part_month_pay,
)

D = Decimal


def test_the_2025_conversion_figures():
    assert str(MONTHLY_PAID_DAYS) == "21.75"
    assert str(MONTHLY_PAID_HOURS) == "174"
    assert MONTHLY_PAID_DAYS * 8 == MONTHLY_PAID_HOURS


def test_daily_and_hourly_wage_are_unrounded():
    assert daily_wage(D("21750")) == D("1000")
    assert hourly_wage(D("17400")) == D("100")
    assert hourly_wage(D("10000")).quantize(D("0.000001")) == D("57.471264")


def test_part_month_pay():
    assert part_month_pay(D("10000"), D("10")) == D("4597.70")  # 4597.701...
    assert part_month_pay(D("10000"), D("21.75")) == D("10000.00")
    # 22 working days in a long month would pay more than the month: capped.
    assert part_month_pay(D("10000"), D("22")) == D("10000.00")
    assert part_month_pay(D("10000"), D("0")) == D("0.00")


@given(wage=st.decimals(min_value=0, max_value=10**6, places=2),
       days=st.decimals(min_value=0, max_value=31, places=1))
def test_part_month_pay_never_exceeds_the_month(wage, days):
    pay = part_month_pay(wage, days)
    assert D(0) <= pay <= wage
    assert pay.as_tuple().exponent == -2
