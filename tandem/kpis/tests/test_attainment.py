"""The attainment rules of ../shared/domain/okr-kpi.md ("KPI attainment and score")."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.kpis.attainment import (
    Aggregation,
    Direction,
    Rule,
    RuleKind,
    Weighted,
    aggregate,
    evaluate,
    weighted_score,
)

D = Decimal
amounts = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2)
HIGHER = Rule()
INVERSE = Rule(kind=RuleKind.INVERSE_RATIO, direction=Direction.LOWER)
REVERSE = Rule(kind=RuleKind.REVERSE_DEVIATION, direction=Direction.LOWER)


@pytest.mark.parametrize(("how", "expected"), [
    (Aggregation.SUM, D("600")), (Aggregation.AVERAGE, D("200")), (Aggregation.LAST, D("300")),
    (Aggregation.MAX, D("300")), (Aggregation.MIN, D("100")),
])
def test_aggregations(how, expected):
    values = [(date(2026, 10, 1), D("100")), (date(2026, 12, 1), D("300")),
              (date(2026, 11, 1), D("200"))]
    assert aggregate(values, how) == expected


def test_last_takes_the_latest_date_and_the_last_written_among_equals():
    values = [(date(2026, 11, 1), D("5")), (date(2026, 11, 1), D("7")),
              (date(2026, 10, 1), D("9"))]
    assert aggregate(values, Aggregation.LAST) == D("7")
    assert aggregate([], Aggregation.SUM) is None


def test_the_worked_example_sales_attainment_80_percent():
    result = evaluate(D("800000"), D("1000000"), HIGHER)
    assert (result.attainment, result.score) == (D("0.8000"), D("80.00"))


def test_cap_and_floor():
    assert evaluate(D("150"), D("100"), HIGHER).attainment == D("1.2000")
    assert evaluate(D("150"), D("100"), HIGHER).score == D("120.00")
    uncapped = Rule(capped=False)
    assert evaluate(D("150"), D("100"), uncapped).score == D("150.00")
    below = evaluate(D("59"), D("100"), HIGHER)
    assert (below.attainment, below.score) == (D("0.5900"), D("0.00"))
    assert evaluate(D("60"), D("100"), HIGHER).score == D("60.00")
    assert evaluate(D("10"), D("100"), Rule(floor=None)).score == D("10.00")


def test_lower_is_better_rules():
    assert evaluate(D("4"), D("5"), INVERSE).attainment == D("1.2000")  # 1.25 capped
    assert evaluate(D("8"), D("5"), INVERSE).attainment == D("0.6250")
    assert evaluate(D("0"), D("5"), INVERSE).attainment == D("1.2000")  # actual 0: the cap
    assert evaluate(D("6"), D("5"), REVERSE).attainment == D("0.8000")  # 1 + (5 − 6) / 5
    assert evaluate(D("4"), D("5"), REVERSE).attainment == D("1.2000")


def test_banded_rule_default_table():
    rule = Rule(kind=RuleKind.BANDED)
    scores = {actual: evaluate(D(actual), D("100"), rule).score
              for actual in ("130", "120", "100", "99", "80", "60", "59")}
    assert scores == {"130": D("120.00"), "120": D("120.00"), "100": D("100.00"),
                      "99": D("80.00"), "80": D("80.00"), "60": D("60.00"), "59": D("0.00")}


def test_penalty_rule():
    rule = Rule(kind=RuleKind.PENALTY, direction=Direction.LOWER, points_per_unit=D("20"))
    assert evaluate(D("0"), D("0"), rule).score == D("100.00")
    assert evaluate(D("2"), D("0"), rule).score == D("60.00")
    assert evaluate(D("9"), D("0"), rule).score == D("0.00")
    higher = Rule(kind=RuleKind.PENALTY, points_per_unit=D("5"))
    assert evaluate(D("97"), D("100"), higher).score == D("85.00")


def test_no_measurement_has_no_score():
    result = evaluate(None, D("100"), HIGHER)
    assert (result.attainment, result.score) == (None, None)


@given(a=amounts, b=amounts, target=amounts)
def test_higher_is_better_is_monotone_in_actual(a, b, target):
    low, high = sorted((a, b))
    for rule in (HIGHER, Rule(kind=RuleKind.BANDED), Rule(capped=False)):
        assert evaluate(low, target, rule).score <= evaluate(high, target, rule).score


@given(a=amounts, b=amounts, target=amounts)
def test_lower_is_better_is_reversed(a, b, target):
    low, high = sorted((a, b))
    for rule in (INVERSE, REVERSE):
        assert evaluate(low, target, rule).score >= evaluate(high, target, rule).score


@given(actual=amounts, target=amounts, cap=st.decimals(min_value=1, max_value=3, places=2))
def test_caps_are_respected(actual, target, cap):
    for kind, direction in ((RuleKind.RATIO, Direction.HIGHER),
                            (RuleKind.INVERSE_RATIO, Direction.LOWER),
                            (RuleKind.REVERSE_DEVIATION, Direction.LOWER)):
        result = evaluate(actual, target, Rule(kind=kind, direction=direction, cap=cap))
        assert result.attainment <= cap
        assert result.score <= cap * 100


def test_weighted_score_over_measured_indicators():
    assert weighted_score([Weighted(D("0.6"), D("80")), Weighted(D("0.4"), D("100"))]) == D("88.00")
    assert weighted_score([Weighted(D("0.6"), D("80")), Weighted(D("0.4"), None)]) == D("80.00")
    assert weighted_score([Weighted(D("1"), None)]) is None
