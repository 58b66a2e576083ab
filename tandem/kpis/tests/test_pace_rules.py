"""`kpis.pace`: expected progress by date (plan interpolated, milestones stepped, linear by
default), the risk assessment and the forecast's progress."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tandem.kpis import pace

START, END = date(2026, 10, 1), date(2026, 12, 31)  # 91 days
days = st.integers(min_value=-30, max_value=130).map(lambda n: START + timedelta(days=n))


def test_linear_by_default():
    assert pace.expected(START, END, date(2026, 11, 26)) == D("0.6154")
    assert pace.expected(START, END, START) == D("0")
    assert pace.expected(START, END, END) == D("1")
    assert pace.expected(START, END, date(2027, 3, 1)) == D("1")
    assert pace.expected(START, END, date(2026, 9, 1)) == D("0")


def test_a_plan_is_interpolated_between_its_points():
    plan = [["2026-10-31", "0.25"], ["2026-11-30", "0.5"], ["2026-12-31", "1"]]
    assert pace.expected(START, END, date(2026, 10, 31), plan=plan) == D("0.25")
    # halfway through October: half of the first 25 %
    assert pace.expected(START, END, date(2026, 10, 16), plan=plan) == D("0.1250")
    # 15 of 30 days from 10-31 to 11-30: 25 % + half of the next 25 %
    assert pace.expected(START, END, date(2026, 11, 15), plan=plan) == D("0.375")
    assert pace.expected(START, END, date(2026, 12, 31), plan=plan) == D("1")
    assert pace.expected(START, END, date(2027, 1, 5), plan=plan) == D("1")


def test_a_back_loaded_plan_expects_less_early():
    plan = [["2026-11-30", "0.1"], ["2026-12-31", "1"]]
    assert pace.expected(START, END, date(2026, 11, 26), plan=plan) < pace.expected(
        START, END, date(2026, 11, 26))


def test_a_malformed_plan_falls_back_to_linear():
    assert pace.expected(START, END, date(2026, 11, 26), plan=[["no date", "x"]]) == D("0.6154")


def test_milestones_are_expected_whole_on_their_due_day():
    milestones = [(date(2026, 10, 31), D(1)), (date(2026, 11, 30), D(2)), (None, D(1))]
    assert pace.expected(START, END, date(2026, 10, 30), milestones=milestones) == D("0")
    assert pace.expected(START, END, date(2026, 10, 31), milestones=milestones) == D("0.25")
    assert pace.expected(START, END, date(2026, 12, 1), milestones=milestones) == D("0.75")
    assert pace.expected(START, END, END, milestones=milestones) == D("1")


@given(at=days, later=st.integers(min_value=0, max_value=60))
def test_linear_rises_and_stays_within_0_and_1(at, later):
    low = pace.expected(START, END, at)
    high = pace.expected(START, END, at + timedelta(days=later))
    assert D(0) <= low <= high <= D(1)


@st.composite
def plans(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    offsets = sorted(draw(st.sets(st.integers(min_value=0, max_value=91), min_size=n,
                                  max_size=n)))
    shares = sorted(draw(st.lists(st.decimals(min_value=0, max_value=1, places=2),
                                  min_size=n, max_size=n)))
    shares[-1] = D(1)
    return [[(START + timedelta(days=o)).isoformat(), str(s)] for o, s in
            zip(offsets, shares, strict=True)]


@given(plan=plans(), at=days, later=st.integers(min_value=0, max_value=60))
def test_a_plan_never_goes_down_and_hits_its_points(plan, at, later):
    low = pace.expected(START, END, at, plan=plan)
    high = pace.expected(START, END, at + timedelta(days=later), plan=plan)
    assert D(0) <= low <= high <= D(1)
    for day, share in plan:
        assert pace.expected(START, END, date.fromisoformat(day), plan=plan) == D(share)


@given(weights=st.lists(st.tuples(st.one_of(st.none(), days),
                                  st.decimals(min_value="0.5", max_value=5, places=1)),
                        min_size=1, max_size=6), at=days, later=st.integers(0, 60))
def test_milestone_pace_never_goes_down(weights, at, later):
    low = pace.expected(START, END, at, milestones=weights)
    high = pace.expected(START, END, at + timedelta(days=later), milestones=weights)
    assert D(0) <= low <= high <= D(1)


def test_assess_names_each_reason_with_its_figures():
    result = pace.assess(progress=D("0.3"), expected=D("0.6154"), today=date(2026, 11, 26),
                         last_update=date(2026, 11, 1), confidence=3)
    assert result.at_risk
    assert result.reasons == (
        (pace.BEHIND, {"progress": "30 %", "expected": "62 %", "margin": "20 %"}),
        (pace.LOW_CONFIDENCE, {"confidence": 3, "low": 4}),
        (pace.STALE_CHECK_IN, {"days": 14}),
    )


def test_assess_on_track_at_the_margin():
    # 0.5 is exactly 0.625 × 0.8: not below, so not behind
    result = pace.assess(progress=D("0.5"), expected=D("0.625"), today=date(2026, 11, 26),
                         last_update=date(2026, 11, 13), confidence=5)
    assert result == pace.Assessment(False, ())


def test_assess_with_the_companys_policy():
    policy = pace.Policy(risk_margin=D("0.5"), low_confidence=2, stale_days=30)
    result = pace.assess(progress=D("0.4"), expected=D("0.6154"), today=date(2026, 11, 26),
                         last_update=date(2026, 11, 1), confidence=3, policy=policy,
                         stale=pace.STALE_MEASUREMENT)
    assert not result.at_risk
    stale = pace.assess(progress=D("1"), expected=D("0.5"), today=date(2026, 11, 26),
                        last_update=None, policy=policy, stale=pace.STALE_MEASUREMENT)
    assert stale.reasons == ((pace.STALE_MEASUREMENT, {"days": 30}),)


def test_forecast_progress():
    assert pace.forecast_progress(forecast=D("80"), start=D("0"), target=D("100")) == D("0.8")
    assert pace.forecast_progress(forecast=D("300"), start=D("0"), target=D("100")) == D("1.5")
    assert pace.forecast_progress(forecast=D("-5"), start=D("0"), target=D("100")) == D("0")
    # decrease: from 10 down to 2, forecast 4 → 75 %
    assert pace.forecast_progress(forecast=D("4"), start=D("10"), target=D("2")) == D("0.75")
    assert pace.forecast_progress(forecast=None, start=D("0"), target=D("1")) is None
