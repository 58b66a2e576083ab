"""The figures a review scores: each person's objectives (with the manager's difficulty) and KPI
assignments in the cycle's goal cycles, read for many reviews at once in a constant number of
queries, kept as plain JSON on the review (`Review.inputs`) and scored by `reviews.scoring`.
The explanation is rebuilt from those inputs when read, in the reader's language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from tandem.core.models import bilingual
from tandem.goals.models import Level, Objective, ObjectiveStatus
from tandem.kpis.models import Assignment

from . import scoring
from .models import ObjectiveRating, Review

COUNTED = (ObjectiveStatus.APPROVED, ObjectiveStatus.CLOSED)


def _str(value) -> str | None:
    return None if value is None else str(value)


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def gather(reviews: Sequence[Review], goal_cycle_ids: Sequence[int]) -> dict[int, dict]:
    """{review id: inputs} for these reviews (3 queries whatever their number)."""
    by_employee = {review.employee_id: review for review in reviews}
    inputs: dict[int, dict] = {review.pk: {"objectives": [], "kpis": []} for review in reviews}
    ratings = {
        (row["review_id"], row["objective_id"]): row
        for row in ObjectiveRating.objects.filter(review__in=[r.pk for r in reviews]).values(
            "review_id", "objective_id", "difficulty", "reason")
    }
    objectives = (Objective.objects
                  .filter(cycle_id__in=goal_cycle_ids, level=Level.INDIVIDUAL,
                          owner_employee_id__in=list(by_employee), status__in=COUNTED)
                  .order_by("cycle__start", "pk")
                  .values("pk", "owner_employee_id", "title", "kind", "progress", "weight"))
    for row in objectives:
        review = by_employee[row["owner_employee_id"]]
        rating = ratings.get((review.pk, row["pk"]), {})
        inputs[review.pk]["objectives"].append({
            "key": row["pk"], "title": row["title"], "kind": row["kind"],
            "progress": str(row["progress"]), "weight": str(row["weight"]),
            "difficulty": str(rating.get("difficulty", Decimal(1))),
            "reason": rating.get("reason", ""),
        })
    assignments = list(
        Assignment.objects
        .filter(cycle_id__in=goal_cycle_ids, employee_id__in=list(by_employee))
        .order_by("cycle__start", "indicator__code", "pk")
        .values("pk", "employee_id", "cycle_id", "weight", "score", "attainment", "actual",
                "target", "floor", "indicator__name", "indicator__name_en", "indicator__unit",
                "indicator__code", "indicator__category", "indicator__tags",
                "indicator__floor"))
    # A review over several goal cycles: each cycle's KPI weights sum to 1, so each counts
    # for its share of the cycles the person had KPIs in.
    cycles_of: dict[int, set[int]] = defaultdict(set)
    for row in assignments:
        cycles_of[row["employee_id"]].add(row["cycle_id"])
    for row in assignments:
        review = by_employee[row["employee_id"]]
        spread = Decimal(len(cycles_of[row["employee_id"]]))
        inputs[review.pk]["kpis"].append({
            "key": row["pk"], "code": row["indicator__code"], "name": row["indicator__name"],
            "name_en": row["indicator__name_en"], "unit": row["indicator__unit"],
            "weight": str(row["weight"] / spread), "score": _str(row["score"]),
            "attainment": _str(row["attainment"]), "actual": _str(row["actual"]),
            "target": str(row["target"]), "category": row["indicator__category"],
            "tags": list(row["indicator__tags"] or []),
            "floor": _str(row["floor"] if row["floor"] is not None else row["indicator__floor"]),
        })
    return inputs


def objective_inputs(inputs: dict) -> list[scoring.ObjectiveInput]:
    return [scoring.ObjectiveInput(
        key=row["key"], title=row["title"], kind=row["kind"], progress=Decimal(row["progress"]),
        weight=Decimal(row["weight"]), difficulty=Decimal(row["difficulty"]),
        difficulty_reason=row.get("reason", "")) for row in inputs.get("objectives", [])]


def kpi_inputs(inputs: dict) -> list[scoring.KpiInput]:
    return [scoring.KpiInput(
        key=row["key"], name=bilingual(row["name"], row.get("name_en", "")),
        weight=Decimal(row["weight"]), score=_dec(row["score"]),
        attainment=_dec(row["attainment"]), actual=_dec(row["actual"]),
        target=_dec(row["target"])) for row in inputs.get("kpis", [])]


def score(inputs: dict, policy: scoring.ScoringPolicy, okr_weight: Decimal, kpi_weight: Decimal,
          adjustment: Decimal = Decimal(0), adjustment_reason: str = ""):
    """(OkrResult, KpiResult, FinalResult) of one review's inputs with its frozen shares."""
    personal = replace(policy, okr_weight=okr_weight, kpi_weight=kpi_weight)
    okr = scoring.okr_score(objective_inputs(inputs), personal)
    kpi = scoring.kpi_score(kpi_inputs(inputs), personal)
    final = scoring.final_score(okr.score, kpi.score, personal, adjustment, adjustment_reason)
    return okr, kpi, final
