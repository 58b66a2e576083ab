"""Operations on OKRs. Views, API and the demo call these; each validates, checks what the
`actor` (core.actor.Actor) may do when one is given, writes in one transaction and keeps the
cached progress of key results and objectives up to date (rules in `goals.progress`).

Updates of objectives and key results are versioned (core.versioning): `version` is the version
the edit started from; when someone saved the record since, the update raises `EditConflict`
and writes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.models import Company
from tandem.core.permissions import is_people_admin
from tandem.core.versioning import claim_version
from tandem.org.models import Department, Employee

from . import progress as rules_of_progress
from . import signals, target_changes
from .models import (
    CheckIn,
    Cycle,
    KeyResult,
    Level,
    MeasureType,
    Milestone,
    Objective,
    ObjectiveKind,
    ObjectiveStatus,
    TargetChangeSource,
)
from .policy import policy_for

VALUE_PLACES = Decimal("0.0001")
OBJECTIVE_WORDING = ("title", "description")
OBJECTIVE_EDITABLE = ("title", "description", "kind", "weight", "parent")
KEY_RESULT_EDITABLE = ("title", "owner", "start_value", "target_value", "unit", "weight", "due",
                       "parent_key_result", "cascade_share", "driven_by_objective")


def _attribute(instance, by, reason: str = "") -> None:
    """Names the user and the reason in the change history (simple-history)."""
    instance._history_user = by if by is not None and by.is_authenticated else None
    if reason:
        instance._change_reason = reason[:100]


def _require_perm(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.user.has_perm(perm, obj):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Cycles


@transaction.atomic
def create_cycle(*, company: Company, name: str, kind: str, start: date, end: date,
                 status: str = "planning", parent: Cycle | None = None, actor=None) -> Cycle:
    _require_perm(actor, "goals.add_cycle")
    cycle = Cycle(company=company, name=name, kind=kind, start=start, end=end, status=status,
                  parent=parent)
    _check_cycle(cycle)
    cycle.save()
    return cycle


@transaction.atomic
def update_cycle(*, cycle: Cycle, actor=None, **changes: Any) -> Cycle:
    _require_perm(actor, "goals.change_cycle", cycle)
    for name, value in changes.items():
        setattr(cycle, name, value)
    _check_cycle(cycle)
    cycle.save()
    return cycle


def delete_cycle(*, cycle: Cycle, actor=None) -> None:
    _require_perm(actor, "goals.delete_cycle", cycle)
    if cycle.objectives.exists() or cycle.children.exists():
        raise ValidationError(_("This cycle still has objectives or cycles inside it."))
    cycle.delete()


def _check_cycle(cycle: Cycle) -> None:
    errors = {}
    if cycle.end <= cycle.start:
        errors["end"] = [_("The end must be after the start.")]
    parent = cycle.parent
    if parent is not None:
        if cycle.pk is not None and (cycle.pk == parent.pk
                                     or cycle.pk in _cycle_ancestor_ids(parent)):
            errors["parent"] = [_("A cycle cannot lie inside itself.")]
        elif parent.start > cycle.start or parent.end < cycle.end:
            errors["parent"] = [_("The enclosing cycle must cover the dates of this one.")]
    duplicates = Cycle.objects.filter(name=cycle.name).exclude(pk=cycle.pk)
    if duplicates.exists():
        errors["name"] = [_("A cycle with this name already exists.")]
    if errors:
        raise ValidationError(errors)


def _cycle_ancestor_ids(cycle: Cycle) -> set[int]:
    ids: set[int] = set()
    while cycle.parent_id is not None and cycle.parent_id not in ids:
        ids.add(cycle.parent_id)
        cycle = cycle.parent
    return ids


# ---------------------------------------------------------------------------------------------
# Objectives


def check_objective_owner(actor, *, level: str, owner_department: Department | None,
                          owner_employee: Employee | None) -> None:
    """May `actor` write objectives for this owner? HR and administrators for anyone, a
    department leader for the departments and people they lead, everyone for themself."""
    if actor is None or is_people_admin(actor.user):
        return
    if level == Level.COMPANY:
        raise PermissionDenied
    managed = actor.managed_department_ids
    if level == Level.DEPARTMENT:
        if owner_department is not None and owner_department.pk not in managed:
            raise ValidationError({"owner_department": [
                _("Choose a department you lead.")]})
    elif owner_employee is not None:
        own = actor.employee
        if not ((own is not None and owner_employee.pk == own.pk)
                or owner_employee.department_id in managed):
            raise ValidationError({"owner_employee": [
                _("Choose yourself or someone in a department you lead.")]})


def _check_owner_matches_level(objective: Objective) -> None:
    errors = {}
    if objective.level == Level.DEPARTMENT and objective.owner_department_id is None:
        errors["owner_department"] = [_("A department objective needs its department.")]
    if objective.level == Level.INDIVIDUAL and objective.owner_employee_id is None:
        errors["owner_employee"] = [_("An individual objective needs its owner.")]
    if errors:
        raise ValidationError(errors)
    # The other owner field is cleared, as the database constraint requires.
    if objective.level != Level.DEPARTMENT:
        objective.owner_department = None
    if objective.level != Level.INDIVIDUAL:
        objective.owner_employee = None


def _encloses(outer: Cycle, inner: Cycle) -> bool:
    """Is `outer` the cycle `inner` or one of the cycles that contain it?"""
    return outer.pk == inner.pk or outer.pk in _cycle_ancestor_ids(inner)


def _department_ancestor_ids(department: Department) -> set[int]:
    """The departments above this one, in one query."""
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    ids: set[int] = set()
    current = parents.get(department.pk)
    while current is not None and current not in ids:
        ids.add(current)
        current = parents.get(current)
    return ids


def check_alignment(objective: Objective, parent: Objective | None) -> None:
    """A parent lies in the same or an enclosing cycle, one level up or at the company level:
    an individual aligns to a department or the company, a department to the company or a
    department above it, a company objective to a company objective of an enclosing cycle."""
    if parent is None:
        return
    if parent.pk is not None and parent.pk == objective.pk:
        raise ValidationError({"parent": [_("An objective cannot align to itself.")]})
    if not _encloses(parent.cycle, objective.cycle):
        raise ValidationError({"parent": [
            _("Align to an objective of the same cycle or of a cycle that contains it.")]})
    level = objective.level
    allowed = (
        (level == Level.INDIVIDUAL and parent.level in (Level.DEPARTMENT, Level.COMPANY))
        or (level == Level.DEPARTMENT and parent.level == Level.COMPANY)
        or (level == Level.DEPARTMENT and parent.level == Level.DEPARTMENT
            and parent.owner_department_id
            in _department_ancestor_ids(objective.owner_department))
        or (level == Level.COMPANY and parent.level == Level.COMPANY
            and parent.cycle_id != objective.cycle_id)
    )
    if not allowed:
        raise ValidationError({"parent": [_(
            "Align to an objective one level up (the department above, or the company).")]})


@transaction.atomic
def create_objective(*, company: Company, cycle: Cycle, level: str, title: str,
                     description: str = "", kind: str = ObjectiveKind.COMMITTED,
                     weight: Decimal = Decimal("1"), parent: Objective | None = None,
                     owner_department: Department | None = None,
                     owner_employee: Employee | None = None, status: str = ObjectiveStatus.DRAFT,
                     by=None, actor=None) -> Objective:
    _require_perm(actor, "goals.add_objective")
    check_objective_owner(actor, level=level, owner_department=owner_department,
                          owner_employee=owner_employee)
    objective = Objective(
        company=company, cycle=cycle, level=level, title=title, description=description,
        kind=kind, weight=weight, parent=parent, owner_department=owner_department,
        owner_employee=owner_employee, status=status,
    )
    _check_owner_matches_level(objective)
    _check_cycle_open(cycle)
    check_alignment(objective, parent)
    objective.full_clean(exclude=["company"])
    _attribute(objective, by)
    objective.save()
    return objective


def _check_cycle_open(cycle: Cycle) -> None:
    if cycle.status == "closed":
        raise ValidationError({"cycle": [_("This cycle is closed.")]})


@transaction.atomic
def update_objective(*, objective: Objective, by=None, actor=None, version: int | None = None,
                     **changes: Any) -> Objective:
    """Change an objective's wording, kind, weight or alignment. Rewording an approved
    objective sends it back for approval; its owner, level and cycle stay."""
    _require_perm(actor, "goals.change_objective", objective)
    refused = sorted(set(changes) - set(OBJECTIVE_EDITABLE))
    if refused:
        raise ValidationError({name: [_("This cannot change; create a new objective instead.")]
                               for name in refused})
    changed = {name: value for name, value in changes.items()
               if getattr(objective, name) != value}
    if objective.status == ObjectiveStatus.CLOSED and changed:
        raise ValidationError(_("A closed objective cannot be changed."))
    if "parent" in changed:
        check_alignment(objective, changed["parent"])
    for name, value in changed.items():
        setattr(objective, name, value)
    reason = ""
    if objective.status == ObjectiveStatus.APPROVED and set(changed) & set(OBJECTIVE_WORDING):
        objective.status = ObjectiveStatus.SUBMITTED
        reason = "reworded after approval: submitted again"
    objective.full_clean(exclude=["company"])
    claim_version(objective, version)
    _attribute(objective, by, reason)
    objective.save()
    return objective


@transaction.atomic
def delete_objective(*, objective: Objective, by=None, actor=None) -> None:
    _require_perm(actor, "goals.delete_objective", objective)
    parent_ids = set(KeyResult.objects.filter(driven_by_objective=objective)
                     .values_list("objective_id", flat=True))
    _attribute(objective, by)
    objective.delete()
    roll_up(parent_ids)


@transaction.atomic
def submit_objective(*, objective: Objective, by=None, actor=None) -> Objective:
    _require_perm(actor, "goals.submit_objective", objective)
    if objective.status != ObjectiveStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    if not objective.key_results.exists():
        raise ValidationError(_("Add at least one key result before submitting."))
    return _set_status(objective, ObjectiveStatus.SUBMITTED, by=by, reason="submitted")


@transaction.atomic
def approve_objective(*, objective: Objective, comment: str = "", by=None,
                      actor=None) -> Objective:
    _require_perm(actor, "goals.approve_objective", objective)
    if objective.status != ObjectiveStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted objective can be approved."))
    objective.review_comment = comment
    return _set_status(objective, ObjectiveStatus.APPROVED, by=by, reason="approved")


@transaction.atomic
def return_objective(*, objective: Objective, comment: str, by=None, actor=None) -> Objective:
    """Send a submitted objective back to its owner as a draft, saying why."""
    _require_perm(actor, "goals.approve_objective", objective)
    if objective.status != ObjectiveStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted objective can be returned."))
    if not comment.strip():
        raise ValidationError({"comment": [_("Say what should change.")]})
    objective.review_comment = comment.strip()
    return _set_status(objective, ObjectiveStatus.DRAFT, by=by, reason="returned")


def _set_status(objective: Objective, status: str, *, by, reason: str) -> Objective:
    objective.status = status
    claim_version(objective)
    _attribute(objective, by, reason)
    objective.save()
    return objective


# ---------------------------------------------------------------------------------------------
# Key results


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    weight: Decimal = Decimal("1")
    due: date | None = None


def _objective_ancestor_ids(objective: Objective) -> set[int]:
    ids: set[int] = set()
    current = objective
    while current.parent_id is not None and current.parent_id not in ids:
        ids.add(current.parent_id)
        current = current.parent
    return ids


def _plain(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _quantize_value(value: Decimal) -> Decimal:
    return value.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def _check_key_result(kr: KeyResult) -> None:
    """Measure, cascade and roll-up rules of one key result; sets the cascaded target."""
    errors: dict[str, list[str]] = {}
    if kr.measure_type in (MeasureType.MILESTONE, MeasureType.BOOLEAN):
        kr.start_value, kr.target_value = Decimal(0), Decimal(1)
    parent = kr.parent_key_result
    if parent is not None:
        if kr.cascade_share is None or not Decimal(0) < kr.cascade_share <= Decimal(1):
            errors["cascade_share"] = [_("Give a share above 0 and at most 1.")]
        if parent.objective_id not in _objective_ancestor_ids(kr.objective):
            errors["parent_key_result"] = [
                _("Choose a key result of an objective this one is aligned to.")]
        if (kr.measure_type not in rules_of_progress.MeasureType.NUMERIC
                or parent.measure_type not in rules_of_progress.MeasureType.NUMERIC):
            errors["parent_key_result"] = [
                _("Only number, percent and currency key results cascade.")]
        if not errors:
            kr.target_value = _quantize_value(parent.target_value * kr.cascade_share)
    elif kr.cascade_share is not None:
        errors["cascade_share"] = [_("A share needs a parent key result.")]
    driver = kr.driven_by_objective
    if driver is not None and driver.parent_id != kr.objective_id:
        errors["driven_by_objective"] = [
            _("Choose an objective aligned to this key result's objective.")]
    if kr.target_value == kr.start_value:
        errors.setdefault("target_value", []).append(
            _("The target must differ from the start."))
    if errors:
        raise ValidationError(errors)


def _kr_input(kr: KeyResult, milestones: Iterable[Milestone] = ()) -> rules_of_progress.KeyResultInput:
    return rules_of_progress.KeyResultInput(
        measure_type=kr.measure_type, start=kr.start_value, target=kr.target_value,
        current=kr.current_value,
        milestones=tuple(rules_of_progress.MilestoneState(m.weight, m.done) for m in milestones),
    )


def key_result_progress(kr: KeyResult, milestones: Iterable[Milestone] | None = None):
    """The key result's progress with its explanation (Explained)."""
    if kr.driven_by_objective_id is not None and kr.driven_by_objective is not None:
        value = kr.driven_by_objective.progress
        return rules_of_progress.Explained(value, _("Progress of the aligned objective “%(title)s”: "
                                                    "%(value)s")
                                           % {"title": kr.driven_by_objective.title,
                                              "value": value})
    if kr.measure_type == MeasureType.MILESTONE and milestones is None:
        milestones = list(kr.milestones.all()) if kr.pk else []
    return rules_of_progress.kr_progress(_kr_input(kr, milestones or ()), policy_for(kr.company))


@transaction.atomic
def create_key_result(*, objective: Objective, title: str, owner: Employee | None = None,
                      measure_type: str = MeasureType.NUMBER,
                      start_value: Decimal = Decimal("0"), target_value: Decimal = Decimal("1"),
                      unit: str = "", weight: Decimal = Decimal("1"), due: date | None = None,
                      parent_key_result: KeyResult | None = None,
                      cascade_share: Decimal | None = None,
                      driven_by_objective: Objective | None = None,
                      milestones: Sequence[MilestoneSpec] = (), by=None,
                      actor=None) -> KeyResult:
    _require_perm(actor, "goals.change_objective", objective)
    if objective.status == ObjectiveStatus.CLOSED:
        raise ValidationError(_("A closed objective cannot be changed."))
    if measure_type == MeasureType.MILESTONE and not milestones:
        raise ValidationError({"milestones": [_("Give at least one milestone.")]})
    if measure_type != MeasureType.MILESTONE and milestones:
        raise ValidationError({"milestones": [_("Only milestone key results have milestones.")]})
    kr = KeyResult(
        company=objective.company, objective=objective, title=title,
        owner=owner if owner is not None else objective.owner_employee,
        measure_type=measure_type, start_value=start_value, target_value=target_value,
        current_value=start_value, unit=unit, weight=weight, due=due,
        parent_key_result=parent_key_result, cascade_share=cascade_share,
        driven_by_objective=driven_by_objective,
    )
    _check_key_result(kr)
    kr.current_value = kr.start_value
    kr.full_clean(exclude=["company"])
    kr.progress = key_result_progress(kr, milestones=[]).value
    target_changes.apply_assessment(kr)
    _attribute(kr, by)
    kr.save()
    if milestones:
        Milestone.objects.bulk_create([
            Milestone(company=kr.company, key_result=kr, title=spec.title, weight=spec.weight,
                      due=spec.due) for spec in milestones])
    roll_up({objective.pk})
    return kr


@transaction.atomic
def update_key_result(*, key_result: KeyResult, reason: str = "", by=None, actor=None,
                      version: int | None = None, **changes: Any) -> KeyResult:
    """Change a key result. Easing the target of an approved key result needs a `reason`
    (the owner's lead is told); every new target is recorded (`TargetChange`) with the
    assessment of its ambition (`goals.ambition`). A new target flows down to the key results
    cascaded from it (child target = parent target × share), in this transaction, with
    `reason` in each child's history; the children keep their approval status and their
    owners are told."""
    _require_perm(actor, "goals.change_keyresult", key_result)
    refused = sorted(set(changes) - set(KEY_RESULT_EDITABLE))
    if refused:
        raise ValidationError({name: [_("This cannot change; create a new key result instead.")]
                               for name in refused})
    reason = (reason or "").strip()
    old_target = key_result.target_value
    before = {name: getattr(key_result, name) for name in target_changes.ASSESSED_FIELDS}
    for name, value in changes.items():
        setattr(key_result, name, value)
    _check_key_result(key_result)
    if not reason and target_changes.needs_reason(key_result, old_target=old_target):
        raise ValidationError({"reason": [target_changes.reason_required_message()]})
    key_result.full_clean(exclude=["company"])
    key_result.progress = key_result_progress(key_result).value
    if any(getattr(key_result, name) != value for name, value in before.items()):
        target_changes.apply_assessment(key_result)
    claim_version(key_result, version)
    _attribute(key_result, by, reason)
    key_result.save()
    touched = {key_result.objective_id}
    if key_result.target_value != old_target:
        target_changes.record_manual(key_result, old_target=old_target, reason=reason, by=by)
        touched |= _cascade_targets(key_result, old_target=old_target, reason=reason, by=by)
    roll_up(touched)
    return key_result


def _cascade_targets(root: KeyResult, *, old_target: Decimal, reason: str, by) -> set[int]:
    """Recomputes the targets of every key result cascaded from `root`, level by level; the
    objectives whose progress changed. A cascaded target comes from above: no reason is asked
    of the child's owner; the change is recorded with the parent's reason and the owners are
    told."""
    note = f"cascade: {root.title} {_plain(old_target)} → {_plain(root.target_value)}"
    if reason:
        note = f"{note}: {reason}"
    touched: set[int] = set()
    changed: list[tuple[KeyResult, Decimal]] = []
    frontier = [root]
    while frontier:
        by_pk = {kr.pk: kr for kr in frontier}
        children = list(KeyResult.objects.filter(parent_key_result__in=list(by_pk))
                        .select_related("company", "owner", "objective__cycle",
                                        "objective__owner_employee"))
        for child in children:
            child.parent_key_result = by_pk[child.parent_key_result_id]
            child_old_target = child.target_value
            child.target_value = _quantize_value(
                child.parent_key_result.target_value * child.cascade_share)
            if child.target_value == child.start_value:
                raise ValidationError({"target_value": [_(
                    "The cascaded target of “%(title)s” would equal its start.")
                    % {"title": child.title}]})
            if child.target_value == child_old_target:
                continue
            child.progress = rules_of_progress.kr_progress(
                _kr_input(child), policy_for(child.company)).value
            target_changes.apply_assessment(child)
            _attribute(child, by, note)
            child.save(update_fields=["target_value", "progress", "low_ambition",
                                      "low_ambition_reasons", "updated_at"])
            target_changes.record(child, old_target=child_old_target, reason=reason, by=by,
                                  source=TargetChangeSource.CASCADE)
            changed.append((child, child_old_target))
            touched.add(child.objective_id)
        # A child whose target stayed leaves its own children as they are.
        frontier = [child for child, _old in changed if child.parent_key_result_id in by_pk]
    target_changes.notify_cascaded(changed, reason=reason, by=by)
    return touched


@transaction.atomic
def delete_key_result(*, key_result: KeyResult, by=None, actor=None) -> None:
    _require_perm(actor, "goals.delete_keyresult", key_result)
    objective_id = key_result.objective_id
    _attribute(key_result, by)
    key_result.delete()
    roll_up({objective_id})


# ---------------------------------------------------------------------------------------------
# Check-ins and roll-up


@transaction.atomic
def check_in(*, key_result: KeyResult, confidence: int, value: Decimal | None = None,
             milestone: Milestone | None = None, milestone_done: bool | None = None,
             comment: str = "", by=None, actor=None) -> CheckIn:
    """Record a check-in: the new value (or milestone state) becomes the key result's current
    value; its progress, its objective's and every objective it drives up to the company are
    recomputed in this transaction."""
    _require_perm(actor, "goals.check_in_keyresult", key_result)
    objective = key_result.objective
    errors: dict[str, list[str]] = {}
    if objective.status == ObjectiveStatus.CLOSED:
        raise ValidationError(_("A closed objective takes no more check-ins."))
    if key_result.driven_by_objective_id is not None:
        raise ValidationError(_("This key result takes its progress from an aligned objective."))
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 0 <= confidence <= 10:
        errors["confidence"] = [_("Give a whole number from 0 to 10.")]
    milestones = None
    if key_result.measure_type == MeasureType.MILESTONE:
        if milestone is None or milestone.key_result_id != key_result.pk:
            errors["milestone"] = [_("Choose a milestone of this key result.")]
        if milestone_done is None:
            errors["milestone_done"] = [_("Say whether the milestone is done.")]
        value = None
    else:
        if value is None:
            errors["value"] = [_("Give the new value.")]
        elif key_result.measure_type == MeasureType.BOOLEAN and value not in (0, 1):
            errors["value"] = [_("Give 1 for done or 0 for not done.")]
        milestone = milestone_done = None
    if errors:
        raise ValidationError(errors)
    if milestone is not None:
        milestone.done = milestone_done
        milestone.save(update_fields=["done"])
        milestones = list(key_result.milestones.all())
        done_weight = sum((m.weight for m in milestones if m.done), Decimal(0))
        key_result.current_value = done_weight
    else:
        key_result.current_value = _quantize_value(Decimal(value))
    key_result.progress = key_result_progress(key_result, milestones).value
    _attribute(key_result, by, "check-in")
    key_result.save(update_fields=["current_value", "progress", "updated_at"])
    entry = CheckIn.objects.create(
        company=key_result.company, key_result=key_result, value=value, milestone=milestone,
        milestone_done=milestone_done, progress=key_result.progress, confidence=confidence,
        comment=comment, author=by if by is not None and by.is_authenticated else None,
    )
    roll_up({key_result.objective_id})
    signals.checked_in.send(sender=CheckIn, check_in=entry)
    return entry


def roll_up(objective_ids: Iterable[int]) -> None:
    """Recomputes the progress of these objectives from their key results, then of the key
    results they drive and those key results' objectives, up to the top. A fixed number of
    queries per level of the alignment tree, whatever the number of objectives in it."""
    level = set(objective_ids)
    seen: set[int] = set()
    while level:
        # Lock this level's objectives before reading their key results: two check-ins on
        # sibling key results then take turns, and the second sees the first one's progress
        # instead of overwriting the objective with a figure computed from a stale sibling.
        # Locks are taken level by level upwards, in primary-key order within a level, so
        # concurrent roll-ups cannot deadlock. (SQLite serialises writers anyway.)
        objectives = list(Objective.objects.select_for_update().filter(pk__in=level)
                          .order_by("pk").only("pk", "progress"))
        parts: dict[int, list[rules_of_progress.Weighted]] = {pk: [] for pk in level}
        for objective_id, weight, kr_progress in KeyResult.objects.filter(
                objective_id__in=level).values_list("objective_id", "weight", "progress"):
            parts[objective_id].append(rules_of_progress.Weighted(weight, kr_progress))
        new_progress = {}
        for objective in objectives:
            objective.progress = rules_of_progress.objective_progress(parts[objective.pk]).value
            new_progress[objective.pk] = objective.progress
        Objective.objects.bulk_update(objectives, ["progress"])
        seen |= level
        driven = list(KeyResult.objects.filter(driven_by_objective_id__in=level)
                      .only("pk", "objective_id", "driven_by_objective_id", "progress"))
        for kr in driven:
            kr.progress = new_progress[kr.driven_by_objective_id]
        KeyResult.objects.bulk_update(driven, ["progress"])
        level = {kr.objective_id for kr in driven} - seen
