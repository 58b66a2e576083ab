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

from .distribution import Distribution, Suggestion, forced_distribution
from .final import FinalResult, final_score, grade_for
from .kpi import KpiInput, KpiPart, KpiResult, kpi_score
from .okr import ObjectiveInput, ObjectiveScore, OkrResult, okr_score
from .policy import (
    DEFAULT_DISTRIBUTION,
    DEFAULT_GRADES,
    DEFAULT_POLICY,
    GRADE_NAME_LENGTH,
    GradeBand,
    ObjectiveKind,
    ScoringError,
    ScoringPolicy,
    validate_adjustment,
    validate_difficulty,
    validate_grades,
    validate_weights,
)

__all__ = [
    "DEFAULT_DISTRIBUTION", "DEFAULT_GRADES", "DEFAULT_POLICY", "GRADE_NAME_LENGTH",
    "Distribution", "FinalResult", "GradeBand", "KpiInput", "KpiPart", "KpiResult",
    "ObjectiveInput", "ObjectiveKind", "ObjectiveScore", "OkrResult", "ScoringError",
    "ScoringPolicy", "Suggestion", "final_score", "forced_distribution", "grade_for",
    "kpi_score", "okr_score", "validate_adjustment", "validate_difficulty", "validate_grades",
    "validate_weights",
]
