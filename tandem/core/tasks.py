"""Background work of core, run by the Huey worker (`manage.py run_huey`): nightly
housekeeping and notification emails."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_sign_in_data() -> dict[str, int]:
    """Expired sessions and sign-in failures older than the lock-out window are kept by
    nobody: delete them nightly so the tables stay small."""
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    cutoff = now - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return {"sessions": sessions, "failed_sign_ins": attempts}


@db_task(retries=3, retry_delay=60)
def send_notification_email(notification_id: int) -> bool:
    """Emails one notification to its recipient's work email. Huey retries a failure three
    times a minute apart (the failure is logged each time); a row already emailed is skipped,
    so a retry never sends twice. Returns whether an email went out."""
    from tandem.core.notifications.email import send_email

    return send_email(notification_id)
