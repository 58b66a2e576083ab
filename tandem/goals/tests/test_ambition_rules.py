"""The ambition guard's rules (goals.ambition): a target already promised by the key result's
trend or by the owner's past results is low ambition."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tandem.goals.ambition import PastResult, TargetInput, assess, is_easing

START = date(2026, 10, 1)
DUE = date(2026, 12, 31)


def past(cycle: str, end: date, achieved, *, start=0, target=100) -> PastResult:
    return PastResult(cycle=cycle, cycle_end=end, start=D(start), target=D(target),
                      achieved=D(achieved))


Q2, Q3 = date(2026, 6, 30), date(2026, 9, 30)


def test_a_trend_that_reaches_the_target_by_the_due_date_is_low_ambition():
    # 0 at the start, 30 after 30 days, 60 after 60: one a day, 91 by the 31st of December.
    kr = TargetInput(start=D(0), target=D(80), cycle_start=START, due=DUE,
                     check_ins=((START + timedelta(days=30), D(30)),
                                (START + timedelta(days=60), D(60))))
    result = assess(kr)
    assert (result.low_ambition, result.by_trend, result.by_past) == (True, True, False)
    assert result.projection == D("91.0000")
    with translation.override("en"):  # put into words when read, in the reader's language
        explanation = result.explanation
    assert explanation.startswith("Low ambition: the target 80 is already promised.")
    assert "reaches 91 by 2026-12-31, already at or past the target 80" in explanation
    with translation.override("zh-hans"):
        assert "91" in result.explanation and "Low ambition" not in result.explanation


def test_a_trend_short_of_the_target_is_not_low_ambition():
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     check_ins=((START + timedelta(days=30), D(30)),
                                (START + timedelta(days=60), D(60))))
    result = assess(kr)
    assert (result.low_ambition, result.projection) == (False, D("91.0000"))


def test_one_check_in_is_no_trend():
    kr = TargetInput(start=D(0), target=D(10), cycle_start=START, due=DUE,
                     check_ins=((START + timedelta(days=5), D(50)),))
    result = assess(kr)
    assert (result.low_ambition, result.projection) == (False, None)


def test_past_results_beating_the_new_target_by_20_percent_in_each_of_the_last_two_cycles():
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     past=(past("2026-Q2", Q2, 125), past("2026-Q3", Q3, 120)))
    result = assess(kr)
    assert (result.low_ambition, result.by_trend, result.by_past) == (True, False, True)
    with translation.override("en"):
        assert ("in each of the last 2 cycles the owner reached at least 120, the target 100 "
                "beaten by 20 % of the planned change (2026-Q3: 120 (its target 100); 2026-Q2: "
                "125 (its target 100))") in result.explanation


def test_one_cycle_short_of_the_margin_keeps_the_target_ambitious():
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     past=(past("2026-Q2", Q2, 150), past("2026-Q3", Q3, D("119.99"))))
    assert assess(kr).low_ambition is False


def test_only_the_last_cycles_count_and_the_weakest_result_of_a_cycle():
    old_miss = past("2026-Q1", date(2026, 3, 31), 10)
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     past=(old_miss, past("2026-Q2", Q2, 130), past("2026-Q3", Q3, 130)))
    assert assess(kr).by_past is True
    weak_sibling = past("2026-Q3", Q3, 90)
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     past=(past("2026-Q2", Q2, 130), past("2026-Q3", Q3, 130), weak_sibling))
    assert assess(kr).by_past is False


def test_fewer_cycles_than_asked_never_flag():
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     past=(past("2026-Q3", Q3, 500),))
    assert assess(kr).by_past is False
    assert assess(kr, past_cycles=1).by_past is True


def test_the_margin_and_the_number_of_cycles_are_parameters():
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     past=(past("2026-Q2", Q2, 111), past("2026-Q3", Q3, 112)))
    assert assess(kr).by_past is False
    assert assess(kr, beat_margin=D("0.1")).by_past is True


def test_a_decrease_key_result_is_beaten_below_its_target():
    # Incidents from 10 down to 5: beaten by 20 % of the planned change means at most 4.
    kr = TargetInput(start=D(10), target=D(5), cycle_start=START, due=DUE,
                     past=(past("2026-Q2", Q2, 4, start=10, target=6),
                           past("2026-Q3", Q3, 3, start=9, target=6)))
    assert assess(kr).by_past is True
    kr = TargetInput(start=D(10), target=D(5), cycle_start=START, due=DUE,
                     past=(past("2026-Q2", Q2, D("4.5"), start=10, target=6),
                           past("2026-Q3", Q3, 3, start=9, target=6)))
    assert assess(kr).by_past is False


def test_past_results_of_the_other_direction_are_not_comparable():
    kr = TargetInput(start=D(0), target=D(100), cycle_start=START, due=DUE,
                     past=(past("2026-Q2", Q2, 500, start=600, target=550),
                           past("2026-Q3", Q3, 500, start=600, target=550)))
    assert assess(kr).by_past is False


def test_easing_reads_the_direction():
    assert is_easing(start=D(0), old_target=D(100), new_target=D(90)) is True
    assert is_easing(start=D(0), old_target=D(100), new_target=D(110)) is False
    assert is_easing(start=D(10), old_target=D(2), new_target=D(4)) is True
    assert is_easing(start=D(10), old_target=D(4), new_target=D(2)) is False


def test_a_target_equal_to_its_start_is_refused():
    with pytest.raises(ValueError):
        assess(TargetInput(start=D(1), target=D(1), cycle_start=START, due=DUE))


# -- properties ---------------------------------------------------------------------------

values = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False,
                     allow_infinity=False)
gains = st.decimals(min_value=D("0.01"), max_value=1000, places=2)
check_in_lists = st.lists(st.tuples(st.integers(min_value=1, max_value=120), values),
                          max_size=6)
past_lists = st.lists(st.tuples(st.integers(min_value=0, max_value=4), values, gains, values),
                      max_size=6)


def _input(start, target, check_ins, pasts) -> TargetInput:
    return TargetInput(
        start=start, target=target, cycle_start=START, due=DUE,
        check_ins=tuple((START + timedelta(days=day), value) for day, value in check_ins),
        past=tuple(PastResult(cycle=f"Q{n}", cycle_end=date(2025, 2 * n + 1, 28),
                              start=p_start, target=p_start + p_gain, achieved=achieved)
                   for n, p_start, p_gain, achieved in pasts))


def _mirror(kr: TargetInput) -> TargetInput:
    return TargetInput(
        start=-kr.start, target=-kr.target, cycle_start=kr.cycle_start, due=kr.due,
        check_ins=tuple((day, -value) for day, value in kr.check_ins),
        past=tuple(PastResult(cycle=p.cycle, cycle_end=p.cycle_end, start=-p.start,
                              target=-p.target, achieved=-p.achieved) for p in kr.past))


@given(start=values, gain=gains, more=gains, check_ins=check_in_lists, pasts=past_lists)
def test_a_higher_target_is_never_less_ambitious(start, gain, more, check_ins, pasts):
    lower = assess(_input(start, start + gain, check_ins, pasts))
    higher = assess(_input(start, start + gain + more, check_ins, pasts))
    assert not (higher.by_trend and not lower.by_trend)
    assert not (higher.by_past and not lower.by_past)
    assert not (higher.low_ambition and not lower.low_ambition)


@given(start=values, gain=gains, check_ins=check_in_lists, pasts=past_lists)
def test_a_decrease_key_result_is_the_mirror_of_an_increase(start, gain, check_ins, pasts):
    increase = _input(start, start + gain, check_ins, pasts)
    decrease = assess(_mirror(increase))
    result = assess(increase)
    assert (decrease.low_ambition, decrease.by_trend, decrease.by_past) == (
        result.low_ambition, result.by_trend, result.by_past)
    assert decrease.projection == (-result.projection if result.projection is not None
                                   else None)


@given(start=values, gain=gains, check_ins=check_in_lists, pasts=past_lists)
def test_low_ambition_says_why(start, gain, check_ins, pasts):
    result = assess(_input(start, start + gain, check_ins, pasts))
    assert result.low_ambition == (result.by_trend or result.by_past)
    assert result.explanation
