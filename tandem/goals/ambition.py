"""The ambition guard: is a key result's new target already promised before anyone works for
it? Pure functions over dataclasses and Decimals, no ORM; the result carries the explanation a
lead reads next to the "low ambition" flag.

A target is already promised (low ambition) when
(a) the key result's own baseline trend reaches it: the least-squares line through the start
    (at the cycle start) and the check-ins, read at the due date (the forecast rule of
    ../shared/domain/okr-kpi.md, `progress.forecast`), is at or past the target; or
(b) the owner's past results reach it: in each of their last `past_cycles` (default 2)
    earlier cycles with a comparable key result (same measure and unit, same direction), the
    result went past the new target by at least `beat_margin` (default 20 %) of the planned
    change (target − start). In each cycle the weakest comparable result counts, so one
    lucky key result does not flag a target.

Both rules read a target in its direction: for a decrease-direction key result "past the
target" means below it. A higher target (lower, for a decrease) is never less ambitious."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

from .progress import forecast

BEAT_MARGIN = Decimal("0.2")
PAST_CYCLES = 2
# A trend needs this many check-ins besides the start, else one early check-in is a line.
MIN_CHECK_INS = 2

INCREASE = "increase"
DECREASE = "decrease"


@dataclass(frozen=True)
class PastResult:
    """One of the owner's key results of an earlier cycle, comparable with the new one."""

    cycle: str
    cycle_end: date
    start: Decimal
    target: Decimal
    achieved: Decimal


@dataclass(frozen=True)
class TargetInput:
    start: Decimal
    target: Decimal
    cycle_start: date
    due: date
    check_ins: tuple[tuple[date, Decimal], ...] = ()
    past: tuple[PastResult, ...] = ()


# An explanation is kept as sentences, each an English msgid and its figures, and put into
# words when read, in the reader's language: a lead reading in English sees English even when
# the owner saved in Chinese. A figure may itself be a list of sentences (joined with "; ").
Sentence = tuple[str, dict]


def render_explanation(sentences) -> str:
    """The sentences of an explanation in the active language, as one paragraph."""
    return " ".join(_render(msgid, params) for msgid, params in sentences or ())


def _render(msgid: str, params: dict) -> str:
    figures = {key: "; ".join(_render(*part) for part in value) if isinstance(value, list)
               else value for key, value in params.items()}
    return gettext(msgid) % figures


@dataclass(frozen=True)
class Assessment:
    low_ambition: bool
    by_trend: bool
    by_past: bool
    projection: Decimal | None
    reasons: tuple[Sentence, ...]

    @property
    def explanation(self) -> str:
        return render_explanation(self.reasons)


def direction(start: Decimal, target: Decimal) -> str:
    return DECREASE if target < start else INCREASE


def is_easing(*, start: Decimal, old_target: Decimal, new_target: Decimal) -> bool:
    """Does the new target ask for less than the old one, in the key result's direction?"""
    if direction(start, new_target) == DECREASE:
        return new_target > old_target
    return new_target < old_target


def _plain(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "") else text


def _sign(start: Decimal, target: Decimal) -> int:
    return -1 if direction(start, target) == DECREASE else 1


def assess(kr: TargetInput, *, beat_margin: Decimal = BEAT_MARGIN,
           past_cycles: int = PAST_CYCLES, min_check_ins: int = MIN_CHECK_INS) -> Assessment:
    if kr.target == kr.start:
        raise ValueError("the target of a key result must differ from its start")
    if past_cycles < 1:
        raise ValueError("past_cycles must be at least 1")
    by_trend, projection, trend_text = _trend(kr, min_check_ins)
    by_past, past_text = _past(kr, beat_margin, past_cycles)
    low = by_trend or by_past
    lines = [trend_text, past_text]
    if low:
        lines.insert(0, (gettext_noop("Low ambition: the target %(target)s is already promised."),
                         {"target": _plain(kr.target)}))
    return Assessment(low_ambition=low, by_trend=by_trend, by_past=by_past,
                      projection=projection, reasons=tuple(lines))


def _trend(kr: TargetInput, min_check_ins: int) -> tuple[bool, Decimal | None, Sentence]:
    points = [(kr.cycle_start, Decimal(kr.start))]
    points += [(day, Decimal(value)) for day, value in kr.check_ins]
    if len(kr.check_ins) < min_check_ins or len({day for day, _value in points}) < 2:
        return False, None, (gettext_noop(
            "Trend: fewer than %(count)s check-ins, no trend to read."), {"count": min_check_ins})
    projection = forecast(points, kr.due)
    sign = _sign(kr.start, kr.target)
    reached = sign * (projection - kr.target) >= 0
    figures = {"projection": _plain(projection), "due": kr.due.isoformat(),
               "count": len(kr.check_ins), "target": _plain(kr.target)}
    if reached:
        text = gettext_noop("Trend: the line through the start and %(count)s check-ins reaches "
                            "%(projection)s by %(due)s, already at or past the target "
                            "%(target)s.")
    else:
        text = gettext_noop("Trend: the line through the start and %(count)s check-ins reaches "
                            "%(projection)s by %(due)s, short of the target %(target)s.")
    return reached, projection, (text, figures)


def _past(kr: TargetInput, beat_margin: Decimal, past_cycles: int) -> tuple[bool, Sentence]:
    sign = _sign(kr.start, kr.target)
    comparable = [r for r in kr.past
                  if r.target != r.start and _sign(r.start, r.target) == sign]
    cycles: dict[tuple[date, str], list[PastResult]] = {}
    for result in comparable:
        cycles.setdefault((result.cycle_end, result.cycle), []).append(result)
    latest = sorted(cycles, reverse=True)[:past_cycles]
    if len(latest) < past_cycles:
        return False, (gettext_noop("Past results: fewer than %(count)s earlier cycles with a "
                                    "comparable key result."), {"count": past_cycles})
    bar = Decimal(kr.target) + sign * beat_margin * abs(kr.target - kr.start)
    parts = []
    beaten = True
    for key in latest:
        weakest = _weakest(cycles[key], sign)
        beaten = beaten and sign * (weakest.achieved - bar) >= 0
        parts.append((gettext_noop("%(cycle)s: %(achieved)s (its target %(target)s)"),
                      {"cycle": weakest.cycle, "achieved": _plain(weakest.achieved),
                       "target": _plain(weakest.target)}))
    figures = {"count": past_cycles, "results": parts, "bar": _plain(bar),
               "margin": f"{_plain(beat_margin * 100)} %", "target": _plain(kr.target)}
    if beaten:
        text = gettext_noop("Past results: in each of the last %(count)s cycles the owner "
                            "reached at least %(bar)s, the target %(target)s beaten by "
                            "%(margin)s of the planned change (%(results)s).")
    else:
        text = gettext_noop("Past results: not every one of the last %(count)s cycles reached "
                            "%(bar)s, the target %(target)s beaten by %(margin)s of the planned "
                            "change (%(results)s).")
    return beaten, (text, figures)


def _weakest(results: Sequence[PastResult], sign: int) -> PastResult:
    return min(results, key=lambda result: sign * result.achieved)
