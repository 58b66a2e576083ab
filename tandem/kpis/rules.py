"""Who may do what with KPIs (the `rules` app imports this module at start-up).

The library is the company's: every member reads it, HR and administrators keep it.
A person's assignment is read by the person, the leaders of their department and of the
departments above it, and HR and administrators; a department's or a position's assignment
by every member (like department objectives). HR and administrators assign anywhere; a
leader assigns to the people and departments below them (not to themself or to the department
they lead at the top). Figures are recorded by those who may assign: a KPI is a result
measure, so its owner does not type their own figures — they arrive from linked key results,
imports and the API."""

import rules

from tandem.core.actor import actor_of
from tandem.core.permissions import is_member, is_people_admin


def _managed(user) -> frozenset[int]:
    actor = actor_of(user)
    return actor.managed_department_ids if actor is not None else frozenset()


def _employee_pk(user):
    actor = actor_of(user)
    employee = actor.employee if actor is not None else None
    return employee.pk if employee is not None else None


@rules.predicate
def is_own_assignment(user, assignment) -> bool:
    own = _employee_pk(user)
    return assignment is not None and own is not None and assignment.employee_id == own


@rules.predicate
def leads_assignee(user, assignment) -> bool:
    """A leader of the person's department or one above it (not the person themself), or of a
    department strictly above the assigned department."""
    if assignment is None:
        return False
    managed = _managed(user)
    if assignment.employee_id is not None:
        employee = assignment.employee
        return employee.pk != _employee_pk(user) and employee.department_id in managed
    if assignment.department_id is not None:
        return assignment.department.parent_id in managed
    return False


@rules.predicate
def is_shared_assignment(user, assignment) -> bool:
    return assignment is not None and assignment.employee_id is None


reads_assignment = is_people_admin | is_own_assignment | leads_assignee | (
    is_member & is_shared_assignment)
manages_assignment = is_people_admin | leads_assignee

rules.add_perm("kpis.view_indicator", is_member)
rules.add_perm("kpis.add_indicator", is_people_admin)
rules.add_perm("kpis.change_indicator", is_people_admin)
rules.add_perm("kpis.delete_indicator", is_people_admin)

rules.add_perm("kpis.view_assignment", reads_assignment)
rules.add_perm("kpis.add_assignment", is_member)  # the services check the assignee
rules.add_perm("kpis.change_assignment", manages_assignment)
rules.add_perm("kpis.delete_assignment", manages_assignment)
rules.add_perm("kpis.add_measurement", manages_assignment)
rules.add_perm("kpis.view_positionindicator", is_member)
rules.add_perm("kpis.change_positionindicator", is_people_admin)
