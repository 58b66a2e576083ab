"""Social insurance and housing fund contributions (`pay.social`): the base clamped to each
scheme's floor and ceiling, each side's share with its fixed amount and rounding
(../shared/domain/china-payroll-labour.md §3)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.social import (
    Contribution,
    Rounding,
    Scheme,
    SchemeRule,
    clamp_base,
    contributions,
    round_amount,
)

D = Decimal

# Shanghai 2025-07-01 → 2026-06-30 (§3.2): SI base 7,460 – 37,302; housing fund 2,690 – 37,302,
# rounded to the whole yuan.
SHANGHAI = [
    SchemeRule(Scheme.PENSION, D("0.08"), D("0.16"), D("7460"), D("37302")),
    SchemeRule(Scheme.MEDICAL, D("0.02"), D("0.09"), D("7460"), D("37302")),
    SchemeRule(Scheme.UNEMPLOYMENT, D("0.005"), D("0.005"), D("7460"), D("37302")),
    SchemeRule(Scheme.WORK_INJURY, D("0"), D("0.002"), D("7460"), D("37302")),
    SchemeRule(Scheme.HOUSING_FUND, D("0.07"), D("0.07"), D("2690"), D("37302"),
               rounding=Rounding.HALF_UP_YUAN),
]


def by_scheme(result: list[Contribution]) -> dict[Scheme, Contribution]:
    return {c.scheme: c for c in result}


def test_a_base_inside_the_band_is_used_as_declared():
    result = by_scheme(contributions(base=D("12345.67"), rules=SHANGHAI))
    pension = result[Scheme.PENSION]
    assert (pension.declared_base, pension.base) == (D("12345.67"), D("12345.67"))
    assert pension.employee_amount == D("987.65")  # 987.6536
    assert pension.employer_amount == D("1975.31")  # 1975.3072
    assert pension.explanation["clamp"] == "none"
    assert result[Scheme.UNEMPLOYMENT].employee_amount == D("61.73")  # 61.72835
    # Housing fund to the whole yuan, half-up: 864.1969 -> 864.
    assert result[Scheme.HOUSING_FUND].employee_amount == D("864.00")


def test_a_base_below_the_floor_is_raised_to_it():
    result = by_scheme(contributions(base=D("5000"), rules=SHANGHAI))
    assert result[Scheme.PENSION].base == D("7460")
    assert result[Scheme.PENSION].employee_amount == D("596.80")
    assert result[Scheme.PENSION].explanation["clamp"] == "floor"
    # The housing fund has its own, lower floor.
    assert result[Scheme.HOUSING_FUND].base == D("5000")
    assert result[Scheme.HOUSING_FUND].employee_amount == D("350.00")


def test_a_base_above_the_ceiling_is_cut_to_it():
    result = by_scheme(contributions(base=D("60000"), rules=SHANGHAI))
    assert result[Scheme.PENSION].base == D("37302")
    assert result[Scheme.PENSION].employee_amount == D("2984.16")
    assert result[Scheme.PENSION].employer_amount == D("5968.32")
    assert result[Scheme.PENSION].explanation["clamp"] == "ceiling"
    # 37302 × 7 % = 2611.14 -> 2611 yuan.
    assert result[Scheme.HOUSING_FUND].employee_amount == D("2611.00")


def test_the_bounds_themselves_are_inside_the_band():
    rule = SHANGHAI[0]
    assert clamp_base(D("7460"), rule)[0] == D("7460")
    assert clamp_base(D("37302"), rule)[0] == D("37302")
    assert clamp_base(D("7459.99"), rule)[0] == D("7460")
    assert clamp_base(D("37302.01"), rule)[0] == D("37302")


def test_work_injury_is_paid_by_the_employer_only_because_its_employee_rate_is_zero():
    injury = by_scheme(contributions(base=D("10000"), rules=SHANGHAI))[Scheme.WORK_INJURY]
    assert injury.employee_amount == D("0.00")
    assert injury.employer_amount == D("20.00")


def test_beijing_adds_3_yuan_serious_illness_insurance_on_the_employee_side():
    medical = SchemeRule(Scheme.MEDICAL, D("0.02"), D("0.098"), D("7162"), D("35811"),
                         employee_fixed=D("3"))
    [result] = contributions(base=D("10000"), rules=[medical])
    assert result.employee_amount == D("203.00")
    assert result.employer_amount == D("980.00")
    assert result.explanation["employee_fixed"] == D("3")


def test_shanghai_s_former_round_up_to_the_jiao():
    rule = SchemeRule(Scheme.PENSION, D("0.08"), D("0.16"), None, None,
                      rounding=Rounding.UP_JIAO)
    [result] = contributions(base=D("10000.13"), rules=[rule])
    assert result.employee_amount == D("800.10")  # 800.0104: any fen goes up to the jiao
    assert result.employer_amount == D("1600.10")  # 1600.0208


def test_no_bounds_means_the_declared_base():
    rule = SchemeRule(Scheme.SUPPLEMENTARY_HOUSING_FUND, D("0.01"), D("0.01"), None, None)
    [result] = contributions(base=D("123456"), rules=[rule])
    assert result.base == D("123456")
    assert result.employee_amount == D("1234.56")


def test_a_negative_base_is_refused():
    with pytest.raises(ValueError):
        contributions(base=D("-1"), rules=SHANGHAI)


def test_round_amount_modes_on_one_figure():
    figure = D("12.341")
    assert round_amount(figure, Rounding.HALF_UP_FEN) == D("12.34")
    assert round_amount(figure, Rounding.UP_JIAO) == D("12.40")
    assert round_amount(figure, Rounding.HALF_UP_JIAO) == D("12.30")
    assert round_amount(figure, Rounding.HALF_UP_YUAN) == D("12.00")
    assert round_amount(figure, Rounding.UP_YUAN) == D("13.00")
    assert round_amount(D("12.50"), Rounding.HALF_UP_YUAN) == D("13.00")
    assert round_amount(D("12.005"), "half_up_fen") == D("12.01")
    assert round_amount(D("12.30"), Rounding.UP_JIAO) == D("12.30")


UNITS = {
    Rounding.HALF_UP_FEN: D("0.01"), Rounding.UP_JIAO: D("0.1"), Rounding.HALF_UP_JIAO: D("0.1"),
    Rounding.HALF_UP_YUAN: D("1"), Rounding.UP_YUAN: D("1"),
}
amounts = st.decimals(min_value=0, max_value=10**7, places=6, allow_nan=False,
                      allow_infinity=False)
money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False,
                    allow_infinity=False)
rates = st.decimals(min_value=0, max_value=D("0.3"), places=4, allow_nan=False,
                    allow_infinity=False)


@given(amount=amounts, rounding=st.sampled_from(list(Rounding)))
def test_rounding_lands_on_the_unit_of_its_mode_within_one_unit(amount, rounding):
    unit = UNITS[rounding]
    rounded = round_amount(amount, rounding)
    assert rounded % unit == 0
    assert rounded.as_tuple().exponent == -2
    if rounding.value.startswith("up_"):
        assert amount <= rounded < amount + unit
    else:
        assert abs(rounded - amount) <= unit / 2


@given(base=money, floor=money, span=money, employee_rate=rates, employer_rate=rates)
def test_the_base_used_is_always_inside_the_band(base, floor, span, employee_rate,
                                                 employer_rate):
    ceiling = floor + span
    rule = SchemeRule(Scheme.PENSION, employee_rate, employer_rate, floor, ceiling)
    [result] = contributions(base=base, rules=[rule])
    assert floor <= result.base <= ceiling
    assert result.base == min(max(base, floor), ceiling)
    assert result.employee_amount == round_amount(result.base * employee_rate,
                                                  Rounding.HALF_UP_FEN)
    assert result.employer_amount == round_amount(result.base * employer_rate,
                                                  Rounding.HALF_UP_FEN)
