"""Notifications and mutes are company data: a company's backup carries them and restores
them row for row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from tandem.core.notifications import notify
from tandem.core.notifications.models import Notification, NotificationMute
from tandem.core.notifications.services import set_mutes
from tandem.core.notifications.testing import GOAL_CHANGED

from .backup_support import empty_database


@pytest.fixture(autouse=True)
def fresh_content_types(db):
    yield
    ContentType.objects.clear_cache()


def rows():
    with scopes_disabled():
        return (list(Notification.objects.order_by("pk").values_list()),
                list(NotificationMute.objects.order_by("pk").values_list()))


def test_notifications_and_mutes_survive_a_backup_and_restore(org, tmp_path):
    e = org.employees
    with scope(company=org.company.pk):
        notify(company=org.company, recipients=[e["staff"], e["peer"]], kind=GOAL_CHANGED.key,
               params={"key_result": "ARR"}, url="/goals/", actor=e["lead"])
        set_mutes(employee=e["peer"], muted=[("goals", "email")])
    before = rows()
    assert (len(before[0]), len(before[1])) == (2, 1)
    path = tmp_path / "company.zip"

    call_command("tandem_backup", str(path), "--company", str(org.company.pk))
    empty_database()
    call_command("tandem_restore", str(path))

    assert rows() == before
