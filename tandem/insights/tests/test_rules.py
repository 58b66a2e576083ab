"""The report's own rules (insights.synergy_rules)."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.insights import synergy_rules as rules

START, END = date(2026, 10, 1), date(2026, 12, 31)
PLAN = [["2026-10-31", "0.25"], ["2026-11-30", "0.5"], ["2026-12-31", "1"]]


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 10, 1), "0.0000"),
    (date(2026, 10, 16), "0.1250"),  # halfway from 0 (10-01) to 0.25 (10-31)
    (date(2026, 10, 31), "0.2500"),
    (date(2026, 11, 15), "0.3750"),
    (date(2026, 12, 31), "1.0000"),
    (date(2027, 1, 5), "1.0000"),
])
def test_expected_share_follows_the_pace_plan(day, expected):
    assert rules.expected_share(PLAN, START, END, day) == Decimal(expected)


def test_without_a_plan_the_pace_is_linear():
    assert rules.expected_share([], START, END, date(2026, 11, 15)) == Decimal("0.4945")


@pytest.mark.parametrize(("progress", "verdict"), [
    (None, rules.NO_LINK),
    (Decimal("0.5"), rules.YES),
    (Decimal("0.6"), rules.YES),
    (Decimal("0.4"), rules.AT_RISK),  # 0.5 × 0.8 = 0.4: still within the margin
    (Decimal("0.3999"), rules.NO),
])
def test_support_verdict(progress, verdict):
    assert rules.support_verdict(progress, Decimal("0.5"), Decimal("0.2")) == verdict


def test_a_persons_verdict_is_the_worst_of_their_linked_kpis():
    assert rules.worst([rules.YES, rules.NO_LINK, rules.AT_RISK]) == rules.AT_RISK
    assert rules.worst([rules.YES, rules.NO, rules.AT_RISK]) == rules.NO
    assert rules.worst([rules.YES, rules.NO_LINK]) == rules.YES
    assert rules.worst([rules.NO_LINK]) == rules.NO_LINK
    assert rules.worst([]) == rules.NO_LINK


def test_weighted_mean_leaves_out_what_is_not_measured():
    pairs = [(Decimal("0.6"), Decimal("0.9")), (Decimal("0.4"), Decimal("0.5")),
             (Decimal("0.2"), None)]
    assert rules.weighted_mean(pairs) == Decimal("0.7400")
    assert rules.weighted_mean([(Decimal("1"), None)]) is None
