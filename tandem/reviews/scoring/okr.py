"""OKR score: per objective `min(progress / expectation, okr_score_cap) × 100 × difficulty`,
per person the weighted mean over the objectives (okr-kpi.md, "OKR score in a review")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.kpis.attainment import plain

from .policy import (
    DEFAULT_POLICY,
    HUNDRED,
    ONE,
    ZERO,
    ObjectiveKind,
    ScoringError,
    ScoringPolicy,
    _coefficient,
    _fraction,
    _number,
    _percent,
    _score,
    validate_difficulty,
)


@dataclass(frozen=True)
class ObjectiveInput:
    key: int | str
    title: str
    kind: str
    # Objective progress as a fraction; may exceed 1.
    progress: Decimal
    weight: Decimal = ONE
    difficulty: Decimal = ONE
    difficulty_reason: str = ""


@dataclass(frozen=True)
class ObjectiveScore:
    key: int | str
    title: str
    kind: str
    progress: Decimal
    expectation: Decimal
    # progress / expectation before the cap, 4 places.
    ratio: Decimal
    capped: bool
    difficulty: Decimal
    weight: Decimal
    score: Decimal
    explanation: list[str]


@dataclass(frozen=True)
class OkrResult:
    # None when the person has no objectives, or all weigh 0.
    score: Decimal | None
    objectives: tuple[ObjectiveScore, ...]
    explanation: list[str]


def okr_score(objectives: Sequence[ObjectiveInput],
              policy: ScoringPolicy = DEFAULT_POLICY) -> OkrResult:
    """Domain: per employee the weighted mean of their objectives' scores."""
    scored = tuple(_objective_score(objective, policy) for objective in objectives)
    lines = [line for item in scored for line in item.explanation]
    if not scored:
        return OkrResult(None, (), [_("No objectives in this review: there is no OKR score.")])
    total = sum((item.weight for item in scored), ZERO)
    if total == ZERO:
        lines.append(_("Every objective weighs 0: there is no OKR score."))
        return OkrResult(None, scored, lines)
    value = _score(sum((item.weight * item.score for item in scored), ZERO) / total)
    terms = " + ".join(f"{plain(item.weight)} × {item.score}" for item in scored)
    lines.append(_("OKR score = weighted mean of the objective scores = (%(terms)s) / "
                   "%(total)s = %(score)s") % {"terms": terms, "total": plain(total),
                                               "score": value})
    return OkrResult(value, scored, lines)


def _objective_score(objective: ObjectiveInput, policy: ScoringPolicy) -> ObjectiveScore:
    if objective.kind not in ObjectiveKind.ALL:
        raise ScoringError("kind", _("Unknown objective kind “%(kind)s”.")
                           % {"kind": objective.kind})
    progress = _number(objective.progress, "progress")
    weight = _number(objective.weight, "weight")
    difficulty = _number(objective.difficulty, "difficulty")
    if progress < ZERO or weight < ZERO:
        raise ScoringError("progress" if progress < ZERO else "weight", _(
            "Objective “%(title)s”: progress and weight cannot be negative."
        ) % {"title": objective.title})
    try:
        validate_difficulty(difficulty, objective.difficulty_reason, policy)
    except ScoringError as error:
        raise ScoringError(error.field, _("Objective “%(title)s”: %(message)s")
                           % {"title": objective.title, "message": error.message}) from error
    aspirational = objective.kind == ObjectiveKind.ASPIRATIONAL
    expectation = (policy.aspirational_expectation if aspirational
                   else policy.committed_expectation)
    if expectation <= ZERO:
        raise ScoringError("expectation", _("The expected progress must be above 0."))
    ratio = _fraction(progress / expectation)
    capped = ratio > policy.okr_score_cap
    counted = min(ratio, policy.okr_score_cap)
    score = _score(counted * HUNDRED * difficulty)
    if aspirational:
        head = _("Aspirational objective “%(title)s”") % {"title": objective.title}
    else:
        head = _("Committed objective “%(title)s”") % {"title": objective.title}
    figures = {"objective": head, "progress": _percent(progress),
               "expectation": _percent(expectation), "ratio": _percent(ratio),
               "cap": _percent(policy.okr_score_cap), "counted": _percent(counted),
               "difficulty": _coefficient(difficulty), "score": score}
    if capped:
        lines = [_("%(objective)s: progress %(progress)s against the expected %(expectation)s "
                   "is %(ratio)s, capped at %(cap)s (okr_score_cap) → %(counted)s × 100 × "
                   "difficulty %(difficulty)s = %(score)s") % figures]
    else:
        lines = [_("%(objective)s: progress %(progress)s against the expected %(expectation)s "
                   "→ %(ratio)s × 100 × difficulty %(difficulty)s = %(score)s") % figures]
    if difficulty != ONE:
        lines.append(_("Difficulty %(difficulty)s because: %(reason)s")
                     % {"difficulty": _coefficient(difficulty),
                        "reason": objective.difficulty_reason.strip()})
    return ObjectiveScore(objective.key, objective.title, objective.kind, progress, expectation,
                          ratio, capped, difficulty, weight, score, lines)


# KPI score ---------------------------------------------------------------------------------
