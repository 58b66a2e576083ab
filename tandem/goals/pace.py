"""Pace and risk of objectives as the pages show them (My OKRs, My team's OKRs, the charts):
each key result's expected progress by today (its pace plan, its milestones' due dates or
linear: `kpis.pace`, the rule KPI assignments follow too), its latest confidence, whether it is
at risk and why (`goals.progress.at_risk`, rule in ../shared/domain/okr-kpi.md "Pace and risk")
and its forecast at the cycle end. One query for any number of objectives whose key results are
already prefetched (two when some are milestone key results whose milestones are not)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from tandem.kpis import pace as pace_rules

from . import progress
from .models import CheckIn, Milestone, Objective

MILESTONE = progress.MeasureType.MILESTONE


@dataclass
class KeyResultRow:
    kr: object
    expected: Decimal
    confidence: int | None
    risk: progress.Risk
    # The key result's value at the cycle end on the least-squares line through its check-ins
    # (None with fewer than two check-in days, and for milestone and done/not-done ones), and
    # the progress that value would mean.
    forecast: Decimal | None = None
    forecast_progress: Decimal | None = None


@dataclass
class ObjectiveRow:
    objective: Objective
    expected: Decimal
    krs: list[KeyResultRow] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return any(row.risk.at_risk for row in self.krs)

    @property
    def low_ambition(self) -> bool:
        return any(row.kr.low_ambition for row in self.krs)


@dataclass
class Facts:
    """What the check-ins and milestones of some key results say, read in two queries."""

    latest: dict[int, tuple[int, date]] = field(default_factory=dict)
    points: dict[int, list[tuple[date, Decimal]]] = field(default_factory=dict)
    milestones: dict[int, list[tuple[date | None, Decimal]]] = field(default_factory=dict)


def check_in_facts(key_result_ids) -> dict[int, tuple[int, date]]:
    """The latest confidence and check-in day of each key result, in one query."""
    return facts_of(key_result_ids, milestone_ids=()).latest


def facts_of(key_result_ids, milestone_ids=()) -> Facts:
    """Latest confidence and day, the (day, value) points of each key result's check-ins, and
    the (due, weight) of the milestones of `milestone_ids`: one query, two with milestones."""
    facts = Facts()
    rows = (CheckIn.objects.filter(key_result_id__in=list(key_result_ids))
            .order_by("key_result_id", "-created_at", "-pk")
            .values_list("key_result_id", "confidence", "created_at", "value"))
    for key_result_id, confidence, created_at, value in rows:
        day = timezone.localdate(created_at)
        if key_result_id not in facts.latest:
            facts.latest[key_result_id] = (confidence, day)
        if value is not None:
            facts.points.setdefault(key_result_id, []).append((day, value))
    milestone_ids = list(milestone_ids)
    if milestone_ids:
        for key_result_id, due, weight in (Milestone.objects
                                           .filter(key_result_id__in=milestone_ids)
                                           .values_list("key_result_id", "due", "weight")):
            facts.milestones.setdefault(key_result_id, []).append((due, weight))
    return facts


def expected_of(kr, cycle, today: date, milestones=()) -> Decimal:
    """The key result's expected progress by `today` (kpis.pace: its plan, its milestones'
    due dates, or linear over the cycle)."""
    return pace_rules.expected(cycle.start, cycle.end, today, plan=kr.pace_plan,
                               milestones=milestones if kr.measure_type == MILESTONE else ())


def forecast_of(kr, cycle, points, policy) -> tuple[Decimal | None, Decimal | None]:
    if kr.measure_type not in progress.MeasureType.NUMERIC or kr.driven_by_objective_id:
        return None, None
    value = progress.forecast(points, cycle.end)
    return value, pace_rules.forecast_progress(forecast=value, start=kr.start_value,
                                               target=kr.target_value, cap=policy.kr_progress_cap)


def _prefetched(instance, name: str) -> bool:
    return name in getattr(instance, "_prefetched_objects_cache", {})


def objective_rows(objectives, today: date, policy) -> list[ObjectiveRow]:
    """Each objective with its key results' pace, risk and forecast. A key result that takes
    its progress from an aligned objective expects no check-ins, so it is never stale."""
    objectives = list(objectives)
    krs = [kr for o in objectives for kr in o.key_results.all()]
    facts = facts_of((kr.pk for kr in krs),
                     milestone_ids=[kr.pk for kr in krs if kr.measure_type == MILESTONE
                                    and not _prefetched(kr, "milestones")])
    for kr in krs:
        if kr.measure_type == MILESTONE and _prefetched(kr, "milestones"):
            facts.milestones[kr.pk] = [(m.due, m.weight) for m in kr.milestones.all()]
    out = []
    for objective in objectives:
        cycle = objective.cycle
        expected = progress.expected_progress(cycle.start, cycle.end, today)
        row = ObjectiveRow(objective=objective, expected=expected)
        for kr in objective.key_results.all():
            confidence, last = facts.latest.get(kr.pk, (None, None))
            if kr.driven_by_objective_id is not None:
                last = today
            kr_expected = expected_of(kr, cycle, today, facts.milestones.get(kr.pk, ()))
            risk = progress.at_risk(progress=kr.progress, expected=kr_expected,
                                    confidence=confidence, last_check_in=last, today=today,
                                    policy=policy)
            value, value_progress = forecast_of(kr, cycle, facts.points.get(kr.pk, ()), policy)
            row.krs.append(KeyResultRow(kr=kr, expected=kr_expected, confidence=confidence,
                                        risk=risk, forecast=value,
                                        forecast_progress=value_progress))
        out.append(row)
    return out
