"""Economic compensation (劳动合同法 Art. 47): one month's wage per full year of service, a
remainder of 6 months or more counts as a year and a shorter one as half; above 3 × the local
average wage the wage used is 3 × that average and at most 12 years count."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.labour import economic_compensation, service_length

D = Decimal


def compensate(start, end, wage="10000", local="12434"):
    return economic_compensation(service_start=start, service_end=end,
                                 average_monthly_wage=D(wage),
                                 local_average_monthly_wage=D(local))


@pytest.mark.parametrize("start, end, n", [
    (date(2020, 3, 1), date(2023, 2, 28), D("3")),  # exactly 3 years, both ends included
    (date(2020, 3, 1), date(2023, 3, 1), D("3.5")),  # a day more: half a month
    (date(2020, 3, 1), date(2023, 8, 30), D("3.5")),  # 5 months 30 days
    (date(2020, 3, 1), date(2023, 8, 31), D("4")),  # exactly 6 months more: a year
    (date(2026, 1, 1), date(2026, 1, 1), D("0.5")),  # one day
    (date(2026, 1, 1), date(2026, 6, 30), D("1")),  # six months
    (date(2026, 1, 1), date(2026, 6, 29), D("0.5")),
    (date(2024, 1, 31), date(2024, 7, 30), D("1")),  # 31 Jan + 6 months = 31 Jul (exclusive)
])
def test_n_by_service_length(start, end, n):
    result = compensate(start, end)
    assert result.n == n
    assert result.compensation == (D("10000") * n).quantize(D("0.01"))


def test_service_length_counts_months_and_days():
    assert service_length(date(2020, 3, 15), date(2023, 9, 20)) == (3, 6, 6)
    # A month from 31 January ends with February (民法典 Art. 202: no such day, the month's end).
    assert service_length(date(2024, 1, 31), date(2024, 2, 28)) == (0, 0, 29)
    assert service_length(date(2024, 1, 31), date(2024, 2, 29)) == (0, 1, 0)
    assert service_length(date(2023, 1, 31), date(2023, 2, 28)) == (0, 1, 0)
    assert service_length(date(2023, 1, 31), date(2023, 3, 30)) == (0, 2, 0)


def test_a_high_earner_is_capped_at_3_times_the_local_average_and_12_years():
    result = compensate(date(2005, 3, 1), date(2023, 9, 1), wage="50000")
    assert result.explanation["n_by_service"] == D("19")
    assert result.n == D("12")
    assert result.monthly_wage_used == D("37302.00")  # 12434 × 3
    assert result.compensation == D("447624.00")
    assert result.explanation["service_before_2008"] is True


def test_a_wage_exactly_at_the_cap_is_not_capped():
    result = compensate(date(2005, 1, 1), date(2024, 12, 31), wage="37302")
    assert result.n == D("20")
    assert result.compensation == D("746040.00")
    assert result.explanation["high_earner"] is False


def test_a_high_earner_with_few_years_keeps_them():
    result = compensate(date(2020, 1, 1), date(2024, 12, 31), wage="40000")
    assert (result.n, result.monthly_wage_used) == (D("5"), D("37302.00"))


def test_service_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        compensate(date(2024, 1, 2), date(2024, 1, 1))


days = st.integers(min_value=0, max_value=365 * 40)


@given(start=st.dates(min_value=date(2008, 1, 1), max_value=date(2030, 1, 1)), a=days, b=days,
       wage=st.sampled_from(["5000", "37302", "60000"]))
def test_compensation_never_drops_with_longer_service(start, a, b, wage):
    short, long_ = sorted((a, b))
    first = compensate(start, start + timedelta(days=short), wage=wage)
    second = compensate(start, start + timedelta(days=long_), wage=wage)
    assert first.n <= second.n
    assert first.compensation <= second.compensation
    assert second.n <= (12 if D(wage) > D("37302") else 41)


def test_a_wage_below_the_minimum_wage_counts_as_the_minimum_wage():
    result = economic_compensation(service_start=date(2024, 1, 1), service_end=date(2025, 12, 31),
                                   average_monthly_wage=D("2000"),
                                   local_average_monthly_wage=D("12434"),
                                   local_minimum_wage=D("2740"))
    assert (result.n, result.monthly_wage_used, result.compensation) == (
        D("2"), D("2740.00"), D("5480.00"))
    assert result.explanation["raised_to_minimum"] is True
