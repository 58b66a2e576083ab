"""Background work of the review module, run by the Huey worker (`manage.py run_huey`): the
daily deadline reminders (`reviews.reminders`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="9", minute="0"))
def send_reminders() -> dict[str, int]:
    """Every working morning (Asia/Shanghai): remind whoever has a review step due."""
    from django.utils import timezone

    from .reminders import send_reminders as send

    sent = send(timezone.localdate())
    return {"cycles": sent.cycles, "notifications": sent.notifications}
