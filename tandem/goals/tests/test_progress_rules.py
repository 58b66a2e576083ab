"""goals.progress: the OKR rules of ../shared/domain/okr-kpi.md, exactly and by property."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.goals.policy import DEFAULT_POLICY
from tandem.goals.progress import (
    KeyResultInput,
    MilestoneState,
    Weighted,
    at_risk,
    expectation,
    expected_progress,
    forecast,
    grade,
    kr_progress,
    objective_progress,
)


def numeric(start, target, current, measure="number"):
    return KeyResultInput(measure_type=measure, start=D(start), target=D(target), current=D(current))


def test_the_named_defaults_are_those_of_the_domain_rules():
    assert DEFAULT_POLICY.kr_progress_cap == D("1.5")
    assert DEFAULT_POLICY.aspirational_expectation == D("0.7")
    assert DEFAULT_POLICY.committed_expectation == D("1.0")
    assert DEFAULT_POLICY.risk_margin == D("0.2")
    assert DEFAULT_POLICY.low_confidence == 4
    assert DEFAULT_POLICY.stale_days == 14


def test_numeric_progress_is_the_share_of_the_way_from_start_to_target():
    result = kr_progress(numeric(100, 300, 150))
    assert result.value == D("0.2500")
    assert "kr_progress_cap" in result.explanation
    assert "1.5" in result.explanation


def test_a_decrease_key_result_uses_the_same_formula():
    # Churn from 10 % down to 4 %: at 7 % half the way is done.
    assert kr_progress(numeric(10, 4, 7, "percent")).value == D("0.5000")
    assert kr_progress(numeric(10, 4, 12, "percent")).value == D("0")
    assert kr_progress(numeric(10, 4, 3, "percent")).value == D("1.1667")


def test_progress_is_clamped_at_zero_and_capped_at_the_policy_cap():
    assert kr_progress(numeric(0, 100, -50)).value == D("0")
    assert kr_progress(numeric(0, 100, 120)).value == D("1.2000")
    assert kr_progress(numeric(0, 100, 400)).value == D("1.5000")


def test_target_equal_to_start_is_refused():
    with pytest.raises(ValueError):
        kr_progress(numeric(5, 5, 5))


def test_milestone_progress_is_the_weight_done_over_all_the_weight():
    kr = KeyResultInput("milestone", D(0), D(1), D(0), milestones=(
        MilestoneState(D(1), True), MilestoneState(D(2), False), MilestoneState(D(1), True)))
    assert kr_progress(kr).value == D("0.5000")
    assert kr_progress(KeyResultInput("milestone", D(0), D(1), D(0))).value == D("0")


def test_boolean_progress_is_zero_or_one():
    assert kr_progress(numeric(0, 1, 0, "boolean")).value == D(0)
    assert kr_progress(numeric(0, 1, 1, "boolean")).value == D(1)


def test_objective_progress_is_the_weighted_mean():
    result = objective_progress([Weighted(D(1), D("0.5")), Weighted(D(3), D("0.9"))])
    assert result.value == D("0.8000")
    assert objective_progress([]).value == D(0)


def test_grade_is_progress_up_to_one_with_one_decimal():
    assert grade(D("0.6666")) == D("0.7")
    assert grade(D("0.64")) == D("0.6")
    assert grade(D("1.35")) == D("1.0")


def test_expectations_follow_the_objective_kind():
    assert expectation("committed") == D("1.0")
    assert expectation("aspirational") == D("0.7")


def test_expected_progress_is_linear_over_the_cycle_and_clamped():
    start, end = date(2026, 10, 1), date(2026, 12, 31)
    assert expected_progress(start, end, date(2026, 9, 1)) == D(0)
    assert expected_progress(start, end, date(2026, 11, 15)) == D("0.4945")
    assert expected_progress(start, end, date(2027, 1, 5)) == D(1)


def test_the_behind_pace_reason_speaks_in_percents():
    from django.utils import translation

    with translation.override("en"):
        behind = at_risk(progress=D("0.47"), expected=D("0.6"), confidence=7,
                         last_check_in=date(2026, 11, 20), today=date(2026, 11, 26))
    assert behind.reasons == ["Progress 47 % is more than 20 % behind the expected 60 % (risk_margin)"]


def test_at_risk_behind_pace_low_confidence_or_stale():
    today = date(2026, 11, 26)
    fine = at_risk(progress=D("0.5"), expected=D("0.6"), confidence=7,
                   last_check_in=date(2026, 11, 20), today=today)
    assert fine.at_risk is False and fine.reasons == []
    behind = at_risk(progress=D("0.47"), expected=D("0.6"), confidence=7,
                     last_check_in=date(2026, 11, 20), today=today)
    assert behind.at_risk is True and len(behind.reasons) == 1
    unsure = at_risk(progress=D("0.6"), expected=D("0.6"), confidence=4,
                     last_check_in=date(2026, 11, 20), today=today)
    assert unsure.at_risk is True
    stale = at_risk(progress=D("0.6"), expected=D("0.6"), confidence=8,
                    last_check_in=date(2026, 11, 12), today=today)
    assert stale.at_risk is True and "14" in stale.reasons[0]


def test_forecast_reads_the_least_squares_line_at_the_end():
    points = [(date(2026, 10, 1), D(0)), (date(2026, 10, 11), D(10)), (date(2026, 10, 21), D(20))]
    assert forecast(points, date(2026, 12, 30)) == D("90.0000")
    assert forecast(points[:1], date(2026, 12, 30)) is None


values = st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False,
                     allow_infinity=False)


@given(start=values, target=values, current=values)
def test_numeric_progress_stays_within_zero_and_the_cap(start, target, current):
    if start == target:
        return
    value = kr_progress(numeric(start, target, current)).value
    assert D(0) <= value <= DEFAULT_POLICY.kr_progress_cap


@given(start=values, delta=st.decimals(min_value=D("0.01"), max_value=10**6, places=2),
       a=values, b=values)
def test_progress_rises_with_the_value_of_an_increase_key_result(start, delta, a, b):
    low, high = sorted((a, b))
    kr = (start, start + delta)
    assert kr_progress(numeric(*kr, low)).value <= kr_progress(numeric(*kr, high)).value


@given(start=values, delta=st.decimals(min_value=D("0.01"), max_value=10**6, places=2),
       a=values, b=values)
def test_progress_rises_as_the_value_of_a_decrease_key_result_falls(start, delta, a, b):
    low, high = sorted((a, b))
    kr = (start, start - delta)
    assert kr_progress(numeric(*kr, high)).value <= kr_progress(numeric(*kr, low)).value


@given(st.lists(st.tuples(st.decimals(min_value=D("0.01"), max_value=100, places=2),
                          st.decimals(min_value=0, max_value=D("1.5"), places=4)),
                min_size=1, max_size=8))
def test_objective_progress_lies_between_its_parts(parts):
    value = objective_progress([Weighted(w, p) for w, p in parts]).value
    assert min(p for _w, p in parts) <= value <= max(p for _w, p in parts)
