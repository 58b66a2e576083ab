"""KPI score: Σ weight × indicator score / Σ weights; a KPI without figures counts 0
(okr-kpi.md, "KPI attainment and score")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.kpis.attainment import percent, plain

from .policy import (
    DEFAULT_POLICY,
    ONE,
    ZERO,
    ScoringError,
    ScoringPolicy,
    _number,
    _percent,
    _score,
)


@dataclass(frozen=True)
class KpiInput:
    key: int | str
    name: str
    # A fraction of the person's KPI weight.
    weight: Decimal
    # The indicator score from kpis.attainment (0..120+); None: no figures.
    score: Decimal | None
    attainment: Decimal | None = None
    actual: Decimal | None = None
    target: Decimal | None = None
    rule_explanation: tuple[str, ...] = ()


@dataclass(frozen=True)
class KpiPart:
    key: int | str
    name: str
    weight: Decimal
    # Unmeasured counts 0.
    score: Decimal
    measured: bool
    # weight × score / Σ weights, 0.01.
    contribution: Decimal
    explanation: list[str]


@dataclass(frozen=True)
class KpiResult:
    # None when the person has no KPI assignments (or all weigh 0).
    score: Decimal | None
    parts: tuple[KpiPart, ...]
    weight_total: Decimal
    explanation: list[str]


def kpi_score(kpis: Sequence[KpiInput], policy: ScoringPolicy = DEFAULT_POLICY) -> KpiResult:
    """Domain: employee KPI score = Σ wₖ·scoreₖ with weights summing to 1; weights that do not
    are normalised by their sum. The KPI rules themselves live with the indicators
    (kpis.attainment); `policy` is taken so every scoring step reads the same settings."""
    if not kpis:
        return KpiResult(None, (), ZERO, [_("No KPIs assigned: there is no KPI score.")])
    weights = [_number(kpi.weight, "weight") for kpi in kpis]
    if any(weight < ZERO for weight in weights):
        raise ScoringError("weight", _("A KPI weight cannot be negative."))
    total = sum(weights, ZERO)
    parts = tuple(_kpi_part(kpi, weight, total) for kpi, weight in zip(kpis, weights,
                                                                       strict=True))
    lines = [line for part in parts for line in part.explanation]
    if total == ZERO:
        lines.append(_("Every KPI weighs 0: there is no KPI score."))
        return KpiResult(None, parts, total, lines)
    if total != ONE:
        lines.append(_("The KPI weights sum to %(total)s, not %(whole)s: each KPI counts by its "
                       "weight divided by that sum.")
                     % {"total": _percent(total), "whole": percent(ONE)})
    # Unlike the running figure of kpis.attainment.weighted_score, which leaves unmeasured
    # indicators out, a review counts them 0: no figures at review time is a missed result.
    unmeasured = [part.name for part in parts if not part.measured]
    if unmeasured:
        lines.append(_("Scored 0 because they had no figures at review time (a missed "
                       "result): %(names)s.")
                     % {"names": ", ".join(f"“{name}”" for name in unmeasured)})
    value = _score(sum((part.weight * part.score for part in parts), ZERO) / total)
    terms = " + ".join(f"{plain(part.weight)} × {part.score}" for part in parts)
    lines.append(_("KPI score = (%(terms)s) / %(total)s = %(score)s")
                 % {"terms": terms, "total": plain(total), "score": value})
    return KpiResult(value, parts, total, lines)


def _kpi_part(kpi: KpiInput, weight: Decimal, total: Decimal) -> KpiPart:
    measured = kpi.score is not None
    score = _score(_number(kpi.score, "score")) if measured else _score(ZERO)
    lines = []
    if measured and None not in (kpi.actual, kpi.target, kpi.attainment):
        lines.append(_("KPI “%(name)s”: actual %(actual)s against the target %(target)s, "
                       "attainment %(attainment)s, score %(score)s.")
                     % {"name": kpi.name, "actual": plain(kpi.actual),
                        "target": plain(kpi.target), "attainment": _percent(kpi.attainment),
                        "score": score})
    lines.extend(kpi.rule_explanation)
    if not measured:
        lines.append(_("KPI “%(name)s” has no figures at review time: a missed result, "
                       "scored 0.") % {"name": kpi.name})
    figures = {"name": kpi.name, "weight": _percent(weight), "score": score,
               "total": _percent(total)}
    contribution = _score(ZERO) if total == ZERO else _score(weight * score / total)
    figures["contribution"] = contribution
    if total == ONE:
        lines.append(_("KPI “%(name)s”: weight %(weight)s × score %(score)s = "
                       "%(contribution)s") % figures)
    elif total != ZERO:
        lines.append(_("KPI “%(name)s”: weight %(weight)s × score %(score)s / total weight "
                       "%(total)s = %(contribution)s") % figures)
    return KpiPart(kpi.key, kpi.name, weight, score, measured, contribution, lines)


# Final score and grade ---------------------------------------------------------------------
