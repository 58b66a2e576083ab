"""KPI attainment and score: pure rules, no ORM (../shared/domain/okr-kpi.md, "KPI attainment
and score"). Decimals in, a result with its explanation out. The same functions serve the
assignment pages, the synergy report and the review's KPI score, so their figures agree.

- Aggregation: how the period's actual is built from its measurements (sum, average, last,
  max, min).
- Ratio rules: higher is better `a = actual / target`; lower is better either
  `a = target / actual` (inverse_ratio; actual 0 gives the cap) or
  `a = 1 + (target − actual) / target` (reverse_deviation). `a` is capped at `cap` (default
  1.2) unless the indicator is uncapped, and below `floor` (default 0.6) the score is 0.
  Score = a × 100.
- Banded: a table of (minimum attainment → score), highest band first wins.
- Penalty (扣分制): 100 minus `points_per_unit` per unit of shortfall, not below 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
FRACTION_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.01")

DEFAULT_CAP = Decimal("1.2")
DEFAULT_FLOOR = Decimal("0.6")
DEFAULT_BANDS = (
    (Decimal("1.2"), Decimal("120")),
    (Decimal("1.0"), Decimal("100")),
    (Decimal("0.8"), Decimal("80")),
    (Decimal("0.6"), Decimal("60")),
)


class Direction:
    HIGHER = "higher"
    LOWER = "lower"


class Aggregation:
    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"
    MAX = "max"
    MIN = "min"


class RuleKind:
    RATIO = "ratio"
    INVERSE_RATIO = "inverse_ratio"
    REVERSE_DEVIATION = "reverse_deviation"
    BANDED = "banded"
    PENALTY = "penalty"


@dataclass(frozen=True)
class Rule:
    kind: str = RuleKind.RATIO
    direction: str = Direction.HIGHER
    capped: bool = True
    cap: Decimal = DEFAULT_CAP
    # Below this attainment the indicator scores 0; None: no floor.
    floor: Decimal | None = DEFAULT_FLOOR
    # Banded rule: (minimum attainment, score), in any order.
    bands: tuple[tuple[Decimal, Decimal], ...] = DEFAULT_BANDS
    # Penalty rule: points off per unit of shortfall.
    points_per_unit: Decimal = ZERO


@dataclass(frozen=True)
class Result:
    actual: Decimal | None
    target: Decimal
    # None while there is no measurement yet.
    attainment: Decimal | None
    score: Decimal | None
    explanation: list[str] = field(default_factory=list)


def aggregate(values: Sequence[tuple[date, Decimal]], how: str) -> Decimal | None:
    """The period's actual from its (date, value) measurements; None when there are none.
    `last` is the value of the latest date (the last written wins among equal dates)."""
    if not values:
        return None
    numbers = [Decimal(value) for _day, value in values]
    if how == Aggregation.SUM:
        return sum(numbers, ZERO)
    if how == Aggregation.AVERAGE:
        return sum(numbers, ZERO) / Decimal(len(numbers))
    if how == Aggregation.LAST:
        latest = max(day for day, _value in values)
        return [Decimal(value) for day, value in values if day == latest][-1]
    if how == Aggregation.MAX:
        return max(numbers)
    if how == Aggregation.MIN:
        return min(numbers)
    raise ValueError(f"Unknown aggregation {how!r}")


def _fraction(value: Decimal) -> Decimal:
    return value.quantize(FRACTION_PLACES, rounding=ROUND_HALF_UP)


def _score(value: Decimal) -> Decimal:
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def percent(fraction: Decimal) -> str:
    return f"{(fraction * HUNDRED).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


def plain(value: Decimal) -> str:
    """A figure without trailing zeros: 1000000, 0.25, 12.5."""
    return format(Decimal(value).normalize(), "f")


def raw_ratio(actual: Decimal, target: Decimal, rule: Rule) -> tuple[Decimal, str]:
    """Attainment before cap, and the formula used, for the ratio family and as the input of
    the banded rule."""
    if rule.direction == Direction.LOWER:
        if rule.kind == RuleKind.REVERSE_DEVIATION:
            return ONE + (target - actual) / target, "1 + (target − actual) / target"
        if actual <= ZERO:
            return (rule.cap if rule.capped else ONE + ONE), "target / actual (actual 0: cap)"
        return target / actual, "target / actual"
    return actual / target, "actual / target"


def evaluate(actual: Decimal | None, target: Decimal, rule: Rule) -> Result:
    """Attainment and score of one indicator. `target` must not be 0 for ratio-based rules
    (validated where targets are entered)."""
    if actual is None:
        return Result(None, target, None, None, [_("No measurement yet.")])
    actual = Decimal(actual)
    target = Decimal(target)
    if rule.kind == RuleKind.PENALTY:
        return _penalty(actual, target, rule)
    if target == ZERO:
        raise ValueError("A ratio rule needs a target other than 0.")
    raw, formula = raw_ratio(actual, target, rule)
    raw = max(raw, ZERO)
    lines = [_("Attainment = %(formula)s = %(value)s") % {
        "formula": formula, "value": percent(raw)}]
    attained = raw
    if rule.capped and raw > rule.cap:
        attained = rule.cap
        lines.append(_("Capped at %(cap)s.") % {"cap": percent(rule.cap)})
    if rule.kind == RuleKind.BANDED:
        score = ZERO
        for minimum, band_score in sorted(rule.bands, key=lambda band: band[0], reverse=True):
            if attained >= minimum:
                score = band_score
                lines.append(_("Band “at least %(minimum)s” scores %(score)s.") % {
                    "minimum": percent(minimum), "score": plain(band_score)})
                break
        else:
            lines.append(_("Below every band: score 0."))
        return Result(actual, target, _fraction(attained), _score(score), lines)
    if rule.floor is not None and attained < rule.floor:
        lines.append(_("Below the floor of %(floor)s: score 0.") % {"floor": percent(rule.floor)})
        return Result(actual, target, _fraction(attained), ZERO.quantize(SCORE_PLACES), lines)
    score = attained * HUNDRED
    lines.append(_("Score = attainment × 100 = %(score)s.") % {"score": plain(_score(score))})
    return Result(actual, target, _fraction(attained), _score(score), lines)


def _penalty(actual: Decimal, target: Decimal, rule: Rule) -> Result:
    if rule.direction == Direction.LOWER:
        shortfall = max(actual - target, ZERO)
    else:
        shortfall = max(target - actual, ZERO)
    score = max(HUNDRED - shortfall * rule.points_per_unit, ZERO)
    lines = [_("Shortfall %(shortfall)s × %(points)s points = %(off)s points off 100.") % {
        "shortfall": plain(shortfall), "points": plain(rule.points_per_unit),
        "off": plain(shortfall * rule.points_per_unit)}]
    return Result(actual, target, _fraction(score / HUNDRED), _score(score), lines)


def progress_towards(actual: Decimal | None, target: Decimal, rule: Rule) -> Decimal:
    """How far along the target the actual is, 0 at nothing, 1 at the target, for pace: the
    raw attainment (uncapped, not floored), 0 with no measurement. Lower-is-better indicators
    have no natural start, so their pace is their attainment too."""
    if actual is None or target == ZERO:
        return ZERO
    if rule.kind == RuleKind.PENALTY:
        return evaluate(actual, target, rule).attainment or ZERO
    raw, _formula = raw_ratio(Decimal(actual), Decimal(target), rule)
    return _fraction(max(raw, ZERO))


@dataclass(frozen=True)
class Weighted:
    weight: Decimal
    score: Decimal | None


def weighted_score(parts: Sequence[Weighted]) -> Decimal | None:
    """Σ wₖ·scoreₖ / Σ wₖ over the indicators measured so far; None when none is. With weights
    summing to 1 and every indicator measured this is the domain's Σ wₖ·scoreₖ."""
    measured = [part for part in parts if part.score is not None]
    total = sum((part.weight for part in measured), ZERO)
    if not measured or total == ZERO:
        return None
    return _score(sum((part.weight * part.score for part in measured), ZERO) / total)
