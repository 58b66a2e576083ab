"""Who may do what: predicates over the request's `Actor` (see `core.actor`), used by pages, the
API and the admin alike. Permission names follow Django's `app.verb_model`."""

import rules

from .actor import actor_of


@rules.predicate
def is_member(user) -> bool:
    return actor_of(user) is not None


@rules.predicate
def is_admin(user) -> bool:
    actor = actor_of(user)
    return bool(actor and actor.is_admin)


@rules.predicate
def is_hr(user) -> bool:
    actor = actor_of(user)
    return bool(actor and actor.is_hr)


@rules.predicate
def is_finance(user) -> bool:
    actor = actor_of(user)
    return bool(actor and actor.is_finance)


@rules.predicate
def is_manager(user) -> bool:
    actor = actor_of(user)
    return bool(actor and actor.is_manager)


@rules.predicate
def is_self(user, employee) -> bool:
    return employee is not None and employee.user_id is not None and employee.user_id == user.pk


@rules.predicate
def manages_employee(user, employee) -> bool:
    """A department leader manages everyone in their subtree, except themself."""
    actor = actor_of(user)
    if actor is None or employee is None or is_self(user, employee):
        return False
    return employee.department_id in actor.managed_department_ids


@rules.predicate
def manages_department(user, department) -> bool:
    actor = actor_of(user)
    if actor is None or department is None:
        return False
    return department.pk in actor.managed_department_ids


is_people_admin = is_admin | is_hr

# Company and memberships.
rules.add_perm("core.view_company", is_member)
rules.add_perm("core.change_company", is_admin)

# Org chart: everyone in the company sees the directory; HR and admins maintain it; a leader
# maintains their own subtree (the services keep the result inside it).
rules.add_perm("org.view_department", is_member)
rules.add_perm("org.add_department", is_people_admin | is_manager)
rules.add_perm("org.change_department", is_people_admin | manages_department)
rules.add_perm("org.delete_department", is_people_admin)

rules.add_perm("org.view_position", is_member)
rules.add_perm("org.add_position", is_people_admin)
rules.add_perm("org.change_position", is_people_admin)
rules.add_perm("org.delete_position", is_people_admin)

rules.add_perm("org.view_employee", is_member)
rules.add_perm("org.add_employee", is_people_admin)
rules.add_perm("org.change_employee", is_people_admin | manages_employee)
rules.add_perm("org.delete_employee", is_people_admin)
# Identity number, birth date, home address, emergency contact: HR work and payroll only.
rules.add_perm("org.view_employee_private", is_people_admin | is_finance | is_self)
rules.add_perm("org.change_employee_private", is_people_admin)
rules.add_perm("org.view_employee_history", is_people_admin | manages_employee | is_self)
