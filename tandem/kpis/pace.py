"""Pace and risk, the one rule for key results and KPI assignments: pure functions over dates
and Decimals, no ORM (../shared/domain/okr-kpi.md "Pace and risk"; docs/tracking.md).

Expected progress at a date is, in order of preference:

- the owner's plan of cumulative shares by date (`[["2026-10-31", "0.25"], ...]`, last share
  1), **interpolated** linearly between its points, from (cycle start, 0). A plan point says
  "by this day, this share": interpolation reads the days between as steady work towards the
  next point, like the linear default (which is the plan with one point, (end, 1)). A step
  function would expect nothing until the first plan day and then everything at once, so an
  item would turn "at risk" overnight on each plan date and be on track the day before;
  smooth expectations make one alert per real change instead of one per plan date;
- for a milestone key result, the milestones' due dates: the weight of the milestones due by
  that day over the weight of all (a **step**: a milestone is done or not, so it is expected
  whole on its due day; milestones without a due date are due at the cycle end);
- linear over the cycle, `(t − start) / (end − start)`, clamped to [0, 1].

Risk reasons are kept as sentences (an English msgid and its figures) and put into words when
read, in the reader's language (`goals.ambition.render_explanation`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop

ZERO = Decimal(0)
ONE = Decimal(1)
PLACES = Decimal("0.0001")

Sentence = tuple[str, dict]

BEHIND = gettext_noop("Progress %(progress)s is more than %(margin)s behind the expected "
                      "%(expected)s (risk_margin)")
LOW_CONFIDENCE = gettext_noop("Latest confidence %(confidence)s is at most %(low)s")
STALE_CHECK_IN = gettext_noop("No check-in for %(days)s days (stale_days)")
STALE_MEASUREMENT = gettext_noop("No measurement for %(days)s days (stale_days)")


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE)


def linear(start: date, end: date, at: date) -> Decimal:
    """(t − start) / (end − start), clamped to [0, 1]."""
    if end <= start:
        return ONE if at >= end else ZERO
    return _quantize(_clamp(Decimal((at - start).days) / Decimal((end - start).days)))


def parse_plan(plan) -> tuple[tuple[date, Decimal], ...]:
    """A stored plan ([[iso date, share], ...]) as sorted (date, Decimal) pairs; () for an empty
    or malformed one (the services validate plans when they are saved)."""
    try:
        points = sorted((date.fromisoformat(str(day)), Decimal(str(share)))
                        for day, share in plan or ())
    except (TypeError, ValueError, ArithmeticError):
        return ()
    return tuple(points)


def planned(start: date, end: date, plan: Sequence[tuple[date, Decimal]], at: date) -> Decimal:
    """The plan's cumulative share at `at`, interpolated between its points from (start, 0);
    after the last point the last share (the plan ends at 1); linear without a plan."""
    if not plan:
        return linear(start, end, at)
    previous_day, previous_share = start, ZERO
    for day, share in plan:
        if at < day:
            span = (day - previous_day).days
            if span <= 0 or at <= previous_day:
                return _quantize(_clamp(previous_share if at >= previous_day else ZERO))
            done = Decimal((at - previous_day).days) / Decimal(span)
            return _quantize(_clamp(previous_share + (share - previous_share) * done))
        previous_day, previous_share = day, share
    return _quantize(_clamp(previous_share))


def by_milestones(end: date, milestones: Sequence[tuple[date | None, Decimal]],
                  at: date) -> Decimal:
    """Weight of the milestones due by `at` over the weight of all (a step per due date);
    milestones without a due date are due at `end`."""
    total = sum((weight for _due, weight in milestones), ZERO)
    if total <= ZERO:
        return ZERO
    due = sum((weight for day, weight in milestones if (day or end) <= at), ZERO)
    return _quantize(due / total)


def expected(start: date, end: date, at: date, *, plan=(),
             milestones: Sequence[tuple[date | None, Decimal]] = ()) -> Decimal:
    """The item's expected progress at `at`: its plan, else its milestones, else linear."""
    points = parse_plan(plan)
    if points:
        return planned(start, end, points, at)
    if milestones:
        return by_milestones(end, milestones, at)
    return linear(start, end, at)


@dataclass(frozen=True)
class Policy:
    risk_margin: Decimal = Decimal("0.2")
    low_confidence: int = 4
    stale_days: int = 14


@dataclass(frozen=True)
class Assessment:
    at_risk: bool
    reasons: tuple[Sentence, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> frozenset[str]:
        """The reasons without their figures: what a state change is judged by."""
        return frozenset(msgid for msgid, _params in self.reasons)


def percent(fraction: Decimal) -> str:
    return f"{(Decimal(fraction) * 100).quantize(ONE, rounding=ROUND_HALF_UP)} %"


def assess(*, progress: Decimal, expected: Decimal, today: date, last_update: date | None,
           confidence: int | None = None, policy: Policy = Policy(),
           stale: str = STALE_CHECK_IN) -> Assessment:
    """At risk when progress < expected × (1 − risk_margin), or the latest confidence is at most
    low_confidence, or nothing was recorded for stale_days (`stale`: the check-in or the
    measurement wording). `last_update` None: never."""
    reasons: list[Sentence] = []
    if progress < expected * (ONE - policy.risk_margin):
        reasons.append((BEHIND, {"progress": percent(progress), "expected": percent(expected),
                                 "margin": percent(policy.risk_margin)}))
    if confidence is not None and confidence <= policy.low_confidence:
        reasons.append((LOW_CONFIDENCE, {"confidence": confidence, "low": policy.low_confidence}))
    if last_update is None or (today - last_update).days >= policy.stale_days:
        reasons.append((stale, {"days": policy.stale_days}))
    return Assessment(bool(reasons), tuple(reasons))


def forecast_progress(*, forecast: Decimal | None, start: Decimal, target: Decimal,
                      cap: Decimal = Decimal("1.5")) -> Decimal | None:
    """The progress a forecast value would mean, 0 at start and 1 at target, kept in [0, cap]."""
    if forecast is None or target == start:
        return None
    raw = (Decimal(forecast) - start) / (target - start)
    return _quantize(min(max(raw, ZERO), cap))
