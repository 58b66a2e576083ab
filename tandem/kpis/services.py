"""Operations on KPIs: the library, assignments (to a person, a department or a position, one
by one or in bulk), position KPI sets, and measurements. Each validates, checks what the
`actor` (core.actor.Actor) may do when one is given, writes in one transaction and refreshes
the cached figures (`kpis.compute`). Key-result links are in `kpis.links`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tandem.core.permissions import is_people_admin
from tandem.core.versioning import claim_version
from tandem.goals.models import Cycle, CycleStatus
from tandem.org.models import Employee, EmployeeStatus, Position

from . import attainment as rules
from .compute import recompute
from .models import (
    Assignment,
    Direction,
    Indicator,
    Measurement,
    MeasurementSource,
    PositionIndicator,
    RuleKind,
)
from .signals import announce_backdated

ONE = Decimal(1)
ZERO = Decimal(0)
INDICATOR_EDITABLE = ("code", "name", "name_en", "description", "unit", "direction",
                      "aggregation", "rule", "capped", "cap", "floor", "bands",
                      "points_per_unit", "category", "tags", "active")
ASSIGNMENT_EDITABLE = ("target", "weight", "threshold_floor", "threshold_stretch", "rule",
                       "cap", "floor", "actual_source", "pace_plan")


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.user.has_perm(perm, obj):
        raise PermissionDenied


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


# ---------------------------------------------------------------------------------------------
# The library


def validate_indicator(indicator: Indicator) -> None:
    """Rules that span fields: a lower-is-better indicator needs a rule that reads lower as
    better, the banded rule a well-formed table, the penalty rule its points."""
    errors: dict[str, list[str]] = {}
    lower = indicator.direction == Direction.LOWER
    if lower and indicator.rule == RuleKind.RATIO:
        errors["rule"] = [_("For a lower-is-better indicator choose the inverse ratio or the "
                            "reverse deviation.")]
    if not lower and indicator.rule in (RuleKind.INVERSE_RATIO, RuleKind.REVERSE_DEVIATION):
        errors["rule"] = [_("This rule is for lower-is-better indicators.")]
    if indicator.rule == RuleKind.BANDED:
        try:
            indicator.bands = normalise_bands(indicator.bands)
        except ValidationError as error:
            errors["bands"] = error.messages
    if indicator.rule == RuleKind.PENALTY and not indicator.points_per_unit:
        errors["points_per_unit"] = [_("Give the points taken off per unit of shortfall.")]
    if not isinstance(indicator.tags, list) or not all(isinstance(t, str) for t in indicator.tags):
        errors["tags"] = [_("Give the tags as a list of words.")]
    if errors:
        raise ValidationError(errors)


def normalise_bands(bands: Any) -> list[list[str]]:
    """[[minimum attainment, score], ...] with Decimal-readable figures, highest first; an
    empty table means the default one."""
    if not bands:
        return []
    if not isinstance(bands, list | tuple):
        raise ValidationError(_("Give the bands as pairs of minimum attainment and score."))
    rows = []
    for band in bands:
        try:
            low, score = (Decimal(str(part)) for part in band)
        except (TypeError, ValueError, InvalidOperation):
            raise ValidationError(
                _("Give the bands as pairs of minimum attainment and score.")) from None
        if low < ZERO or score < ZERO:
            raise ValidationError(_("Band figures cannot be negative."))
        rows.append((low, score))
    if len({low for low, _score in rows}) != len(rows):
        raise ValidationError(_("Two bands start at the same attainment."))
    rows.sort(reverse=True)
    return [[str(low), str(score)] for low, score in rows]


@transaction.atomic
def create_indicator(*, company, actor=None, by=None, **fields) -> Indicator:
    _require(actor, "kpis.add_indicator")
    indicator = Indicator(company=company, **{k: v for k, v in fields.items()
                                              if k in INDICATOR_EDITABLE})
    _save_indicator(indicator, by)
    return indicator


@transaction.atomic
def update_indicator(*, indicator: Indicator, version: int | None = None, actor=None, by=None,
                     **fields) -> Indicator:
    _require(actor, "kpis.change_indicator", indicator)
    for name, value in fields.items():
        if name in INDICATOR_EDITABLE:
            setattr(indicator, name, value)
    if version is not None:
        claim_version(indicator, version)
    _save_indicator(indicator, by)
    # A changed rule or aggregation changes every figure measured with it.
    recompute(indicator.assignments.values_list("pk", flat=True))
    return indicator


def _save_indicator(indicator: Indicator, by) -> None:
    validate_indicator(indicator)
    indicator.full_clean(exclude=["company"], validate_constraints=False)
    if Indicator.objects.filter(code=indicator.code).exclude(pk=indicator.pk).exists():
        raise ValidationError({"code": [_("Another indicator already has this code.")]})
    indicator._history_user = _user(by)
    indicator.save()


@transaction.atomic
def delete_indicator(*, indicator: Indicator, actor=None) -> None:
    _require(actor, "kpis.delete_indicator", indicator)
    if indicator.assignments.exists():
        raise ValidationError(_("This indicator is assigned: deactivate it instead."))
    indicator.delete()


# ---------------------------------------------------------------------------------------------
# Assignments


def may_assign_to(actor, *, employee=None, department=None, position=None) -> bool:
    """HR and administrators anywhere; a leader to the people below them (not themself) and to
    the departments below the ones they lead; positions: HR and administrators."""
    if actor is None or is_people_admin(actor.user):
        return True
    managed = actor.managed_department_ids
    if employee is not None:
        own = actor.employee
        return employee.department_id in managed and (own is None or own.pk != employee.pk)
    if department is not None:
        return department.parent_id in managed
    return False


def _check_target(indicator: Indicator, rule_kind: str, target) -> dict[str, list[str]]:
    if target is None:
        return {"target": [_("Give a target.")]}
    if Decimal(target) == ZERO and (rule_kind or indicator.rule) != RuleKind.PENALTY:
        return {"target": [_("A target of 0 leaves nothing to divide by: give another target "
                             "or use the penalty rule.")]}
    if Decimal(target) < ZERO:
        return {"target": [_("A target cannot be negative.")]}
    return {}


def validate_pace_plan(plan: Any, cycle: Cycle) -> list[list[str]]:
    """[[date, cumulative share], ...] inside the cycle, dates and shares rising, the last share
    1; empty: linear."""
    if not plan:
        return []
    message = _("Give the plan as dates in the cycle with rising cumulative shares ending at "
                "100 %.")
    try:
        rows = sorted((date.fromisoformat(str(day)), Decimal(str(share))) for day, share in plan)
    except (TypeError, ValueError, InvalidOperation):
        raise ValidationError({"pace_plan": [message]}) from None
    shares = [share for _day, share in rows]
    days = [day for day, _share in rows]
    if (len(set(days)) != len(days) or any(not cycle.start <= day <= cycle.end for day in days)
            or shares != sorted(shares) or shares[-1] != ONE or shares[0] < ZERO):
        raise ValidationError({"pace_plan": [message]})
    return [[day.isoformat(), str(share)] for day, share in rows]


def weight_totals(cycle: Cycle, employee_ids: Iterable[int], *, exclude: Iterable[int] = ()
                  ) -> dict[int, Decimal]:
    """Each person's assigned weight in the cycle (their own and inherited assignments)."""
    rows = (Assignment.objects.filter(cycle=cycle, employee_id__in=list(employee_ids))
            .exclude(pk__in=list(exclude)).values("employee_id").annotate(total=Sum("weight")))
    return {row["employee_id"]: row["total"] for row in rows}


def _department_weight(cycle, department, exclude=()) -> Decimal:
    return (Assignment.objects.filter(cycle=cycle, department=department).exclude(pk__in=exclude)
            .aggregate(total=Sum("weight"))["total"] or ZERO)


def _position_weight(cycle, position, exclude=()) -> Decimal:
    return (Assignment.objects.filter(cycle=cycle, position=position).exclude(pk__in=exclude)
            .aggregate(total=Sum("weight"))["total"] or ZERO)


def _over_weight(totals: dict[int, Decimal], weight: Decimal, people) -> dict[str, list[str]]:
    over = [person for person in people if totals.get(person.pk, ZERO) + weight > ONE]
    if not over:
        return {}
    names = "、".join(person.name for person in over[:10])
    return {"weight": [_("The weights of %(names)s would add up to more than 100 %% in this "
                         "cycle.") % {"names": names}]}


def _people_in(position: Position) -> list[Employee]:
    return list(Employee.objects.filter(position=position).exclude(
        status=EmployeeStatus.LEFT).order_by("pk"))


@transaction.atomic
def assign(*, cycle: Cycle, indicator: Indicator, target, weight, employee=None,
           department=None, position=None, actor=None, by=None, **options) -> Assignment:
    """Gives `indicator` for `cycle` to one assignee. A position's assignment is inherited by
    everyone in the position now (and later: `sync_person`)."""
    if sum(x is not None for x in (employee, department, position)) != 1:
        raise ValidationError(_("Assign to one person, one department or one position."))
    if not may_assign_to(actor, employee=employee, department=department, position=position):
        raise PermissionDenied
    assignment = Assignment(
        company=cycle.company, cycle=cycle, indicator=indicator, target=target, weight=weight,
        employee=employee, department=department, position=position, created_by=_user(by),
        **{k: v for k, v in options.items() if k in ASSIGNMENT_EDITABLE},
    )
    _validate_assignment(assignment)
    assignment._history_user = _user(by)
    assignment.save()
    if position is not None:
        _inherit(assignment, _people_in(position))
    recompute([assignment.pk])
    return assignment


def _validate_assignment(assignment: Assignment) -> None:
    errors: dict[str, list[str]] = {}
    cycle, indicator = assignment.cycle, assignment.indicator
    if cycle.status == CycleStatus.CLOSED:
        errors["cycle"] = [_("This cycle is closed.")]
    if not indicator.active and assignment.pk is None:
        errors["indicator"] = [_("This indicator is no longer in use.")]
    errors.update(_check_target(indicator, assignment.rule, assignment.target))
    try:
        assignment.pace_plan = validate_pace_plan(assignment.pace_plan, cycle)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        assignment.full_clean(exclude=["company", "cycle", "indicator", "employee",
                                       "department", "position"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    weight = assignment.weight
    if "weight" not in errors and weight is not None:
        exclude = [assignment.pk] if assignment.pk else []
        if assignment.employee_id:
            errors.update(_over_weight(weight_totals(cycle, [assignment.employee_id],
                                                     exclude=exclude), weight,
                                       [assignment.employee]))
        elif assignment.department_id:
            if _department_weight(cycle, assignment.department, exclude) + weight > ONE:
                errors["weight"] = [_("In this cycle the department's weights would add up "
                                      "to more than 100 %.")]
        else:
            if _position_weight(cycle, assignment.position, exclude) + weight > ONE:
                errors["weight"] = [_("In this cycle the position's weights would add up to "
                                      "more than 100 %.")]
            people = _people_in(assignment.position)
            inherited = [a.pk for a in assignment.inherited.all()] if assignment.pk else []
            errors.update(_over_weight(
                weight_totals(cycle, [p.pk for p in people], exclude=inherited), weight,
                people))
    duplicate = Assignment.objects.filter(
        cycle=cycle, indicator=indicator, employee=assignment.employee_id,
        department=assignment.department_id, position=assignment.position_id,
    ).exclude(pk=assignment.pk)
    if duplicate.exists():
        errors["indicator"] = [_("This indicator is already assigned here in this cycle.")]
    if errors:
        raise ValidationError(errors)


def _inherit(assignment: Assignment, people: Sequence[Employee]) -> list[Assignment]:
    """Employee assignments for `people` that follow the position's `assignment`; people who
    already hold the indicator in the cycle keep theirs."""
    holding = set(Assignment.objects.filter(
        cycle=assignment.cycle, indicator=assignment.indicator,
        employee__in=[p.pk for p in people]).values_list("employee_id", flat=True))
    rows = [
        Assignment(company=assignment.company, cycle=assignment.cycle,
                   indicator=assignment.indicator, employee=person, inherited_from=assignment,
                   **{name: getattr(assignment, name) for name in ASSIGNMENT_EDITABLE},
                   created_by=assignment.created_by)
        for person in people if person.pk not in holding
    ]
    return Assignment.objects.bulk_create(rows)


@transaction.atomic
def bulk_assign(*, cycle: Cycle, indicator: Indicator, target, weight,
                employees: Sequence[Employee], actor=None, by=None, **options
                ) -> list[Assignment]:
    """The same indicator, target and weight to many people at once: all or nothing, with
    every refusal named."""
    people = list({person.pk: person for person in employees}.values())
    if not people:
        raise ValidationError({"employees": [_("Choose at least one person.")]})
    refused = [p for p in people if not may_assign_to(actor, employee=p)]
    if refused:
        raise PermissionDenied
    probe = Assignment(company=cycle.company, cycle=cycle, indicator=indicator, target=target,
                       weight=weight, employee=people[0],
                       **{k: v for k, v in options.items() if k in ASSIGNMENT_EDITABLE})
    errors = _check_target(indicator, probe.rule, target)
    try:
        probe.pace_plan = validate_pace_plan(probe.pace_plan, cycle)
        probe.full_clean(exclude=["company", "cycle", "indicator", "employee", "department",
                                  "position"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if cycle.status == CycleStatus.CLOSED:
        errors["cycle"] = [_("This cycle is closed.")]
    if not errors:
        errors.update(_over_weight(weight_totals(cycle, [p.pk for p in people]),
                                   Decimal(weight), people))
        holding = list(Assignment.objects.filter(cycle=cycle, indicator=indicator,
                                                 employee__in=[p.pk for p in people])
                       .values_list("employee__name", flat=True))
        if holding:
            errors["employees"] = [_("%(names)s already hold this indicator in this cycle.")
                                   % {"names": "、".join(holding[:10])}]
    if errors:
        raise ValidationError(errors)
    rows = [
        Assignment(company=cycle.company, cycle=cycle, indicator=indicator, target=target,
                   weight=weight, employee=person, created_by=_user(by), pace_plan=probe.pace_plan,
                   **{k: v for k, v in options.items()
                      if k in ASSIGNMENT_EDITABLE and k != "pace_plan"})
        for person in people
    ]
    return Assignment.objects.bulk_create(rows)


@transaction.atomic
def update_assignment(*, assignment: Assignment, version: int | None = None, actor=None,
                      by=None, **fields) -> Assignment:
    _require(actor, "kpis.change_assignment", assignment)
    if assignment.inherited_from_id is not None and set(fields) & {"target", "weight"}:
        raise ValidationError(_("This KPI comes with the position: change it there."))
    for name, value in fields.items():
        if name in ASSIGNMENT_EDITABLE:
            setattr(assignment, name, value)
    if version is not None:
        claim_version(assignment, version)
    _validate_assignment(assignment)
    assignment._history_user = _user(by)
    assignment.save()
    if assignment.position_id is not None:
        assignment.inherited.update(**{name: getattr(assignment, name)
                                       for name in ASSIGNMENT_EDITABLE})
        recompute(assignment.inherited.values_list("pk", flat=True))
    recompute([assignment.pk])
    return assignment


@transaction.atomic
def delete_assignment(*, assignment: Assignment, actor=None) -> None:
    """Deletes the assignment with its measurements (a position's: its people's too)."""
    _require(actor, "kpis.delete_assignment", assignment)
    if assignment.cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("This cycle is closed."))
    assignment.delete()


@transaction.atomic
def sync_person(employee: Employee) -> None:
    """Keeps a person's inherited KPIs in step with their position: the position's
    assignments of cycles still open are theirs; those inherited from another position go,
    unless they already hold figures (then they stay, as history)."""
    open_cycles = Cycle.objects.exclude(status=CycleStatus.CLOSED)
    stale = Assignment.objects.filter(employee=employee, inherited_from__isnull=False,
                                      cycle__in=open_cycles)
    if employee.position_id is not None and employee.status != EmployeeStatus.LEFT:
        stale = stale.exclude(inherited_from__position=employee.position_id)
    stale.filter(measurements__isnull=True).delete()
    if employee.position_id is None or employee.status == EmployeeStatus.LEFT:
        return
    for assignment in Assignment.objects.filter(position=employee.position_id,
                                                cycle__in=open_cycles):
        _inherit(assignment, [employee])


# ---------------------------------------------------------------------------------------------
# Position KPI sets


@transaction.atomic
def set_position_kpis(*, position: Position, lines: Sequence[dict], actor=None
                      ) -> list[PositionIndicator]:
    """Replaces the position's default KPI set. `lines`: dicts with indicator, target, weight
    and optional thresholds; the weights add up to 100 %."""
    if actor is not None and not is_people_admin(actor.user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    indicators = [line["indicator"] for line in lines]
    if len({i.pk for i in indicators}) != len(indicators):
        errors["lines"] = [_("An indicator appears twice in the set.")]
    total = sum((Decimal(line["weight"]) for line in lines), ZERO)
    if lines and total != ONE:
        errors["weight"] = [_("The weights add up to %(total)s, not 100 %%.")
                            % {"total": rules.percent(total)}]
    for line in lines:
        for field, messages in _check_target(line["indicator"], "", line.get("target")).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    position.kpi_set.all().delete()
    return PositionIndicator.objects.bulk_create([
        PositionIndicator(company=position.company, position=position,
                          indicator=line["indicator"], target=line["target"],
                          weight=line["weight"],
                          threshold_floor=line.get("threshold_floor"),
                          threshold_stretch=line.get("threshold_stretch"))
        for line in lines
    ])


@transaction.atomic
def apply_position_sets(*, cycle: Cycle, positions: Iterable[Position] | None = None,
                        actor=None, by=None) -> list[Assignment]:
    """Gives each position its default KPI set for `cycle` (positions that already have an
    assignment of an indicator keep it), inherited by everyone in them."""
    if actor is not None and not is_people_admin(actor.user):
        raise PermissionDenied
    lines = PositionIndicator.objects.select_related("indicator", "position")
    if positions is not None:
        lines = lines.filter(position__in=[p.pk for p in positions])
    existing = set(Assignment.objects.filter(cycle=cycle, position__isnull=False)
                   .values_list("position_id", "indicator_id"))
    created = []
    for line in lines:
        if (line.position_id, line.indicator_id) in existing:
            continue
        created.append(assign(cycle=cycle, indicator=line.indicator, target=line.target,
                              weight=line.weight, position=line.position,
                              threshold_floor=line.threshold_floor,
                              threshold_stretch=line.threshold_stretch, by=by))
    return created


# ---------------------------------------------------------------------------------------------
# Measurements


def check_measurement(assignment: Assignment, day, value) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if assignment.position_id is not None:
        errors["assignment"] = [_("A position's KPI is measured on each of its people.")]
    cycle = assignment.cycle
    if cycle.status == CycleStatus.CLOSED:
        errors["assignment"] = [_("This cycle is closed.")]
    if not isinstance(day, date):
        errors["date"] = [_("Give a date.")]
    elif not cycle.start <= day <= cycle.end:
        errors["date"] = [_("Give a date in the cycle (%(start)s – %(end)s).")
                          % {"start": cycle.start, "end": cycle.end}]
    if value is None:
        errors["value"] = [_("Give a value.")]
    else:
        try:
            number = Decimal(value)
            if not number.is_finite() or abs(number) >= Decimal("1e14"):
                raise InvalidOperation
        except (InvalidOperation, TypeError, ValueError):
            errors["value"] = [_("Give a number.")]
    return errors


@transaction.atomic
def record_measurements(*, rows: Sequence[dict], source: str = MeasurementSource.MANUAL,
                        actor=None, by=None) -> list[Measurement]:
    """Records figures (dicts with assignment, date, value, optional note) all or nothing;
    errors are keyed by row index ("0.value") when there are several rows."""
    if source == MeasurementSource.KEY_RESULT:
        raise ValueError("Key-result measurements come from check-ins (kpis.links).")
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        assignment = row["assignment"]
        if actor is not None and not actor.user.has_perm("kpis.add_measurement", assignment):
            raise PermissionDenied
        for field, messages in check_measurement(assignment, row.get("date"),
                                                  row.get("value")).items():
            errors[field if len(rows) == 1 else f"{index}.{field}"] = messages
    if errors:
        raise ValidationError(errors)
    created = Measurement.objects.bulk_create([
        Measurement(company=row["assignment"].company, assignment=row["assignment"],
                    date=row["date"], value=Decimal(row["value"]).quantize(Decimal("0.0001")),
                    source=source, note=(row.get("note") or "")[:200], recorded_by=_user(by))
        for row in rows
    ])
    recompute({row["assignment"].pk for row in rows})
    announce_backdated({row["assignment"].cycle_id for row in rows},
                       (measurement.date for measurement in created))
    return created


def record_measurement(*, assignment: Assignment, date, value, note: str = "",
                       source: str = MeasurementSource.MANUAL, actor=None, by=None
                       ) -> Measurement:
    return record_measurements(rows=[{"assignment": assignment, "date": date, "value": value,
                                      "note": note}], source=source, actor=actor, by=by)[0]


@transaction.atomic
def delete_measurement(*, measurement: Measurement, actor=None) -> None:
    """Figures entered by mistake can go; those from a key result go with their link."""
    assignment = measurement.assignment
    _require(actor, "kpis.add_measurement", assignment)
    if measurement.source == MeasurementSource.KEY_RESULT:
        raise ValidationError(_("This figure comes from a key result's check-in: remove the "
                                "link instead."))
    if assignment.cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("This cycle is closed."))
    measurement.delete()
    recompute([assignment.pk])
    announce_backdated([assignment.cycle_id], [measurement.date])


def assignments_by_person(cycle: Cycle, employee_ids: Iterable[int]) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for assignment in (Assignment.objects.filter(cycle=cycle, employee_id__in=list(employee_ids))
                       .select_related("indicator")):
        out[assignment.employee_id].append(assignment)
    return out
