"""Operations on the org chart. Views, API, imports and the demo generator call these; each
one validates, writes in one transaction and records job history where the rules say.

Given an `actor` (core.actor.Actor), the writes that a department leader may make also check
what this actor may change, through `check_department_change` and `check_employee_change`:
the same two functions the page forms ask, so the rule lives in one place.

Updates are versioned (core.versioning): `version` is the version the edit started from (the
one the user read; by default the one of the instance passed in). When someone saved the
record since, the update raises `EditConflict` and writes nothing."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.models import Company
from tandem.core.permissions import is_people_admin
from tandem.core.versioning import claim_version

from .models import (
    EMPLOYMENT_DATES,
    JOB_FIELDS,
    PRIVATE_FIELDS,
    Department,
    Employee,
    EmployeeStatus,
    JobChange,
    JobHistory,
    Position,
)
from .selectors import subtree_ids


def _attribute(instance, by) -> None:
    """Name the user in the change history (simple-history) even outside a web request:
    API calls authenticated by token, imports, tasks."""
    instance._history_user = by if by is not None and by.is_authenticated else None


# ---------------------------------------------------------------------------------------------
# What an actor may change. HR and administrators change anything their role allows; a
# department leader works inside the subtree they lead. Permissions are asked of the actor's
# user (the `rules` of core.permissions, which read the actor `resolve_actor` attached to it).


class FieldsRefused(PermissionDenied):
    """The actor may change this record, but not these fields of it. `errors` gives each
    refused field its reason; `detail` says what the actor may change instead."""

    def __init__(self, detail: str, errors: dict[str, list[str]]):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


def _require_perm(actor, perm: str, obj=None) -> None:
    if not actor.user.has_perm(perm, obj):
        raise PermissionDenied


def _changed(instance, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes whose value differs from the record's (all of them for a new record)."""
    if instance is None:
        return dict(changes)
    return {name: value for name, value in changes.items() if getattr(instance, name) != value}


def _pickable_by(actor, employee: Employee) -> bool:
    """Someone a department leader may name as a leader or manager: a person in their
    subtree, or themself."""
    own = actor.employee
    return employee.department_id in actor.managed_department_ids or (
        own is not None and employee.pk == own.pk
    )


def check_department_change(actor, *, department: Department | None,
                            changes: dict[str, Any]) -> None:
    """May `actor` create (`department` None) or change a department with these field values?

    A department leader keeps what they create or move inside the subtree they lead and picks
    leaders from it; the department at the top of their subtree keeps its place and its leader,
    which are decided above them. Raises PermissionDenied when the actor may not create or
    change the department at all, and ValidationError on the fields whose value is not theirs
    to choose."""
    if department is None:
        _require_perm(actor, "org.add_department")
    else:
        _require_perm(actor, "org.change_department", department)
    if is_people_admin(actor.user):
        return
    changed = {name: value for name, value in _changed(department, changes).items()
               if name in ("parent", "leader")}
    if department is None:
        changed.setdefault("parent", None)
    _check_department_within_led_subtree(actor, department, changed)


def _check_department_within_led_subtree(actor, department: Department | None,
                                         changed: dict[str, Any]) -> None:
    led = actor.managed_department_ids
    errors = {}
    if department is not None and department.parent_id not in led:
        message = _("Where the top department you lead sits, and who leads it, is decided "
                    "above you.")
        errors = {name: [message] for name in changed}
    else:
        if "parent" in changed and (changed["parent"] is None or changed["parent"].pk not in led):
            errors["parent"] = [_("Choose a parent among the departments you lead.")]
        leader = changed.get("leader")
        if leader is not None and not _pickable_by(actor, leader):
            errors["leader"] = [_("Choose a leader from the departments you lead.")]
    if errors:
        raise ValidationError(errors)


def check_employee_change(actor, *, employee: Employee | None,
                          changes: dict[str, Any]) -> None:
    """May `actor` hire someone (`employee` None) or change an employee with these values?

    HR and administrators change every field. A department leader changes only the
    department, position and manager of the people in their subtree, and keeps them inside
    it. Raises PermissionDenied when the actor may not touch the record, FieldsRefused naming
    the other fields they tried to change, and ValidationError on the job fields whose new
    value lies outside their subtree."""
    if employee is None:
        _require_perm(actor, "org.add_employee")
        return
    _require_perm(actor, "org.change_employee", employee)
    if is_people_admin(actor.user):
        return
    changed = _changed(employee, changes)
    refused = {
        name: [_("Only HR and administrators can change private fields.")
               if name in PRIVATE_FIELDS
               else _("Only HR and administrators can change this field.")]
        for name in changed if name not in JOB_FIELDS
    }
    if refused:
        raise FieldsRefused(
            _("As their manager you may change only the department, position and manager."),
            refused,
        )
    _check_job_within_led_subtree(actor, changed)


def _check_job_within_led_subtree(actor, changed: dict[str, Any]) -> None:
    """A leader moves people only among the departments they lead, to positions of those
    departments (or of none), under managers from their subtree."""
    led = actor.managed_department_ids
    department, position, manager = (changed.get(name) for name in JOB_FIELDS)
    errors = {}
    if department is not None and department.pk not in led:
        errors["department"] = [_("Choose one of the departments you lead.")]
    if position is not None and position.department_id not in (None, *led):
        errors["position"] = [_("Choose a position of the departments you lead, or one open "
                                "to any department.")]
    if manager is not None and not _pickable_by(actor, manager):
        errors["manager"] = [_("Choose a manager from the departments you lead.")]
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# Departments


def _check_department_parent(department: Department, parent: Department | None) -> None:
    if parent is None or department.pk is None:
        return
    if parent.pk in subtree_ids(department.company, [department.pk]):
        raise ValidationError(
            {"parent": _("A department cannot move under itself or one of its sub-departments.")}
        )


def _check_unique_name(department: Department) -> None:
    # The database constraint cannot see duplicates among top-level departments (NULL parent).
    siblings = Department.objects.filter(parent=department.parent, name=department.name)
    if department.pk is not None:
        siblings = siblings.exclude(pk=department.pk)
    if siblings.exists():
        raise ValidationError({"name": _("A department with this name already exists here.")})


def _check_leader(department: Department) -> None:
    leader = department.leader
    if leader is not None and leader.status == EmployeeStatus.LEFT:
        raise ValidationError({"leader": _("Someone who has left cannot lead a department.")})


@transaction.atomic
def create_department(*, company: Company, name: str, name_en: str = "",
                      parent: Department | None = None, leader: Employee | None = None,
                      by=None, actor=None) -> Department:
    """Add a department; with `actor`, only where they may (see `check_department_change`)."""
    by = by if by is not None else getattr(actor, "user", None)
    if actor is not None:
        check_department_change(actor, department=None,
                                changes={"name": name, "name_en": name_en, "parent": parent,
                                         "leader": leader})
    department = Department(company=company, name=name, name_en=name_en, parent=parent, leader=leader)
    _check_leader(department)
    _check_unique_name(department)
    department.full_clean()
    _attribute(department, by)
    department.save()
    return department


@transaction.atomic
def update_department(*, department: Department, by=None, actor=None,
                      version: int | None = None, **changes: Any) -> Department:
    """Rename, move (never under its own subtree) or change the leader; with `actor`, only as
    far as they may (see `check_department_change`)."""
    allowed = {"name", "name_en", "parent", "leader"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown department fields: {sorted(unknown)}")
    by = by if by is not None else getattr(actor, "user", None)
    if actor is not None:
        check_department_change(actor, department=department, changes=changes)
    if "parent" in changes:
        _check_department_parent(department, changes["parent"])
    for name, value in changes.items():
        setattr(department, name, value)
    _check_leader(department)
    _check_unique_name(department)
    department.full_clean()
    claim_version(department, version)
    _attribute(department, by)
    department.save()
    return department


@transaction.atomic
def delete_department(*, department: Department, by=None) -> None:
    if department.children.exists():
        raise ValidationError(_("Move or delete the sub-departments first."))
    if department.employees.exists():
        raise ValidationError(_("Move this department's people to another department first."))
    if department.positions.exists():
        raise ValidationError(_("Move or delete this department's positions first."))
    if JobHistory.objects.filter(department=department).exists():
        raise ValidationError(
            _("People's job history refers to this department, so it is kept for the record.")
        )
    _attribute(department, by)
    department.delete()


# ---------------------------------------------------------------------------------------------
# Positions


@transaction.atomic
def create_position(*, company: Company, title: str, title_en: str = "",
                    department: Department | None = None, description: str = "",
                    by=None) -> Position:
    position = Position(company=company, title=title, title_en=title_en, department=department,
                        description=description)
    position.full_clean()
    _attribute(position, by)
    position.save()
    return position


@transaction.atomic
def update_position(*, position: Position, by=None, version: int | None = None,
                    **changes: Any) -> Position:
    for name, value in changes.items():
        setattr(position, name, value)
    position.full_clean()
    claim_version(position, version)
    _attribute(position, by)
    position.save()
    return position


@transaction.atomic
def delete_position(*, position: Position, by=None) -> None:
    if position.employees.exists():
        raise ValidationError(_("People still hold this position; give them another one first."))
    _attribute(position, by)
    position.delete()


# ---------------------------------------------------------------------------------------------
# Employees


def _check_manager(employee: Employee) -> None:
    """The manager chain must not come back to the employee."""
    manager = employee.manager
    if manager is None:
        return
    if employee.pk is not None and manager.pk == employee.pk:
        raise ValidationError({"manager": _("Nobody can be their own manager.")})
    if manager.status == EmployeeStatus.LEFT:
        raise ValidationError({"manager": _("Someone who has left cannot be a manager.")})
    if employee.pk is None:
        return
    managers = dict(Employee.objects.filter(manager__isnull=False).values_list("pk", "manager_id"))
    seen = {employee.pk}
    current = manager.pk
    while current is not None:
        if current in seen:
            raise ValidationError(
                {"manager": _("This manager reports, directly or not, to this employee.")}
            )
        seen.add(current)
        current = managers.get(current)


def _record_job(employee: Employee, change: str, effective_date: date, by, note: str = "") -> None:
    JobHistory.objects.create(
        company=employee.company, employee=employee, effective_date=effective_date, change=change,
        department=employee.department, position=employee.position, manager=employee.manager,
        note=note, recorded_by=by if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def create_employee(*, company: Company, by=None, actor=None, **fields: Any) -> Employee:
    """Hire someone: the employee row and the first job history entry (dated the hire date).
    With `actor`, only when they may (see `check_employee_change`)."""
    by = by if by is not None else getattr(actor, "user", None)
    if actor is not None:
        check_employee_change(actor, employee=None, changes=fields)
    employee = Employee(company=company, **fields)
    employee.full_clean()
    _check_manager(employee)
    _attribute(employee, by)
    employee.save()
    _record_job(employee, JobChange.HIRE, employee.hire_date, by)
    return employee


def _job_change_kind(changed: set[str]) -> str:
    if "department" in changed:
        return JobChange.TRANSFER
    if "position" in changed:
        return JobChange.POSITION
    return JobChange.MANAGER


@transaction.atomic
def update_employee(*, employee: Employee, by=None, actor=None, version: int | None = None,
                    effective_date: date | None = None, note: str = "",
                    **changes: Any) -> Employee:
    """Edit an employee. A change of department, position or manager adds a job history entry
    that takes effect on `effective_date` (today when not given); leaving adds an exit entry.
    With `actor`, only the changes they may make (see `check_employee_change`)."""
    by = by if by is not None else getattr(actor, "user", None)
    if actor is not None:
        check_employee_change(actor, employee=employee, changes=changes)
    before = {name: getattr(employee, f"{name}_id") for name in JOB_FIELDS}
    was_left = employee.status == EmployeeStatus.LEFT
    for name, value in changes.items():
        setattr(employee, name, value)
    employee.full_clean()
    _check_manager(employee)
    if effective_date is not None and effective_date < employee.hire_date:
        raise ValidationError({"effective_date": _("A change cannot take effect before the hire date.")})
    if effective_date is not None:
        try:
            EMPLOYMENT_DATES(effective_date)
        except ValidationError as error:
            raise ValidationError({"effective_date": error.messages}) from None
    claim_version(employee, version)
    _attribute(employee, by)
    employee.save()
    changed = {name for name in JOB_FIELDS if getattr(employee, f"{name}_id") != before[name]}
    today = timezone.localdate()
    if changed:
        _record_job(employee, _job_change_kind(changed), effective_date or today, by, note)
    if employee.status == EmployeeStatus.LEFT and not was_left:
        _record_job(employee, JobChange.EXIT, employee.leave_date or today, by, note)
    return employee


@transaction.atomic
def delete_employee(*, employee: Employee, by=None) -> None:
    """Remove a record entered by mistake. People who worked here are kept and marked as left."""
    if employee.reports.exists():
        raise ValidationError(_("Others report to this person; give them another manager first."))
    if employee.led_departments.exists():
        raise ValidationError(_("This person leads a department; choose another leader first."))
    _attribute(employee, by)
    employee.delete()
