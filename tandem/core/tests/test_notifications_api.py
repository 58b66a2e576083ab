"""/api/v1/notifications/: the caller's own notifications only, rendered in the request's
language; marking them read."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.models import Membership, Role
from tandem.core.notifications import notify
from tandem.core.notifications.models import Notification
from tandem.core.notifications.testing import GOAL_CHANGED, PAYSLIP_READY
from tandem.core.testing import make_user

pytestmark = pytest.mark.django_db


def send(org, recipients, kind=GOAL_CHANGED.key, **params):
    params = params or {"key_result": "ARR", "reason": "调整"}
    with scope(company=org.company.pk):
        return notify(company=org.company, recipients=recipients, kind=kind, params=params,
                      url="/goals/", actor=org.employees["lead"])


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_list_holds_the_callers_own_newest_first_in_their_language(org, api_as):
    e = org.employees
    first = send(org, [e["staff"], e["peer"]])[0]
    second = send(org, [e["staff"]], kind=PAYSLIP_READY.key, month="2026-10")[0]

    response = in_english(api_as(org.users["staff"])).get("/api/v1/notifications/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [second.pk, first.pk]
    assert body["results"][1] == {
        "id": first.pk, "kind": "tests.goal_changed", "category": "goals",
        "title": "Goals · ARR", "body": "Owner: 调整", "url": "/goals/",
        "actor_name": "lead", "created_at": body["results"][1]["created_at"], "read_at": None,
    }


def test_chinese_is_the_default_language(org, api_as):
    send(org, [org.employees["staff"]])

    [item] = api_as(org.users["staff"]).get("/api/v1/notifications/").json()["results"]
    assert (item["title"], item["body"]) == ("目标 · ARR", "负责人: 调整")


def test_unread_filter(org, api_as):
    rows = send(org, [org.employees["staff"]]) + send(org, [org.employees["staff"]])
    client = api_as(org.users["staff"])
    assert client.post(f"/api/v1/notifications/{rows[0].pk}/read/").status_code == 200

    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    read = client.get("/api/v1/notifications/", {"unread": "false"}).json()["results"]
    assert ([item["id"] for item in unread], [item["id"] for item in read]) == (
        [rows[1].pk], [rows[0].pk])
    assert client.get("/api/v1/notifications/", {"unread": "yes"}).status_code == 400


def test_marking_read_answers_the_notification_and_keeps_the_first_read_time(org, api_as):
    [row] = send(org, [org.employees["staff"]])
    client = api_as(org.users["staff"])

    first = client.post(f"/api/v1/notifications/{row.pk}/read/").json()
    again = client.post(f"/api/v1/notifications/{row.pk}/read/").json()

    assert first["id"] == row.pk and first["read_at"] is not None
    assert again["read_at"] == first["read_at"]


def test_read_all_marks_only_the_callers_own(org, api_as):
    e = org.employees
    send(org, [e["staff"], e["peer"]])
    send(org, [e["staff"]])

    response = api_as(org.users["staff"]).post("/api/v1/notifications/read-all/")

    assert response.json() == {"marked": 2}
    with scope(company=org.company.pk):
        unread = list(Notification.objects.filter(read_at__isnull=True)
                      .values_list("recipient_id", flat=True))
    assert unread == [e["peer"].pk]


def test_nobody_reads_or_marks_another_persons_notification(org, api_as):
    [row] = send(org, [org.employees["peer"]])
    hr = api_as(org.users["hr"])

    assert hr.get("/api/v1/notifications/").json()["count"] == 0
    assert hr.post(f"/api/v1/notifications/{row.pk}/read/").status_code == 404
    with scope(company=org.company.pk):
        row.refresh_from_db()
    assert row.read_at is None


def test_another_companys_notification_is_a_404(org, other_org, api_as):
    [row] = send(other_org, [other_org.employees["staff"]])

    response = api_as(org.users["staff"]).post(f"/api/v1/notifications/{row.pk}/read/")

    assert response.status_code == 404
    assert api_as(org.users["staff"]).get("/api/v1/notifications/").json()["count"] == 0


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "0"])
def test_a_malformed_or_unknown_id_is_a_json_404(org, api_as, pk):
    response = api_as(org.users["staff"]).post(f"/api/v1/notifications/{pk}/read/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_a_member_without_an_employee_record_gets_an_empty_list(org, api_as):
    user = make_user("contractor", company=org.company, role=Role.ADMIN)
    assert Membership.objects.filter(user=user).exists()
    client = api_as(user)

    assert client.get("/api/v1/notifications/").json()["results"] == []
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}


def test_hidden_in_app_rows_are_not_listed(org, api_as):
    from tandem.core.notifications.services import set_mutes

    with scope(company=org.company.pk):
        set_mutes(employee=org.employees["staff"], muted=[("goals", "in_app")])
    send(org, [org.employees["staff"]])

    assert api_as(org.users["staff"]).get("/api/v1/notifications/").json()["count"] == 0


def test_the_list_costs_the_same_for_many_notifications(org, api_as,
                                                        django_assert_max_num_queries):
    client = api_as(org.users["staff"])
    for _ in range(3):
        send(org, [org.employees["staff"]])
    with django_assert_max_num_queries(8) as few:
        client.get("/api/v1/notifications/")
    for _ in range(20):
        send(org, [org.employees["staff"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/notifications/").json()["count"] == 23
