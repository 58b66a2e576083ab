"""Reads over KPIs shared by the API and the pages: what an actor may see, in querysets that
stay a constant number of queries whatever the company's size.

The visibility here is the set form of `kpis.rules.reads_assignment`: people administrators
(owner, admin, HR) read every assignment; anyone else reads their own, the assignments of the
people in the departments they lead and below (not their own through leadership), the
assignments of departments strictly below one they lead, and every department's and
position's assignment (shared, like department objectives). Call inside the company's scope.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q

from .models import Assignment, KeyResultLink, Measurement


def assignments_with_relations():
    """Assignments with what a list row shows (indicator, cycle, assignee, its department)."""
    return Assignment.objects.select_related(
        "indicator", "cycle", "employee", "employee__department", "department", "position",
        "inherited_from")


def links_prefetch() -> Prefetch:
    """`fed_by` of an assignment: its key-result links with the key result and its owner."""
    return Prefetch("key_result_links", queryset=KeyResultLink.objects.select_related(
        "key_result", "key_result__owner").order_by("pk"))


def sees_all(actor) -> bool:
    return actor is not None and (actor.is_admin or actor.is_hr)


def _employee_pk(actor):
    employee = actor.employee if actor is not None else None
    return employee.pk if employee is not None else None


def own_q(actor) -> Q:
    """The actor's own (employee) assignments."""
    own = _employee_pk(actor)
    return Q(employee_id=own) if own is not None else Q(pk__in=[])


def team_q(actor) -> Q:
    """What the actor leads (`kpis.rules.leads_assignee`): the people of the departments they
    lead and below, except themself, and the departments strictly below one they lead."""
    managed = actor.managed_department_ids if actor is not None else frozenset()
    if not managed:
        return Q(pk__in=[])
    managed = sorted(managed)
    people = Q(employee__department_id__in=managed)
    own = _employee_pk(actor)
    if own is not None:
        people &= ~Q(employee_id=own)
    return people | Q(department__parent_id__in=managed)


def readable_q(actor) -> Q:
    """The condition of `kpis.rules.reads_assignment` for a non-administrator."""
    return own_q(actor) | team_q(actor) | Q(employee__isnull=True)


def visible_assignments(actor, cycle=None):
    """The assignments `actor` (a `core.actor.Actor`, or None → none) may read, optionally of
    one cycle, with indicator, cycle and assignee selected (one query to evaluate). Filter or
    order it further as you need; prefetch `links_prefetch()` for `fed_by`."""
    queryset = assignments_with_relations()
    if cycle is not None:
        queryset = queryset.filter(cycle=cycle)
    if actor is None:
        return queryset.none()
    if sees_all(actor):
        return queryset
    return queryset.filter(readable_q(actor))


def mine(queryset, actor):
    """Narrow an assignment queryset to the actor's own."""
    return queryset.filter(own_q(actor))


def team(queryset, actor):
    """Narrow an assignment queryset to what the actor leads (see `team_q`)."""
    return queryset.filter(team_q(actor))


def visible_measurements(actor, assignment=None):
    """Measurements of the assignments the actor may read, with their trace selected."""
    queryset = Measurement.objects.select_related(
        "link", "link__key_result", "check_in", "recorded_by")
    if assignment is not None:
        queryset = queryset.filter(assignment=assignment)
    if actor is None:
        return queryset.none()
    if sees_all(actor):
        return queryset
    return queryset.filter(assignment__in=visible_assignments(actor).values("pk"))


def visible_links(actor):
    """Key-result links of the assignments the actor may read."""
    queryset = KeyResultLink.objects.select_related(
        "key_result", "key_result__owner", "assignment", "assignment__indicator")
    if actor is None:
        return queryset.none()
    if sees_all(actor):
        return queryset
    return queryset.filter(assignment__in=visible_assignments(actor).values("pk"))
