"""OKR progress, grade, pace, risk and forecast: pure functions over dataclasses and Decimals,
no ORM. Each result carries the explanation a user sees (inputs, rule, result). The rules are
those of ../shared/domain/okr-kpi.md, with the settings of `goals.policy`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .policy import DEFAULT_POLICY, GoalsPolicy

ZERO = Decimal(0)
ONE = Decimal(1)
# Progress is stored with four decimals (a fraction: 0.4567 is 45.67 %).
PROGRESS_PLACES = Decimal("0.0001")


class MeasureType:
    NUMBER = "number"
    PERCENT = "percent"
    CURRENCY = "currency"
    MILESTONE = "milestone"
    BOOLEAN = "boolean"
    NUMERIC = (NUMBER, PERCENT, CURRENCY)


@dataclass(frozen=True)
class Explained:
    value: Decimal
    explanation: str


@dataclass(frozen=True)
class MilestoneState:
    weight: Decimal
    done: bool


@dataclass(frozen=True)
class KeyResultInput:
    measure_type: str
    start: Decimal
    target: Decimal
    current: Decimal
    milestones: tuple[MilestoneState, ...] = ()


@dataclass(frozen=True)
class Weighted:
    weight: Decimal
    progress: Decimal


@dataclass(frozen=True)
class Risk:
    at_risk: bool
    reasons: list[str] = field(default_factory=list)


def quantize(value: Decimal) -> Decimal:
    return value.quantize(PROGRESS_PLACES, rounding=ROUND_HALF_UP)


def kr_progress(kr: KeyResultInput, policy: GoalsPolicy = DEFAULT_POLICY) -> Explained:
    """0 at start, 1 at target; the same formula serves decrease-direction key results."""
    if kr.measure_type == MeasureType.MILESTONE:
        return _milestone_progress(kr.milestones)
    if kr.measure_type == MeasureType.BOOLEAN:
        done = kr.current >= ONE
        return Explained(ONE if done else ZERO, _("Done") if done else _("Not done yet"))
    if kr.target == kr.start:
        raise ValueError("the target of a key result must differ from its start")
    raw = (kr.current - kr.start) / (kr.target - kr.start)
    cap = policy.kr_progress_cap
    value = quantize(min(max(raw, ZERO), cap))
    explanation = _(
        "(current %(current)s − start %(start)s) / (target %(target)s − start %(start)s) = "
        "%(raw)s, kept between 0 and the cap %(cap)s (kr_progress_cap): %(value)s"
    ) % {"current": kr.current, "start": kr.start, "target": kr.target,
         "raw": quantize(raw), "cap": cap, "value": value}
    return Explained(value, explanation)


def _milestone_progress(milestones: Sequence[MilestoneState]) -> Explained:
    total = sum((m.weight for m in milestones), ZERO)
    if total <= ZERO:
        return Explained(ZERO, _("No milestones yet"))
    done = sum((m.weight for m in milestones if m.done), ZERO)
    value = quantize(done / total)
    return Explained(value, _("Weight of the milestones done %(done)s / weight of all "
                              "milestones %(total)s = %(value)s")
                     % {"done": done, "total": total, "value": value})


def objective_progress(parts: Sequence[Weighted]) -> Explained:
    """Σ wᵢ·pᵢ / Σ wᵢ over the key results; 0 without any."""
    total = sum((part.weight for part in parts), ZERO)
    if not parts or total <= ZERO:
        return Explained(ZERO, _("No key results yet"))
    weighted = sum((part.weight * part.progress for part in parts), ZERO)
    value = quantize(weighted / total)
    terms = " + ".join(f"{part.weight}×{part.progress}" for part in parts)
    return Explained(value, _("Weighted mean of the key results: (%(terms)s) / %(total)s = "
                              "%(value)s") % {"terms": terms, "total": total, "value": value})


def grade(progress: Decimal) -> Decimal:
    """Google-style OKR grade: min(p, 1.0) with one decimal."""
    return min(progress, ONE).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expectation(kind: str, policy: GoalsPolicy = DEFAULT_POLICY) -> Decimal:
    if kind == "aspirational":
        return policy.aspirational_expectation
    return policy.committed_expectation


def expected_progress(start: date, end: date, at: date) -> Decimal:
    """Linear pace over the cycle: (t − start) / (end − start), clamped to [0, 1]."""
    if end <= start:
        return ONE if at >= end else ZERO
    raw = Decimal((at - start).days) / Decimal((end - start).days)
    return quantize(min(max(raw, ZERO), ONE))


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).quantize(ONE, rounding=ROUND_HALF_UP)} %"


def at_risk(*, progress: Decimal, expected: Decimal, confidence: int | None,
            last_check_in: date | None, today: date,
            policy: GoalsPolicy = DEFAULT_POLICY) -> Risk:
    reasons = []
    threshold = expected * (ONE - policy.risk_margin)
    if progress < threshold:
        reasons.append(_("Progress %(progress)s is more than %(margin)s behind the expected "
                         "%(expected)s (risk_margin)")
                       % {"progress": _percent(progress), "expected": _percent(expected),
                          "margin": _percent(policy.risk_margin)})
    if confidence is not None and confidence <= policy.low_confidence:
        reasons.append(_("Latest confidence %(confidence)s is at most %(low)s")
                       % {"confidence": confidence, "low": policy.low_confidence})
    if last_check_in is None or (today - last_check_in).days >= policy.stale_days:
        reasons.append(_("No check-in for %(days)s days (stale_days)")
                       % {"days": policy.stale_days})
    return Risk(bool(reasons), reasons)


def forecast(points: Sequence[tuple[date, Decimal]], at: date) -> Decimal | None:
    """Least-squares line through (date, value) of the check-ins, read at `at`; None with
    fewer than two distinct dates."""
    if len({day for day, _value in points}) < 2:
        return None
    origin = min(day for day, _value in points)
    xs = [Decimal((day - origin).days) for day, _value in points]
    ys = [Decimal(value) for _day, value in points]
    n = Decimal(len(points))
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    return quantize(intercept + slope * Decimal((at - origin).days))
