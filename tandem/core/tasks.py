"""Background work of core, run by the Huey worker (`manage.py run_huey`): nightly
housekeeping, notification emails, group-robot messages and Excel exports (with the hourly
clean-up of expired ones)."""

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


# Emails queued per task: one task per email made a busy morning (thousands of risk alerts)
# spend most of its time queueing; a batch keeps retries cheap since each row is sent once.
EMAILS_PER_TASK = 50


@db_task(retries=3, retry_delay=60)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Emails a batch of notifications, each to its recipient. Every row is tried; if any
    failed, the first failure is raised once the rest are sent, and Huey retries the batch
    (three times a minute apart): rows already emailed are skipped, so nobody gets an email
    twice. Returns how many went out."""
    from tandem.core.notifications.email import send_email

    sent, failure = 0, None
    for notification_id in notification_ids:
        try:
            sent += send_email(notification_id)
        except Exception as error:  # logged by send_email; the others still go out
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


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


@db_task()
def run_export_job(job_id: int) -> str | None:
    """Builds one Excel export (`core.export_jobs.run_export`); a failure is recorded on the
    job for the person who asked, not retried (the same input would fail again)."""
    from tandem.core.export_jobs import run_export

    return run_export(job_id)


@db_periodic_task(crontab(minute="23"))
def purge_expired_exports() -> int:
    """Finished exports are downloadable for 24 hours; every hour the older ones (and jobs
    stuck that long) are deleted, files and all."""
    from tandem.core.export_jobs import purge_expired_exports as purge

    return purge()
