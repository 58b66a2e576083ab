"""Background work of the reports, run by the Huey worker (`manage.py run_huey`): recording the
synergy trend's weeks gone by (`insights.services`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="1", minute="20"))
def record_trend_weeks() -> int:
    """Every night (Asia/Shanghai): record the weeks that have just ended."""
    from django.utils import timezone

    from .services import record_all_trend_weeks

    return record_all_trend_weeks(timezone.localdate())
