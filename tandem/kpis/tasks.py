"""Background work of the KPI module, run by the Huey worker (`manage.py run_huey`): the daily
risk evaluation of every company (`kpis.risk`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="5"))
def evaluate_risks() -> dict[str, int]:
    """Every morning before work (Asia/Shanghai): judge every key result and KPI assignment
    of the active cycles and alert on the changes."""
    from .risk import evaluate

    summary = evaluate()
    return {"items": summary.items, "at_risk": summary.at_risk, "changed": summary.changed,
            "alerts": summary.alerts, "digests": summary.digests,
            "escalated": summary.escalated}
