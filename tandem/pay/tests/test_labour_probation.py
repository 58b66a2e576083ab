"""Probation limits (劳动合同法 Art. 19, 20, 70; 实施条例 Art. 15; 民法典 Art. 1259 for the
boundaries: "以上" includes the number, "不满" does not)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.labour import ContractType, ProbationRule, probation_limit

D = Decimal


def limit(contract_type="fixed", term_months=12, wage="10000", minimum="2740", had=False):
    return probation_limit(contract_type=contract_type, term_months=term_months,
                           contract_wage=D(wage), local_minimum_wage=D(minimum),
                           had_probation_with_employer=had)


@pytest.mark.parametrize("term, months, rule", [
    (1, 0, ProbationRule.TERM_UNDER_3_MONTHS),
    (2, 0, ProbationRule.TERM_UNDER_3_MONTHS),
    (3, 1, ProbationRule.TERM_3_MONTHS_TO_1_YEAR),  # exactly 3 months: 1 month
    (11, 1, ProbationRule.TERM_3_MONTHS_TO_1_YEAR),
    (12, 2, ProbationRule.TERM_1_TO_3_YEARS),  # exactly 1 year: 2 months
    (35, 2, ProbationRule.TERM_1_TO_3_YEARS),
    (36, 6, ProbationRule.TERM_3_YEARS_OR_MORE),  # exactly 3 years: 6 months
    (120, 6, ProbationRule.TERM_3_YEARS_OR_MORE),
])
def test_the_limit_by_fixed_term(term, months, rule):
    result = limit(term_months=term)
    assert result.max_probation_months == months
    assert result.explanation["rule"] == rule


def test_open_ended_contracts_allow_six_months():
    result = limit(contract_type=ContractType.OPEN_ENDED, term_months=None)
    assert (result.max_probation_months, result.explanation["rule"]) == (6, "open_ended")


@pytest.mark.parametrize("contract_type, rule", [
    ("task", ProbationRule.TASK_CONTRACT), ("part_time", ProbationRule.PART_TIME)])
def test_task_and_part_time_contracts_allow_none(contract_type, rule):
    result = limit(contract_type=contract_type, term_months=None)
    assert result.max_probation_months == 0
    assert result.explanation["rule"] == rule


@pytest.mark.parametrize("contract_type, term", [("fixed", 36), ("open_ended", None)])
def test_only_one_probation_with_the_same_employer_ever(contract_type, term):
    result = limit(contract_type=contract_type, term_months=term, had=True)
    assert result.max_probation_months == 0
    assert result.explanation["rule"] == ProbationRule.ALREADY_HAD_PROBATION


def test_the_wage_floor_is_80_percent_of_the_contract_wage():
    result = limit(wage="10000.05", minimum="2740")
    assert result.probation_wage_floor == D("8000.04")  # 8000.04, half-up
    assert result.explanation["floor_from"] == "contract_wage"


def test_the_wage_floor_never_goes_below_the_minimum_wage():
    result = limit(wage="3000", minimum="2740")  # 80 % is 2400
    assert result.probation_wage_floor == D("2740.00")
    assert result.explanation["floor_from"] == "minimum_wage"


def test_a_fixed_term_contract_needs_its_term():
    with pytest.raises(ValueError):
        limit(term_months=None)


@given(a=st.integers(0, 600), b=st.integers(0, 600))
def test_a_longer_term_never_allows_a_shorter_probation(a, b):
    short, long_ = sorted((a, b))
    assert limit(term_months=short).max_probation_months <= limit(
        term_months=long_).max_probation_months


@given(wage=st.decimals(min_value=0, max_value=10**6, places=2),
       minimum=st.decimals(min_value=0, max_value=10**4, places=2))
def test_the_floor_is_at_least_both_limbs(wage, minimum):
    floor = limit(wage=wage, minimum=minimum).probation_wage_floor
    assert floor >= minimum
    assert floor >= (wage * D("0.8")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert floor in {minimum, (wage * D("0.8")).quantize(D("0.01"), rounding=ROUND_HALF_UP)}
