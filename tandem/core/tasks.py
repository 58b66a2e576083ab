"""Background work of core, run by the Huey worker (`manage.py run_huey`): nightly
housekeeping, notification emails and group-robot messages."""

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


class WebhookNotSentYet(Exception):
    """An attempt at a group-robot message failed in a way that may mend: Huey retries."""


# 30 s, 1, 2, 4 and 8 minutes after the first try: about a quarter of an hour in all, well
# within the hour DingTalk and Feishu accept a signature's timestamp (each attempt signs anew).
WEBHOOK_RETRIES = 5


@db_task(retries=WEBHOOK_RETRIES, retry_delay=30, retry_backoff=2, context=True)
def send_webhook(delivery_id: int, task=None) -> str | None:
    """One attempt at a group-robot delivery; its log row records every attempt. Returns the
    delivery's status, or None when it was no longer pending (sent already, deleted)."""
    from tandem.core.notifications.models import DeliveryStatus
    from tandem.core.notifications.webhooks import attempt

    final = task is None or not task.retries
    status = attempt(delivery_id, final=final)
    if status == DeliveryStatus.PENDING:
        raise WebhookNotSentYet(f"Group robot delivery {delivery_id} failed; it will be retried.")
    return status
