from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from tandem.core.tasks import purge_expired_sign_in_data


def test_expired_sessions_and_old_failures_are_purged_and_fresh_ones_kept(db):
    for expiry in (timedelta(days=-1), timedelta(days=1)):
        store = SessionStore()
        store.set_expiry(int(expiry.total_seconds()))
        store.create()
    Session.objects.filter(expire_date__lt=timezone.now() + timedelta(hours=1)).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    for username, age in (("hr", timedelta(hours=2)), ("staff", timedelta(minutes=1))):
        attempt = AccessAttempt.objects.create(
            username=username, ip_address="127.0.0.1", user_agent="test", failures_since_start=1,
            get_data="", post_data="",
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - age)

    result = purge_expired_sign_in_data.call_local()

    assert result == {"sessions": 1, "failed_sign_ins": 1}
    assert Session.objects.count() == 1
    assert AccessAttempt.objects.get().username == "staff"



def test_enqueued_in_tests_the_task_runs_at_once(db):
    # settings.HUEY["immediate"] is on under pytest: enqueueing runs the task inline, so its
    # effect is visible when the call returns (Huey keeps no result for periodic tasks).
    store = SessionStore()
    store.create()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    purge_expired_sign_in_data()
    assert Session.objects.count() == 0
