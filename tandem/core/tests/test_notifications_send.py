"""notify(): who is told, in which language the text reads, and what it costs."""

import pytest
from django.utils import translation
from django_scopes import scope

from tandem.core.notifications import notify
from tandem.core.notifications.models import Notification
from tandem.core.notifications.services import set_mutes
from tandem.core.notifications.testing import GOAL_CHANGED
from tandem.core.testing import make_employee

pytestmark = pytest.mark.django_db


def send(org, recipients, **extra):
    with scope(company=org.company.pk):
        return notify(company=org.company, recipients=recipients, kind=GOAL_CHANGED.key,
                      params={"key_result": "ARR 1000万", "reason": "季度调整"}, **extra)


def test_each_recipient_gets_one_row_with_kind_params_url_and_actor(org):
    e = org.employees
    rows = send(org, [e["staff"], e["peer"], e["staff"]], url="/goals/1/", actor=e["lead"])

    with scope(company=org.company.pk):
        stored = list(Notification.objects.order_by("recipient_id"))
    assert [row.recipient_id for row in stored] == sorted([e["staff"].pk, e["peer"].pk])
    assert {row.pk for row in rows} == {row.pk for row in stored}
    assert {(r.kind, r.url, r.actor_id, r.read_at) for r in stored} == {
        ("tests.goal_changed", "/goals/1/", e["lead"].pk, None)
    }
    assert stored[0].params == {"key_result": "ARR 1000万", "reason": "季度调整"}


def test_the_actor_is_not_told_of_their_own_action(org):
    e = org.employees
    rows = send(org, [e["lead"], e["staff"]], actor=e["lead"])

    assert [row.recipient_id for row in rows] == [e["staff"].pk]


def test_nobody_left_to_tell_creates_nothing(org):
    assert send(org, [org.employees["lead"]], actor=org.employees["lead"]) == []
    assert send(org, []) == []


def test_the_text_reads_in_the_readers_language(org):
    [row] = send(org, [org.employees["staff"]])

    with translation.override("en"):
        assert (row.title, row.body) == ("Goals · ARR 1000万", "Owner: 季度调整")
    with translation.override("zh-hans"):
        assert (row.title, row.body) == ("目标 · ARR 1000万", "负责人: 季度调整")


def test_parameters_are_stored_as_text(org):
    with scope(company=org.company.pk):
        [row] = notify(company=org.company, recipients=[org.employees["staff"]],
                       kind=GOAL_CHANGED.key, params={"key_result": 42, "reason": None})
    assert row.params == {"key_result": "42", "reason": "None"}


def test_an_unknown_kind_is_refused(org):
    with scope(company=org.company.pk), pytest.raises(ValueError, match="no.such"):
        notify(company=org.company, recipients=[org.employees["staff"]], kind="no.such",
               params={})


def test_an_employee_of_another_company_is_refused_and_nothing_is_stored(org, other_org):
    with pytest.raises(ValueError):
        send(org, [org.employees["staff"], other_org.employees["staff"]])

    with scope(company=org.company.pk):
        assert Notification.objects.count() == 0


def test_in_app_mute_hides_the_row_from_the_inbox_but_keeps_it(org):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        set_mutes(employee=staff, muted=[("goals", "in_app")])
    send(org, [staff, org.employees["peer"]])

    with scope(company=org.company.pk):
        shown = dict(Notification.objects.values_list("recipient_id", "shown_in_app"))
    assert shown == {staff.pk: False, org.employees["peer"].pk: True}


def test_a_mute_of_another_category_changes_nothing(org):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        set_mutes(employee=staff, muted=[("pay", "in_app")])
    [row] = send(org, [staff])

    assert row.shown_in_app is True


def test_the_cost_does_not_grow_with_the_number_of_recipients(
    org, django_assert_num_queries
):
    with scope(company=org.company.pk):
        many = [make_employee(org.company, org.sales) for _ in range(40)]
        set_mutes(employee=many[0], muted=[("goals", "in_app"), ("goals", "email")])
    # One query for the mutes, one insert.
    with django_assert_num_queries(2):
        rows = send(org, many)

    assert len(rows) == 40
