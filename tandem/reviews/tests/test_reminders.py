"""Deadline reminders: two days before, on the day and the day after, to whoever still has the
step to do, in one notification call per cycle and step."""

from datetime import date, timedelta

import pytest
from django_scopes import scope

from tandem.core.notifications.models import Notification
from tandem.reviews import services
from tandem.reviews.models import Review
from tandem.reviews.reminders import send_reminders

pytestmark = pytest.mark.django_db
DEADLINE = date(2027, 1, 10)


@pytest.fixture
def cycle(org, goals, actor_of_role):
    hr = actor_of_role("hr")
    with scope(company=org.company.pk):
        cycle = services.save_cycle(
            actor=hr, company=org.company, name="Q4", goal_cycles=[goals.quarter],
            scope="people", people=[org.employees["staff"], org.employees["peer"]],
            self_deadline=DEADLINE, manager_deadline=DEADLINE + timedelta(days=7))
        services.open_cycle(actor=hr, cycle=cycle)
        Notification.objects.all().delete()
    return cycle


def _reminded():
    return sorted((n.recipient.name, n.kind.removeprefix("reviews.remind_")) for n in
                  Notification.objects.filter(kind__startswith="reviews.remind_")
                  .select_related("recipient"))


@pytest.mark.parametrize(("days_before", "sent"), [(3, False), (2, True), (1, False),
                                                   (0, True), (-1, True), (-2, False)])
def test_self_assessment_reminders_on_their_days(org, cycle, days_before, sent):
    send_reminders(DEADLINE - timedelta(days=days_before))
    with scope(company=org.company.pk):
        expected = [("peer", "self"), ("staff", "self")]
        assert _reminded() == (expected if sent else [])


def test_only_who_still_has_the_step_to_do(org, cycle, actor_of_role):
    with scope(company=org.company.pk):
        staff = Review.objects.get(cycle=cycle, employee=org.employees["staff"])
        services.submit_self(actor=actor_of_role("staff"), review=staff, summary="Done")
        Notification.objects.all().delete()
    send_reminders(DEADLINE)
    with scope(company=org.company.pk):
        assert _reminded() == [("peer", "self")]
        Notification.objects.all().delete()
    send_reminders(DEADLINE + timedelta(days=7))
    with scope(company=org.company.pk):
        # staff's reviewer is lead; peer (Sales) has no leader to remind.
        assert _reminded() == [("lead", "manager")]
