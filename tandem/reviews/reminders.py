"""Deadline reminders of the review steps, sent by the daily task (`reviews.tasks`): two days
before a step's deadline, on the day, and the day after it passed, to whoever still has the
step to do — the person (self assessment, acknowledgement) or the reviewer (manager
assessment); HR for calibration. One notification call per cycle and step, so the cost does
not grow with the number of people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django_scopes import scopes_disabled

from tandem.core.models import Membership, Role
from tandem.core.notifications import notify
from tandem.org.models import Employee

from . import notifications
from .models import CycleStatus, ReviewCycle, Stage

# Days before the deadline (negative: after it) on which a reminder goes out.
REMIND_ON = (2, 0, -1)

KINDS = {"self": notifications.REMIND_SELF, "manager": notifications.REMIND_MANAGER,
         "calibration": notifications.REMIND_CALIBRATION,
         "acknowledgement": notifications.REMIND_ACKNOWLEDGEMENT}


@dataclass
class Sent:
    cycles: int = 0
    notifications: int = 0


def _due(deadline: date | None, today: date) -> bool:
    return deadline is not None and (deadline - today).days in REMIND_ON


def _send(cycle: ReviewCycle, step: str, people, deadline: date) -> int:
    rows = notify(company=cycle.company, recipients=people, kind=KINDS[step].key,
                  params={"cycle": cycle.name, "due": deadline.isoformat()},
                  url="/reviews/" if step != "calibration" else f"/reviews/cycles/{cycle.pk}/")
    return len(rows)


def send_reminders(today: date) -> Sent:
    sent = Sent()
    with scopes_disabled():
        cycles = ReviewCycle.objects.filter(
            status__in=[CycleStatus.ASSESSMENT, CycleStatus.CALIBRATION,
                        CycleStatus.PUBLISHED]).select_related("company")
        for cycle in cycles:
            sent.cycles += 1
            sent.notifications += _cycle_reminders(cycle, today)
    return sent


def _cycle_reminders(cycle: ReviewCycle, today: date) -> int:
    count = 0
    reviews = cycle.reviews.all()
    if cycle.status == CycleStatus.ASSESSMENT:
        if cycle.self_assessment and _due(cycle.self_deadline, today):
            people = Employee.objects.filter(pk__in=reviews.filter(stage=Stage.SELF)
                                             .values("employee_id"))
            count += _send(cycle, "self", people, cycle.self_deadline)
        if _due(cycle.manager_deadline, today):
            people = Employee.objects.filter(pk__in=reviews.filter(
                stage__in=[Stage.SELF, Stage.MANAGER]).values("reviewer_id"))
            count += _send(cycle, "manager", people, cycle.manager_deadline)
    elif cycle.status == CycleStatus.CALIBRATION and _due(cycle.calibration_deadline, today):
        hr_users = Membership.objects.filter(company=cycle.company, is_active=True,
                                             role=Role.HR).values("user_id")
        people = Employee.objects.filter(company=cycle.company, user_id__in=hr_users)
        count += _send(cycle, "calibration", people, cycle.calibration_deadline)
    elif cycle.acknowledgement and _due(cycle.acknowledgement_deadline, today):
        people = Employee.objects.filter(pk__in=reviews.filter(stage=Stage.PUBLISHED)
                                         .values("employee_id"))
        count += _send(cycle, "acknowledgement", people, cycle.acknowledgement_deadline)
    return count


