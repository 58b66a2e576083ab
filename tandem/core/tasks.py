"""Periodic housekeeping, run by the Huey worker (`manage.py run_huey`)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_sign_in_data() -> dict[str, int]:
    """Expired sessions and sign-in failures older than the lock-out window are kept by
    nobody: delete them nightly so the tables stay small."""
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    cutoff = now - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return {"sessions": sessions, "failed_sign_ins": attempts}
