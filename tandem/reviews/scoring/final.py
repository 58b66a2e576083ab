"""Final score `okr_weight × OKR + kpi_weight × KPI + adjustment`, floored at 0, and its grade
(okr-kpi.md, "Final score, grades, distribution")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.kpis.attainment import plain

from .policy import (
    DEFAULT_GRADES,
    DEFAULT_POLICY,
    ONE,
    ZERO,
    GradeBand,
    ScoringPolicy,
    _number,
    _percent,
    _score,
    validate_adjustment,
    validate_grades,
    validate_weights,
)


@dataclass(frozen=True)
class FinalResult:
    # None when neither side has anything.
    score: Decimal | None
    # The weights actually applied.
    okr_weight: Decimal
    kpi_weight: Decimal
    adjustment: Decimal
    # "" when score is None.
    grade: str
    explanation: list[str]


def final_score(okr: Decimal | None, kpi: Decimal | None,
                policy: ScoringPolicy = DEFAULT_POLICY, adjustment: Decimal = ZERO,
                adjustment_reason: str = "") -> FinalResult:
    """Domain: final = okr_weight × OKR score + kpi_weight × KPI score + adjustment, floored
    at 0. A missing side leaves the whole weight to the other."""
    validate_weights(policy.okr_weight, policy.kpi_weight)
    adjustment = _number(adjustment, "adjustment")
    validate_adjustment(adjustment, adjustment_reason, policy)
    validate_grades(policy.grades)
    if okr is None and kpi is None:
        return FinalResult(None, ZERO, ZERO, adjustment, "", [
            _("Neither an OKR score nor a KPI score: there is no final score.")])
    lines = []
    okr_weight, kpi_weight = policy.okr_weight, policy.kpi_weight
    if kpi is None:
        okr_weight, kpi_weight = ONE, ZERO
        lines.append(_("No KPI score: the OKR score carries the whole weight instead of "
                       "%(weight)s.") % {"weight": _percent(policy.okr_weight)})
    elif okr is None:
        okr_weight, kpi_weight = ZERO, ONE
        lines.append(_("No OKR score: the KPI score carries the whole weight instead of "
                       "%(weight)s.") % {"weight": _percent(policy.kpi_weight)})
    raw = adjustment
    terms = []
    if okr is not None:
        okr = _score(_number(okr, "okr"))
        raw += okr_weight * okr
        terms.append(_("%(weight)s × OKR score %(score)s")
                     % {"weight": plain(okr_weight), "score": okr})
    if kpi is not None:
        kpi = _score(_number(kpi, "kpi"))
        raw += kpi_weight * kpi
        terms.append(_("%(weight)s × KPI score %(score)s")
                     % {"weight": plain(kpi_weight), "score": kpi})
    if adjustment != ZERO:
        terms.append(_("adjustment %(adjustment)s") % {"adjustment": plain(adjustment)})
    raw = _score(raw)
    lines.append(_("Final score = %(terms)s = %(score)s")
                 % {"terms": " + ".join(terms), "score": raw})
    if adjustment != ZERO:
        lines.append(_("Adjustment %(adjustment)s because: %(reason)s")
                     % {"adjustment": plain(adjustment), "reason": adjustment_reason.strip()})
    value = max(raw, _score(ZERO))
    if raw < ZERO:
        lines.append(_("%(raw)s is below 0: the final score is floored at %(score)s.")
                     % {"raw": raw, "score": value})
    band = _band_for(value, policy.grades)
    lines.append(_("Grade %(grade)s: %(score)s is at least %(minimum)s.")
                 % {"grade": band.grade, "score": value, "minimum": plain(band.minimum)})
    return FinalResult(value, okr_weight, kpi_weight, adjustment, band.grade, lines)


def _band_for(score: Decimal, bands: Sequence[GradeBand]) -> GradeBand:
    ordered = sorted(bands, key=lambda band: band.minimum, reverse=True)
    for band in ordered:
        if score >= band.minimum:
            return band
    return ordered[-1]


def grade_for(score: Decimal, bands: Sequence[GradeBand] = DEFAULT_GRADES) -> str:
    """The grade of the highest band whose minimum the score reaches."""
    validate_grades(bands)
    return _band_for(_number(score, "score"), bands).grade


# Forced distribution -----------------------------------------------------------------------
