"""Scoring a closed cycle's confidence calibration (`kpis.calibration`) into
`CalibrationScore` rows, one per person, and reading them for the leads' page. Called when a
cycle's status becomes closed (`on_cycle_saved`, connected in `models_tracking`)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django_scopes import scope

from tandem.goals.models import CheckIn, Cycle, CycleStatus, KeyResult
from tandem.goals.policy import policy_for
from tandem.goals.progress import expectation

from . import calibration as rules
from .models_tracking import CalibrationScore


@transaction.atomic
def score_cycle(cycle: Cycle) -> list[CalibrationScore]:
    """(Re)computes every person's calibration in the cycle: three queries and one insert."""
    policy = policy_for(cycle.company)
    with scope(company=cycle.company_id):
        krs = list(KeyResult.objects.filter(objective__cycle=cycle)
                   .values_list("pk", "progress", "owner_id", "objective__owner_employee_id",
                                "objective__kind"))
        confidences = defaultdict(list)
        for key_result_id, confidence in (CheckIn.objects
                                          .filter(key_result__objective__cycle=cycle)
                                          .order_by("created_at", "pk")
                                          .values_list("key_result_id", "confidence")):
            confidences[key_result_id].append(confidence)
        by_person = defaultdict(list)
        for pk, progress, owner, objective_owner, kind in krs:
            person = owner or objective_owner
            if person is None:
                continue
            by_person[person].append(rules.KeyResultOutcome(
                progress=progress, expectation=expectation(kind, policy),
                confidences=tuple(confidences.get(pk, ()))))
        rows = []
        for person, outcomes in sorted(by_person.items()):
            result = rules.calibrate(outcomes)
            if result is None:
                continue
            rows.append(CalibrationScore(
                company_id=cycle.company_id, cycle=cycle, employee_id=person,
                brier=result.brier, forecasts=result.forecasts,
                key_results=result.key_results, reached=result.reached,
                mean_confidence=result.mean_confidence))
        CalibrationScore.objects.filter(cycle=cycle).delete()
        return CalibrationScore.objects.bulk_create(rows)


def on_cycle_saved(sender, instance: Cycle, created: bool = False, **kwargs) -> None:
    """post_save of goals.Cycle: score a cycle when it is saved closed."""
    if instance.status == CycleStatus.CLOSED:
        score_cycle(instance)


def scores_for(actor, cycle: Cycle | None = None):
    """The scores a person may read: HR and administrators everyone's, a leader those of the
    people in the departments they lead (and below), everyone their own. One query."""
    rows = CalibrationScore.objects.select_related("employee", "employee__department", "cycle")
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    if not (actor.is_admin or actor.is_hr):
        own = actor.employee.pk if actor.employee is not None else None
        from django.db.models import Q

        rows = rows.filter(Q(employee_id=own)
                           | Q(employee__department_id__in=actor.managed_department_ids))
    return rows.order_by("-cycle__start", "brier", "employee__name")
