"""Settings, grade scale, errors and validators of the review scoring."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

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
