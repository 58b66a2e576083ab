"""Review scoring: pure rules, no ORM (../shared/domain/okr-kpi.md, "OKR score in a review",
"KPI attainment and score", "Final score, grades, distribution"). Decimals in, results with
their explanation out; every sentence prints the figures and settings it used.

- OKR score: per objective `min(progress / expectation, okr_score_cap) × 100 × difficulty`,
  per person the weighted mean over the objectives.
- KPI score: Σ weight × indicator score / Σ weights; a KPI without figures counts 0.
- Final score: `okr_weight × OKR + kpi_weight × KPI + adjustment`, floored at 0, then a grade.
- Forced distribution: quotas by largest remainder, suggestions only, nobody is moved.

Scores are quantized half-up to 0.01 and fractions to 0.0001, as in `kpis.attainment`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.kpis.attainment import FRACTION_PLACES, SCORE_PLACES, percent, plain

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
GRADE_NAME_LENGTH = 8


class ObjectiveKind:
    COMMITTED = "committed"
    ASPIRATIONAL = "aspirational"
    ALL = (COMMITTED, ASPIRATIONAL)


@dataclass(frozen=True)
class GradeBand:
    grade: str
    # The score at or above which the grade applies; the lowest band has 0.
    minimum: Decimal


# Domain defaults: S ≥ 110, A ≥ 100, B ≥ 85, C ≥ 70, D below.
DEFAULT_GRADES = (
    GradeBand("S", Decimal("110")),
    GradeBand("A", Decimal("100")),
    GradeBand("B", Decimal("85")),
    GradeBand("C", Decimal("70")),
    GradeBand("D", Decimal("0")),
)
# Domain default forced distribution (强制分布), best grade first.
DEFAULT_DISTRIBUTION = (
    ("S", Decimal("0.10")),
    ("A", Decimal("0.20")),
    ("B", Decimal("0.50")),
    ("C", Decimal("0.15")),
    ("D", Decimal("0.05")),
)


@dataclass(frozen=True)
class ScoringPolicy:
    okr_weight: Decimal = Decimal("0.4")
    kpi_weight: Decimal = Decimal("0.6")
    # Committed objectives are expected to reach 1.0, aspirational ones 0.7 (Google re:Work).
    committed_expectation: Decimal = Decimal("1.0")
    aspirational_expectation: Decimal = Decimal("0.7")
    okr_score_cap: Decimal = Decimal("1.2")
    difficulty_min: Decimal = Decimal("0.8")
    difficulty_max: Decimal = Decimal("1.3")
    adjustment_limit: Decimal = Decimal("10")
    grades: tuple[GradeBand, ...] = DEFAULT_GRADES


DEFAULT_POLICY = ScoringPolicy()


class ScoringError(ValueError):
    """Invalid scoring input; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _fraction(value: Decimal) -> Decimal:
    return value.quantize(FRACTION_PLACES, rounding=ROUND_HALF_UP)


def _score(value: Decimal) -> Decimal:
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def _percent(fraction: Decimal) -> str:
    """A fraction as a percent with every digit it has, at least one decimal: 100.0 %, 71.43 %."""
    hundredfold = (fraction * HUNDRED).normalize()
    if -hundredfold.as_tuple().exponent <= 1:
        return percent(fraction)
    return f"{plain(hundredfold)} %"


def _coefficient(value: Decimal) -> str:
    """A coefficient with at least one decimal: 1.0, 1.25."""
    text = plain(value)
    return text if "." in text else f"{text}.0"


def _number(value, field: str) -> Decimal:
    if value is None or isinstance(value, bool):
        raise ScoringError(field, _("Enter a number."))
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except ArithmeticError as error:
        raise ScoringError(field, _("Enter a number.")) from error
    if not number.is_finite():
        raise ScoringError(field, _("Enter a number."))
    return number


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def validate_weights(okr_weight, kpi_weight) -> None:
    """Domain: the OKR and KPI weights are fractions that sum to 1."""
    okr = _number(okr_weight, "okr_weight")
    kpi = _number(kpi_weight, "okr_weight")
    if not (ZERO <= okr <= ONE and ZERO <= kpi <= ONE):
        raise ScoringError("okr_weight", _(
            "The OKR weight %(okr)s and the KPI weight %(kpi)s must each be between 0 and 1."
        ) % {"okr": plain(okr), "kpi": plain(kpi)})
    if okr + kpi != ONE:
        raise ScoringError("okr_weight", _(
            "The OKR weight %(okr)s and the KPI weight %(kpi)s must sum to 1, not %(total)s."
        ) % {"okr": plain(okr), "kpi": plain(kpi), "total": plain(okr + kpi)})


def validate_difficulty(difficulty, reason: str, policy: ScoringPolicy = DEFAULT_POLICY) -> None:
    """Domain: a manager-set coefficient in [difficulty_min, difficulty_max], a reason
    required when it is not 1.0."""
    value = _number(difficulty, "difficulty")
    if not policy.difficulty_min <= value <= policy.difficulty_max:
        raise ScoringError("difficulty", _(
            "The difficulty %(difficulty)s must be between %(minimum)s and %(maximum)s."
        ) % {"difficulty": _coefficient(value), "minimum": _coefficient(policy.difficulty_min),
             "maximum": _coefficient(policy.difficulty_max)})
    if value != ONE and _blank(reason):
        raise ScoringError("reason", _(
            "Give the reason for a difficulty of %(difficulty)s instead of 1.0."
        ) % {"difficulty": _coefficient(value)})


def validate_adjustment(adjustment, reason: str, policy: ScoringPolicy = DEFAULT_POLICY) -> None:
    """Domain: an adjustment within ±adjustment_limit, with a reason."""
    value = _number(adjustment, "adjustment")
    if abs(value) > policy.adjustment_limit:
        raise ScoringError("adjustment", _(
            "The adjustment %(adjustment)s must be between −%(limit)s and +%(limit)s."
        ) % {"adjustment": plain(value), "limit": plain(policy.adjustment_limit)})
    if value != ZERO and _blank(reason):
        raise ScoringError("reason", _(
            "Give the reason for the adjustment of %(adjustment)s."
        ) % {"adjustment": plain(value)})


def validate_grades(bands: Sequence[GradeBand]) -> None:
    if not bands:
        raise ScoringError("grades", _("Define at least one grade."))
    names = set()
    previous = None
    for band in bands:
        name = (band.grade or "").strip()
        if not name:
            raise ScoringError("grades", _("Every grade needs a name."))
        if len(name) > GRADE_NAME_LENGTH:
            raise ScoringError("grades", _(
                "The grade name “%(grade)s” is longer than %(length)s characters."
            ) % {"grade": name, "length": GRADE_NAME_LENGTH})
        if name in names:
            raise ScoringError("grades", _("The grade “%(grade)s” appears twice.")
                               % {"grade": name})
        names.add(name)
        minimum = _number(band.minimum, "grades")
        if previous is not None and minimum >= previous:
            raise ScoringError("grades", _(
                "The minimum %(minimum)s of grade %(grade)s must be below %(previous)s, the "
                "minimum of the grade above it."
            ) % {"minimum": plain(minimum), "grade": name, "previous": plain(previous)})
        previous = minimum
    if previous != ZERO:
        raise ScoringError("grades", _(
            "The lowest grade must start at 0 so that every score gets a grade, not at "
            "%(minimum)s."
        ) % {"minimum": plain(previous)})


# OKR score ---------------------------------------------------------------------------------

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

@dataclass(frozen=True)
class Suggestion:
    key: int | str
    current: str
    suggested: str
    reason: str


@dataclass(frozen=True)
class Distribution:
    # Headcount per grade by largest remainder; sums to the number of people.
    quotas: dict[str, int]
    # Headcount per grade now.
    actual: dict[str, int]
    # Only people whose grade differs from what ranking into the quotas gives.
    suggestions: tuple[Suggestion, ...]
    explanation: list[str]


def forced_distribution(people: Sequence[tuple[int | str, Decimal, str]],
                        shares: Sequence[tuple[str, Decimal]] = DEFAULT_DISTRIBUTION,
                        ) -> Distribution:
    """Domain: optional forced distribution (强制分布), headcounts by largest remainder,
    suggestions only, never a silent move. `people` are (key, final score, current grade);
    `shares` run from the best grade to the worst."""
    shares = _valid_shares(shares)
    scores = [_number(score, "people") for _key, score, _current in people]
    count = len(people)
    quotas, rounding = _quotas(shares, count)
    lines = [ngettext("%(count)s person in the distribution; quotas by largest remainder.",
                      "%(count)s people in the distribution; quotas by largest remainder.",
                      count) % {"count": count}]
    actual = dict.fromkeys(quotas, 0)
    for _key, _score_value, current in people:
        actual[current] = actual.get(current, 0) + 1
    for grade, share in shares:
        lines.append(_("%(grade)s: %(share)s × %(count)s = %(exact)s → quota %(quota)s, "
                       "%(actual)s now")
                     % {"grade": grade, "share": _percent(share), "count": count,
                        "exact": plain(share * count), "quota": quotas[grade],
                        "actual": actual[grade]})
    lines.extend(rounding)
    # sorted() is stable, with reverse=True too: equal scores keep the given order.
    ranking = sorted(range(count), key=lambda index: scores[index], reverse=True)
    slots = [grade for grade, quota in quotas.items() for _slot in range(quota)]
    suggestions = []
    for rank, index in enumerate(ranking, start=1):
        key, _score_value, current = people[index]
        suggested = slots[rank - 1]
        if current == suggested:
            continue
        figures = {"rank": rank, "count": count, "score": _score(scores[index]),
                   "suggested": suggested, "quota": quotas[suggested], "current": current}
        if _blank(current):
            reason = _("Ranked %(rank)s of %(count)s by final score %(score)s: the distribution "
                       "gives %(suggested)s (quota %(quota)s); there is no grade yet.") % figures
        else:
            reason = _("Ranked %(rank)s of %(count)s by final score %(score)s: the distribution "
                       "gives %(suggested)s (quota %(quota)s), the current grade is "
                       "%(current)s.") % figures
        suggestions.append(Suggestion(key, current, suggested, reason))
    if suggestions:
        lines.append(ngettext(
            "%(count)s person's grade differs from the distribution; nobody is moved until a "
            "reviewer decides.",
            "%(count)s people's grades differ from the distribution; nobody is moved until a "
            "reviewer decides.", len(suggestions)) % {"count": len(suggestions)})
    else:
        lines.append(_("Every grade already matches the distribution."))
    return Distribution(quotas, actual, tuple(suggestions), lines)


def _valid_shares(shares: Sequence[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    if not shares:
        raise ScoringError("shares", _("Give the share of at least one grade."))
    valid = []
    for grade, share in shares:
        value = _number(share, "shares")
        if _blank(grade):
            raise ScoringError("shares", _("Every grade needs a name."))
        if grade in (name for name, _share in valid):
            raise ScoringError("shares", _("The grade “%(grade)s” appears twice.")
                               % {"grade": grade})
        if not ZERO <= value <= ONE:
            raise ScoringError("shares", _("The share %(share)s of grade %(grade)s must be "
                                           "between 0 and 1.")
                               % {"share": plain(value), "grade": grade})
        valid.append((grade, value))
    total = sum((value for _grade, value in valid), ZERO)
    if total != ONE:
        raise ScoringError("shares", _("The grade shares must sum to %(whole)s, not "
                                       "%(total)s.")
                           % {"whole": percent(ONE), "total": _percent(total)})
    return valid


def _quotas(shares: Sequence[tuple[str, Decimal]], count: int) -> tuple[dict[str, int],
                                                                         list[str]]:
    """Largest remainder: everyone gets the rounded-down share × count, the people left over
    go one each to the largest remainders, the better grade first on ties."""
    exact = [share * count for _grade, share in shares]
    floors = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    left = count - sum(floors)
    order = sorted(range(len(shares)), key=lambda index: (-(exact[index] - floors[index]), index))
    favoured = set(order[:left])
    quotas = {grade: floors[index] + (1 if index in favoured else 0)
              for index, (grade, _share) in enumerate(shares)}
    lines = []
    if left:
        lines.append(_("Rounded down the quotas hold %(floors)s; the %(left)s left over go to "
                       "the largest remainders, the better grade first on ties: %(grades)s.")
                     % {"floors": sum(floors), "left": left,
                        "grades": ", ".join(shares[index][0] for index in sorted(favoured))})
    return quotas, lines
