"""Pace and risk of objectives as the pages show them (My OKRs, My team's OKRs, the charts):
each key result's expected progress by today, its latest confidence and whether it is at risk
and why (`goals.progress.at_risk`, rule in ../shared/domain/okr-kpi.md "Pace and risk"). One
query for any number of objectives, whose key results are already prefetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from . import progress
from .models import CheckIn, Objective


@dataclass
class KeyResultRow:
    kr: object
    expected: Decimal
    confidence: int | None
    risk: progress.Risk


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


def check_in_facts(key_result_ids) -> dict[int, tuple[int, date]]:
    """The latest confidence and check-in day of each key result, in one query."""
    facts: dict[int, tuple[int, date]] = {}
    rows = (CheckIn.objects.filter(key_result_id__in=list(key_result_ids))
            .order_by("key_result_id", "-created_at", "-pk")
            .values_list("key_result_id", "confidence", "created_at"))
    for key_result_id, confidence, created_at in rows:
        if key_result_id not in facts:
            facts[key_result_id] = (confidence, timezone.localdate(created_at))
    return facts


def objective_rows(objectives, today: date, policy) -> list[ObjectiveRow]:
    """Each objective with its key results' pace and risk. A key result that takes its
    progress from an aligned objective expects no check-ins, so it is never stale."""
    objectives = list(objectives)
    facts = check_in_facts(kr.pk for o in objectives for kr in o.key_results.all())
    out = []
    for objective in objectives:
        expected = progress.expected_progress(objective.cycle.start, objective.cycle.end, today)
        row = ObjectiveRow(objective=objective, expected=expected)
        for kr in objective.key_results.all():
            confidence, last = facts.get(kr.pk, (None, None))
            if kr.driven_by_objective_id is not None:
                last = today
            risk = progress.at_risk(progress=kr.progress, expected=expected,
                                    confidence=confidence, last_check_in=last, today=today,
                                    policy=policy)
            row.krs.append(KeyResultRow(kr=kr, expected=expected, confidence=confidence,
                                        risk=risk))
        out.append(row)
    return out
