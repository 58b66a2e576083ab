"""Who may read and write the Pay data (salary profiles, deduction declarations, attendance
summaries, city policies). Salary data: HR, finance and the employee themself only (DESIGN.md)
— not administrators as such, and not managers: a leader does not see their reports' pay.
HR writes; finance and the employee read. Imported at start-up by `pay.admin`, and by the
services and API that ask these permissions."""

import rules

from tandem.core.actor import actor_of
from tandem.core.permissions import is_finance, is_hr, is_member, is_people_admin


@rules.predicate
def owns_pay_record(user, record) -> bool:
    """The record (anything with an `employee_id`) is the caller's own. For the collection
    (no record) true for every member: the list then shows only what they may read."""
    actor = actor_of(user)
    if actor is None:
        return False
    if record is None:
        return True
    employee = actor.employee
    return employee is not None and record.employee_id == employee.pk


reads_all_pay = is_hr | is_finance

for model in ("salaryprofile", "deductiondeclaration", "attendancesummary"):
    rules.add_perm(f"pay.view_{model}", is_member & (reads_all_pay | owns_pay_record))
    for verb in ("add", "change", "delete"):
        rules.add_perm(f"pay.{verb}_{model}", is_hr)

# Reference data, public inside every company; staff maintain it in the admin.
rules.add_perm("pay.view_citypolicy", is_member)

# The company's work-injury class rates: a company setting (no one's pay) every member may
# read, kept by HR and administrators.
rules.add_perm("pay.view_companyworkinjuryrate", is_member)
for verb in ("add", "change", "delete"):
    rules.add_perm(f"pay.{verb}_companyworkinjuryrate", is_people_admin)


def reads_all_pay_of(actor) -> bool:
    return actor is not None and (actor.is_hr or actor.is_finance)


def visible_pay_records(queryset, actor):
    """The rows of `queryset` (with an `employee`) the actor may read."""
    if reads_all_pay_of(actor):
        return queryset
    employee = actor.employee if actor is not None else None
    if employee is None:
        return queryset.none()
    return queryset.filter(employee=employee)
