"""Who may do what with OKRs (the `rules` app imports this module at start-up).

Everyone in the company reads every objective and key result: OKRs are public inside the
company so that people can align to each other. Employees write their own, a department leader
those of the departments and people they lead, HR and administrators all. Individual objectives
are approved by the owner's manager (a leader of a department above them) or HR; department
objectives by the leader of an enclosing department or HR; company objectives by
administrators."""

import rules

from tandem.core.actor import actor_of
from tandem.core.permissions import is_admin, is_member, is_people_admin

from .models import Level


def _employee_pk(user):
    actor = actor_of(user)
    employee = actor.employee if actor is not None else None
    return employee.pk if employee is not None else None


def _managed(user) -> frozenset[int]:
    actor = actor_of(user)
    return actor.managed_department_ids if actor is not None else frozenset()


@rules.predicate
def owns_objective(user, objective) -> bool:
    if objective is None:
        return False
    if objective.level == Level.INDIVIDUAL:
        own = _employee_pk(user)
        return own is not None and objective.owner_employee_id == own
    if objective.level == Level.DEPARTMENT:
        return objective.owner_department_id in _managed(user)
    return False


@rules.predicate
def reviews_objective(user, objective) -> bool:
    """The owner's manager: a leader of a department at or above the owner's own, not the
    owner themself; for a department objective, a leader of a department above it."""
    if objective is None:
        return False
    managed = _managed(user)
    if objective.level == Level.INDIVIDUAL:
        owner = objective.owner_employee
        return owner.pk != _employee_pk(user) and owner.department_id in managed
    if objective.level == Level.DEPARTMENT:
        return objective.owner_department.parent_id in managed
    return False


@rules.predicate
def is_company_objective(user, objective) -> bool:
    return objective is not None and objective.level == Level.COMPANY


def _objective_of(key_result):
    return key_result.objective if key_result is not None else None


may_change_objective = is_people_admin | (
    ~is_company_objective & (owns_objective | reviews_objective))


@rules.predicate
def owns_key_result(user, key_result) -> bool:
    if key_result is None:
        return False
    own = _employee_pk(user)
    return (own is not None and key_result.owner_id == own) or owns_objective(
        user, _objective_of(key_result))


@rules.predicate
def may_change_objective_of(user, key_result) -> bool:
    return key_result is not None and may_change_objective.test(user, key_result.objective)



rules.add_perm("goals.view_cycle", is_member)
rules.add_perm("goals.add_cycle", is_people_admin)
rules.add_perm("goals.change_cycle", is_people_admin)
rules.add_perm("goals.delete_cycle", is_people_admin)

rules.add_perm("goals.view_objective", is_member)
rules.add_perm("goals.add_objective", is_member)  # the services check the owner
rules.add_perm("goals.change_objective", may_change_objective)
rules.add_perm("goals.delete_objective", may_change_objective)
rules.add_perm("goals.submit_objective",
               is_people_admin | (~is_company_objective & owns_objective))
rules.add_perm("goals.approve_objective",
               (is_company_objective & is_admin)
               | (~is_company_objective & (is_people_admin | reviews_objective)))

rules.add_perm("goals.view_keyresult", is_member)
rules.add_perm("goals.add_keyresult", is_member)  # the services check the objective
rules.add_perm("goals.change_keyresult", may_change_objective_of)
rules.add_perm("goals.delete_keyresult", may_change_objective_of)
rules.add_perm("goals.check_in_keyresult", is_people_admin | owns_key_result)
rules.add_perm("goals.view_checkin", is_member)
