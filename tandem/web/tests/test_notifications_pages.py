"""The notification pages and the bell: own notifications only, opening marks read and
follows the link, mark all read, mute settings, the unread badge."""

import re

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.models import Role
from tandem.core.notifications import notify
from tandem.core.notifications.models import Notification, NotificationMute
from tandem.core.notifications.testing import GOAL_CHANGED
from tandem.core.testing import make_user

pytestmark = pytest.mark.django_db


def send(org, recipients, url="/goals/", **params):
    with scope(company=org.company.pk):
        return notify(company=org.company, recipients=recipients, kind=GOAL_CHANGED.key,
                      params=params or {"key_result": "ARR", "reason": "调整"}, url=url,
                      actor=org.employees["lead"])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def bell(html: str) -> str:
    """The bell's link, from its opening tag to its end."""
    start = html.index('<a href="/notifications/" id="td-bell"')
    return html[start:html.index("</a>", start)]


def test_the_list_shows_own_notifications_newest_first_unread_marked(org, client_as):
    e = org.employees
    older = send(org, [e["staff"], e["peer"]], key_result="旧", reason="调整")[0]
    newer = send(org, [e["staff"]], key_result="新", reason="调整")[0]
    with scope(company=org.company.pk):
        Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)

    html = english(client_as(org.users["staff"])).get("/notifications/").content.decode()

    assert re.findall(r'data-notification="(\d+)"', html) == [str(newer.pk), str(older.pk)]
    assert re.findall(r'data-notification="(\d+)" data-unread', html) == [str(newer.pk)]
    assert "Goals · 新" in html and "Owner: 调整" in html
    assert f'action="/notifications/{newer.pk}/open/"' in html


def test_the_list_is_in_chinese_by_default(org, client_as):
    send(org, [org.employees["staff"]])

    html = client_as(org.users["staff"]).get("/notifications/").content.decode()

    assert "目标 · ARR" in html


def test_nobody_sees_another_persons_notifications(org, other_org, client_as):
    send(org, [org.employees["peer"]], key_result="peer-only")
    send(other_org, [other_org.employees["staff"]], key_result="other-company")

    html = client_as(org.users["staff"]).get("/notifications/").content.decode()

    assert "data-notification=" not in html
    assert "peer-only" not in html and "other-company" not in html


def test_opening_marks_read_and_follows_the_link(org, client_as):
    [row] = send(org, [org.employees["staff"]], url="/goals/objectives/5/")

    response = client_as(org.users["staff"]).post(f"/notifications/{row.pk}/open/")

    assert (response.status_code, response["Location"]) == (302, "/goals/objectives/5/")
    with scope(company=org.company.pk):
        row.refresh_from_db()
    assert row.read_at is not None


@pytest.mark.parametrize("url", ["", "https://evil.example/", "//evil.example/x"])
def test_a_missing_or_foreign_link_leads_back_to_the_list(org, client_as, url):
    [row] = send(org, [org.employees["staff"]], url=url)

    response = client_as(org.users["staff"]).post(f"/notifications/{row.pk}/open/")

    assert response["Location"] == "/notifications/"


def test_opening_another_persons_notification_is_a_404_and_changes_nothing(org, client_as):
    [row] = send(org, [org.employees["peer"]])

    response = client_as(org.users["staff"]).post(f"/notifications/{row.pk}/open/")

    assert response.status_code == 404
    with scope(company=org.company.pk):
        row.refresh_from_db()
    assert row.read_at is None


def test_opening_is_a_post_only(org, client_as):
    [row] = send(org, [org.employees["staff"]])

    assert client_as(org.users["staff"]).get(f"/notifications/{row.pk}/open/").status_code == 405


def test_mark_all_read(org, client_as):
    e = org.employees
    send(org, [e["staff"], e["peer"]])
    send(org, [e["staff"]])

    response = client_as(org.users["staff"]).post("/notifications/read-all/")

    assert response["Location"] == "/notifications/"
    with scope(company=org.company.pk):
        unread = list(Notification.objects.filter(read_at__isnull=True)
                      .values_list("recipient_id", flat=True))
    assert unread == [e["peer"].pk]


def test_the_bell_counts_unread_with_a_spoken_label(org, client_as):
    e = org.employees
    send(org, [e["staff"]])
    send(org, [e["staff"], e["peer"]])
    send(org, [e["peer"]])

    html = english(client_as(org.users["staff"])).get("/").content.decode()

    assert 'href="/notifications/"' in bell(html)
    assert '<span class="visually-hidden">2 unread notifications</span>' in bell(html)
    assert '<span class="position-absolute top-0 end-0 badge rounded-pill text-bg-danger" ' \
           'aria-hidden="true">2</span>' in bell(html)
    assert 'hx-get="/notifications/badge/" hx-trigger="every 60s" hx-swap="outerHTML"' \
        in bell(html)


def test_the_bell_without_unread_has_no_badge(org, client_as):
    html = english(client_as(org.users["staff"])).get("/").content.decode()

    assert "rounded-pill" not in bell(html)
    assert "Notifications, none unread" in bell(html)


def test_the_bell_caps_the_figure_at_99(org, client_as):
    for _ in range(100):
        send(org, [org.employees["staff"]])

    html = client_as(org.users["staff"]).get("/").content.decode()

    assert 'aria-hidden="true">99+</span>' in bell(html)


def test_the_badge_fragment_is_the_bell_alone(org, client_as):
    send(org, [org.employees["staff"]])

    response = english(client_as(org.users["staff"])).get(
        "/notifications/badge/", headers={"hx-request": "true"})

    html = response.content.decode()
    assert html.strip().startswith('<a href="/notifications/" id="td-bell"')
    assert "1 unread notification<" in html
    assert "<html" not in html


def test_the_bell_count_costs_one_query(org, client_as, django_assert_num_queries):
    client = client_as(org.users["staff"])
    send(org, [org.employees["staff"]])
    client.get("/notifications/badge/")  # warm up the session
    # Session, user, membership (sign-in and company), and the count.
    with django_assert_num_queries(4) as one:
        client.get("/notifications/badge/")
    for _ in range(10):
        send(org, [org.employees["staff"]])
    with django_assert_num_queries(len(one.captured_queries)):
        assert "11" in client.get("/notifications/badge/").content.decode()


def test_the_list_costs_the_same_for_many_notifications(org, client_as,
                                                        django_assert_max_num_queries):
    client = client_as(org.users["staff"])
    send(org, [org.employees["staff"]])
    with django_assert_max_num_queries(12) as few:
        client.get("/notifications/")
    for _ in range(30):
        send(org, [org.employees["staff"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/notifications/")


def test_settings_show_each_category_in_use_per_channel_and_save_mutes(org, client_as):
    client = english(client_as(org.users["staff"]))
    html = client.get("/notifications/settings/").content.decode()
    assert 'value="goals:in_app" id="deliver-1-1" checked' in html
    assert 'value="goals:email" id="deliver-1-2" checked' in html
    assert "Goals" in html and "Pay" in html

    response = client.post("/notifications/settings/", {"deliver": ["goals:in_app", "pay:email"]})

    assert response["Location"] == "/notifications/settings/"
    with scope(company=org.company.pk):
        muted = set(NotificationMute.objects.filter(employee=org.employees["staff"])
                    .values_list("category", "channel"))
    assert ("goals", "email") in muted and ("pay", "in_app") in muted
    assert ("goals", "in_app") not in muted and ("pay", "email") not in muted
    html = client.get("/notifications/settings/").content.decode()
    assert 'value="goals:email" id="deliver-1-2">' in html  # unchecked now


def test_settings_do_not_touch_another_persons_mutes(org, client_as):
    with scope(company=org.company.pk):
        NotificationMute.objects.create(company=org.company, employee=org.employees["peer"],
                                        category="goals", channel="email")

    client_as(org.users["staff"]).post("/notifications/settings/", {"deliver": []})

    with scope(company=org.company.pk):
        assert NotificationMute.objects.filter(employee=org.employees["peer"]).count() == 1


def test_a_member_without_an_employee_record_gets_empty_pages(org, client_as):
    user = make_user("contractor", company=org.company, role=Role.ADMIN)
    client = english(client_as(user))

    listing = client.get("/notifications/")
    assert listing.status_code == 200
    assert "no employee record" in listing.content.decode()
    assert client.get("/notifications/settings/").status_code == 200
    assert client.post("/notifications/settings/").status_code == 302
    assert client.post("/notifications/read-all/").status_code == 302
    assert "Notifications, none unread" in bell(client.get("/").content.decode())


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_mark_all_read_is_offered_only_while_something_is_unread(org, client_as):
    [row] = send(org, [org.employees["staff"]])
    client = client_as(org.users["staff"])
    assert 'action="/notifications/read-all/"' in client.get("/notifications/").content.decode()

    client.post(f"/notifications/{row.pk}/open/")

    assert 'action="/notifications/read-all/"' not in client.get(
        "/notifications/").content.decode()
