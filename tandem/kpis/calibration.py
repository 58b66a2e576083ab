"""Confidence calibration: how well a person's check-in confidences foretold whether their key
results would reach their expectation. Pure functions, no ORM.

Each check-in's confidence c (0–10) is a forecast p = c / 10 that the key result reaches its
expectation by the cycle end (progress ≥ 1.0 for a committed objective, ≥ 0.7 for an
aspirational one: `goals.progress.expectation`). The outcome o is 1 when it did, else 0. The
Brier score is the mean of (p − o)² over all of the person's check-ins in the cycle: 0 is a
perfect forecaster, 0.25 is someone who always says 5/10, 1 is always certain and always
wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
TEN = Decimal(10)
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class KeyResultOutcome:
    progress: Decimal  # at the close of the cycle
    expectation: Decimal  # 1.0 committed, 0.7 aspirational
    confidences: tuple[int, ...]  # of its check-ins, 0–10

    @property
    def reached(self) -> bool:
        return self.progress >= self.expectation


@dataclass(frozen=True)
class Calibration:
    brier: Decimal
    forecasts: int
    key_results: int
    reached: int
    mean_confidence: Decimal


def brier(forecasts: Sequence[tuple[int, bool]]) -> Decimal | None:
    """Mean of (c/10 − o)² over (confidence, outcome) pairs; None without any."""
    if not forecasts:
        return None
    total = sum(((Decimal(confidence) / TEN - (1 if outcome else 0)) ** 2
                 for confidence, outcome in forecasts), ZERO)
    return (total / Decimal(len(forecasts))).quantize(PLACES, rounding=ROUND_HALF_UP)


def calibrate(outcomes: Sequence[KeyResultOutcome]) -> Calibration | None:
    """A person's calibration over their key results of one cycle; None when they never
    checked in (nothing was forecast)."""
    pairs = [(confidence, outcome.reached)
             for outcome in outcomes for confidence in outcome.confidences]
    score = brier(pairs)
    if score is None:
        return None
    mean = (Decimal(sum(c for c, _o in pairs)) / Decimal(len(pairs))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Calibration(brier=score, forecasts=len(pairs), key_results=len(outcomes),
                       reached=sum(1 for outcome in outcomes if outcome.reached),
                       mean_confidence=mean)
