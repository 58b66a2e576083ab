"""The email channel: sent after the sender's transaction commits, in Chinese, to the work
email, unless muted; a failing mail server never breaks the sender."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from tandem.core.notifications import notify
from tandem.core.notifications.email import send_email
from tandem.core.notifications.models import Notification
from tandem.core.notifications.services import set_mutes
from tandem.core.notifications.testing import GOAL_CHANGED
from tandem.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def addressed(org):
    """staff and peer have work emails; lead has none."""
    with scope(company=org.company.pk):
        for key in ("staff", "peer"):
            org.employees[key].email = f"{key}@galaxy.example"
            org.employees[key].save()
    return org


def send(org, recipients, url="/goals/objectives/7/"):
    with scope(company=org.company.pk):
        return notify(company=org.company, recipients=recipients, kind=GOAL_CHANGED.key,
                      params={"key_result": "ARR <1000万>", "reason": "季度调整"}, url=url)


def test_email_goes_out_only_after_commit(addressed, mailoutbox,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(addressed, [addressed.employees["staff"]])
    assert mailoutbox == []

    for callback in callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [["staff@galaxy.example"]]


def test_no_email_when_the_sender_rolls_back(addressed, mailoutbox,
                                             django_capture_on_commit_callbacks):
    class Abort(Exception):
        pass

    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Abort),
          transaction.atomic()):
        send(addressed, [addressed.employees["staff"]])
        raise Abort
    assert (callbacks, mailoutbox) == ([], [])


def test_the_email_is_in_chinese_with_text_and_html(addressed, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(addressed, [addressed.employees["staff"]])

    [message] = mailoutbox
    assert message.subject == "[星河科技] 目标 · ARR <1000万>"
    assert message.body.startswith("目标 · ARR <1000万>\n\n负责人: 季度调整\n\n")
    assert "/goals/objectives/7/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "ARR &lt;1000万&gt;" in html  # parameters are escaped in HTML
    assert 'href="/goals/objectives/7/"' in html


def test_the_link_is_absolute_when_the_site_url_is_known(addressed, mailoutbox, settings,
                                                         django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://hr.galaxy.example/"
    with django_capture_on_commit_callbacks(execute=True):
        send(addressed, [addressed.employees["staff"]])

    [message] = mailoutbox
    assert "https://hr.galaxy.example/goals/objectives/7/" in message.body


def test_only_people_with_a_work_email_and_email_unmuted_get_one(
    addressed, mailoutbox, django_capture_on_commit_callbacks
):
    e = addressed.employees
    with scope(company=addressed.company.pk):
        set_mutes(employee=e["peer"], muted=[("goals", "email")])
    with django_capture_on_commit_callbacks(execute=True):
        rows = send(addressed, [e["staff"], e["peer"], e["lead"]])

    assert [message.to for message in mailoutbox] == [["staff@galaxy.example"]]
    assert len(rows) == 3  # in the app, everyone is told


def test_email_muted_in_the_app_still_arrives_by_email(
    addressed, mailoutbox, django_capture_on_commit_callbacks
):
    staff = addressed.employees["staff"]
    with scope(company=addressed.company.pk):
        set_mutes(employee=staff, muted=[("goals", "in_app")])
    with django_capture_on_commit_callbacks(execute=True):
        send(addressed, [staff])

    assert [message.to for message in mailoutbox] == [["staff@galaxy.example"]]


def test_a_failing_mail_server_is_logged_and_the_sender_carries_on(
    addressed, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        [row] = send(addressed, [addressed.employees["staff"]])

    with scope(company=addressed.company.pk):
        row.refresh_from_db()
    assert row.emailed_at is None
    assert any("failed" in record.getMessage() for record in caplog.records)


def test_the_task_retries_three_times_a_minute_apart():
    task = send_notification_email.task_class
    assert (task.default_retries, task.default_retry_delay) == (3, 60)


def test_a_retry_never_sends_twice(addressed, mailoutbox):
    [row] = send(addressed, [addressed.employees["staff"]])

    assert send_email(row.pk) is True
    assert send_email(row.pk) is False
    assert len(mailoutbox) == 1
    with scope(company=addressed.company.pk):
        row.refresh_from_db()
    assert row.emailed_at is not None and row.emailed_at <= timezone.now()


def test_nothing_to_send_for_a_deleted_row(addressed):
    [row] = send(addressed, [addressed.employees["staff"]])
    with scope(company=addressed.company.pk):
        Notification.objects.filter(pk=row.pk).delete()

    assert send_email(row.pk) is False
    assert mail.outbox == []


def test_emails_are_queued_fifty_to_a_task(addressed, monkeypatch,
                                           django_capture_on_commit_callbacks):
    from tandem.core import tasks
    from tandem.core.testing import make_employee

    with scope(company=addressed.company.pk):
        people = [make_employee(addressed.company, addressed.rnd, email=f"p{n}@galaxy.example")
                  for n in range(120)]
    batches = []
    monkeypatch.setattr(tasks, "send_notification_emails", batches.append)
    with django_capture_on_commit_callbacks(execute=True):
        rows = send(addressed, people)
    assert [len(batch) for batch in batches] == [50, 50, 20]
    assert sorted(pk for batch in batches for pk in batch) == sorted(row.pk for row in rows)


def test_a_failing_email_does_not_hold_up_the_batch_and_its_retry_sends_it_alone(
        addressed, mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    from tandem.core.notifications import email as email_module
    from tandem.core.tasks import send_notification_emails

    with django_capture_on_commit_callbacks(execute=False):
        staff_row, peer_row = send(addressed, [addressed.employees["staff"],
                                               addressed.employees["peer"]])
    mailoutbox.clear()
    real = email_module.build_message
    broken = {staff_row.pk}

    def build(notification, address):
        if notification.pk in broken:
            raise ConnectionError("mail server down")
        return real(notification, address)

    monkeypatch.setattr(email_module, "build_message", build)
    task = send_notification_emails.call_local
    with pytest.raises(ConnectionError):
        task([staff_row.pk, peer_row.pk])
    assert [message.to for message in mailoutbox] == [["peer@galaxy.example"]]
    broken.clear()
    assert task([staff_row.pk, peer_row.pk]) == 1
    assert [message.to for message in mailoutbox] == [["peer@galaxy.example"],
                                                      ["staff@galaxy.example"]]
