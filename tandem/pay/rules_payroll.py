"""Who may do what with payroll runs, payslips and one-off pay items. Salary data: HR,
finance and the employee themself only (DESIGN.md).

HR prepares: creates a run, enters pay items and year-to-date openings, calculates, deletes
a draft. Finance approves and marks paid: the person who prepared the money does not also
release it (four eyes; a startup with one people person gives someone else the finance role,
or gives that person both roles knowingly). HR may also mark a run paid, as it is often HR
who hears from the bank. An employee reads their own payslips once the run is approved."""

import rules

from tandem.core.permissions import is_finance, is_hr, is_member

from .models import LOCKED_STATUSES
from .rules_records import owns_pay_record, reads_all_pay


@rules.predicate
def own_released_payslip(user, payslip) -> bool:
    """The payslip is the caller's and its run is approved or paid (a draft is HR's work in
    progress). For the collection, true for every member: the list filters."""
    if payslip is None:
        return owns_pay_record(user, None)
    return owns_pay_record(user, payslip) and payslip.run.status in LOCKED_STATUSES


@rules.predicate
def is_collection(user, obj) -> bool:
    return obj is None


# Asked of the collection before the run is looked up, so every member passes there and
# another company's run is a 404 rather than a 403; the run itself is HR's and finance's.
rules.add_perm("pay.view_payrollrun", is_member & (is_collection | reads_all_pay))
rules.add_perm("pay.list_payrollrun", is_member & reads_all_pay)
rules.add_perm("pay.add_payrollrun", is_member & is_hr)
for verb in ("calculate", "delete"):
    rules.add_perm(f"pay.{verb}_payrollrun", is_member & is_hr)
rules.add_perm("pay.approve_payrollrun", is_member & is_finance)
rules.add_perm("pay.mark_paid_payrollrun", is_member & reads_all_pay)

rules.add_perm("pay.view_payslip", is_member & (reads_all_pay | own_released_payslip))

rules.add_perm("pay.view_payitem", is_member & (reads_all_pay | owns_pay_record))
rules.add_perm("pay.view_yeartodateopening", is_member & (reads_all_pay | owns_pay_record))
for model in ("payitem", "yeartodateopening"):
    for verb in ("add", "change", "delete"):
        rules.add_perm(f"pay.{verb}_{model}", is_member & is_hr)


def visible_payslips(queryset, actor):
    """The payslips the actor may read: all for HR and finance, else their own of approved
    and paid runs."""
    if actor is not None and (actor.is_hr or actor.is_finance):
        return queryset
    employee = actor.employee if actor is not None else None
    if employee is None:
        return queryset.none()
    return queryset.filter(employee=employee, run__status__in=LOCKED_STATUSES)
