"""The ambition guard around target changes, called by `goals.services` inside its
transactions: whether a change needs a reason, the low-ambition assessment of a new target
(rules in `goals.ambition`, with the key result's check-ins and its owner's past results read
here), the `TargetChange` row of each change, and the notifications of eased and cascaded
targets."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.notifications import notify
from tandem.org.models import Department, Employee

from . import ambition
from .models import (
    CheckIn,
    KeyResult,
    Level,
    MeasureType,
    Objective,
    ObjectiveStatus,
    TargetChange,
    TargetChangeKind,
    TargetChangeSource,
)

# Fields whose change calls for a new assessment of the target.
ASSESSED_FIELDS = ("start_value", "target_value", "due", "owner")


def _plain(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def approved_before(objective: Objective) -> bool:
    """Has the lead approved this objective? Approved (or closed) now, or approved once and
    since sent back for approval by a rewording: otherwise rewording first would be a way
    round the reason an eased target needs."""
    if objective.status in (ObjectiveStatus.APPROVED, ObjectiveStatus.CLOSED):
        return True
    if objective.pk is None:
        return False
    if objective.status == ObjectiveStatus.DRAFT and not objective.review_comment:
        return False  # a draft back from approval always carries the lead's comment
    return objective.history.filter(status=ObjectiveStatus.APPROVED).exists()


def needs_reason(kr: KeyResult, *, old_target: Decimal) -> bool:
    """Easing the target of an approved key result needs a written reason."""
    return (kr.target_value != old_target
            and ambition.is_easing(start=kr.start_value, old_target=old_target,
                                   new_target=kr.target_value)
            and approved_before(kr.objective))


def _owner(kr: KeyResult) -> Employee | None:
    return kr.owner if kr.owner_id is not None else kr.objective.owner_employee


def assess(kr: KeyResult) -> ambition.Assessment | None:
    """The ambition of the key result's current target: None for milestone and done / not
    done key results, whose target is fixed. Two queries (check-ins, past results)."""
    if kr.measure_type not in (MeasureType.NUMBER, MeasureType.PERCENT, MeasureType.CURRENCY):
        return None
    cycle = kr.objective.cycle
    check_ins: tuple = ()
    if kr.pk is not None:
        check_ins = tuple(
            (timezone.localdate(moment), value) for moment, value in
            CheckIn.objects.filter(key_result=kr, value__isnull=False)
            .order_by("created_at", "pk").values_list("created_at", "value"))
    return ambition.assess(ambition.TargetInput(
        start=kr.start_value, target=kr.target_value, cycle_start=cycle.start,
        due=kr.due or cycle.end, check_ins=check_ins, past=_past_results(kr)))


def _past_results(kr: KeyResult) -> tuple[ambition.PastResult, ...]:
    """The owner's key results of earlier cycles of the same kind, with the same measure and
    unit: what `goals.ambition` compares the new target with. One query."""
    owner = _owner(kr)
    if owner is None:
        return ()
    cycle = kr.objective.cycle
    rows = (KeyResult.objects.filter(owner=owner, measure_type=kr.measure_type, unit=kr.unit,
                                     objective__cycle__kind=cycle.kind,
                                     objective__cycle__end__lt=cycle.start)
            .exclude(pk=kr.pk)
            .values_list("objective__cycle__name", "objective__cycle__end", "start_value",
                         "target_value", "current_value"))
    return tuple(ambition.PastResult(*row) for row in rows)


def apply_assessment(kr: KeyResult) -> ambition.Assessment | None:
    """Stores the assessment's flag and explanation on the key result (not saved here)."""
    result = assess(kr)
    kr.low_ambition = bool(result and result.low_ambition)
    kr.low_ambition_reasons = list(result.reasons) if result and result.low_ambition else []
    return result


def record(kr: KeyResult, *, old_target: Decimal, reason: str, by, source: str) -> TargetChange:
    eased = ambition.is_easing(start=kr.start_value, old_target=old_target,
                               new_target=kr.target_value)
    return TargetChange.objects.create(
        company=kr.company, key_result=kr, old_target=old_target, new_target=kr.target_value,
        change=TargetChangeKind.EASED if eased else TargetChangeKind.RAISED, source=source,
        reason=reason, by=by if by is not None and by.is_authenticated else None,
        low_ambition=kr.low_ambition, low_ambition_reasons=kr.low_ambition_reasons)


def record_manual(kr: KeyResult, *, old_target: Decimal, reason: str, by) -> TargetChange:
    """Records an owner's change of the target; tells the lead when it eases an approved
    one."""
    change = record(kr, old_target=old_target, reason=reason, by=by,
                    source=TargetChangeSource.MANUAL)
    if change.change == TargetChangeKind.EASED and approved_before(kr.objective):
        _notify_eased(kr, change, by=by)
    return change


def _objective_url(objective_id: int) -> str:
    return reverse("goals:objective_detail", args=[objective_id])


def employee_of(user) -> Employee | None:
    if user is None or not user.is_authenticated:
        return None
    actor = getattr(user, "actor", None)
    if actor is not None:
        return actor.employee
    return Employee.objects.filter(user=user).first()


def lead_of(objective: Objective) -> Employee | None:
    """Who approves the objective: its owner's manager, else the leader of the nearest
    department above them led by someone else; for a department objective, the leader of a
    department above it. None for the company's objectives."""
    if objective.level == Level.COMPANY:
        return None
    if objective.level == Level.DEPARTMENT:
        department, person = objective.owner_department, objective.owner_department.leader
        department = department.parent
    else:
        person = objective.owner_employee
        if person.manager_id is not None and person.manager_id != person.pk:
            return person.manager
        department = person.department
    seen: set[int] = set()
    while department is not None and department.pk not in seen:
        seen.add(department.pk)
        if department.leader_id is not None and (person is None
                                                 or department.leader_id != person.pk):
            return department.leader
        department = (Department.objects.select_related("leader").filter(
            pk=department.parent_id).first() if department.parent_id else None)
    return None


def _notify_eased(kr: KeyResult, change: TargetChange, *, by) -> None:
    objective = kr.objective
    lead = lead_of(objective)
    if lead is None:
        return
    who = employee_of(by)
    eased_by = who or _owner(kr)
    notify(company=kr.company, recipients=[lead], kind="goals.target_eased", params={
        "owner": eased_by.display_name if eased_by else objective.owner_name,
        "key_result": kr.title, "objective": objective.title,
        "old_target": _plain(change.old_target), "new_target": _plain(change.new_target),
        "reason": change.reason or "—",
    }, url=_objective_url(objective.pk), actor=who)


def notify_cascaded(children: list[tuple[KeyResult, Decimal]], *, reason: str, by) -> None:
    """Tells the owner of each key result whose target followed its parent's (and the owner of
    its objective when that is someone else)."""
    who = employee_of(by)
    for child, old_target in children:
        recipients = [person for person in (child.owner, child.objective.owner_employee)
                      if person is not None]
        if not recipients:
            continue
        notify(company=child.company, recipients=recipients, kind="goals.target_cascaded",
               params={"key_result": child.title, "objective": child.objective.title,
                       "parent": child.parent_key_result.title,
                       "old_target": _plain(old_target),
                       "new_target": _plain(child.target_value), "reason": reason or "—"},
               url=_objective_url(child.objective_id), actor=who)


def reason_required_message() -> str:
    return _("Say why you ease the target of an approved key result: the lead sees it.")
