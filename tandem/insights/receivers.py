"""What the reports listen to: KPI figures written for earlier days make the synergy trend's
recorded weeks from that day on stale (`kpis.signals.figures_backdated`)."""

from django.dispatch import receiver
from django_scopes import scopes_disabled

from tandem.kpis.signals import figures_backdated

from .models import TrendWeek


@receiver(figures_backdated, dispatch_uid="insights.forget_trend_weeks")
def _forget_weeks(sender, cycle_ids, since, **kwargs):
    """One DELETE: the weeks of those cycles ending on `since` or later (all of them when
    `since` is None). The cycles are the sender's own company's."""
    with scopes_disabled():
        weeks = TrendWeek.objects.filter(cycle_id__in=sorted(cycle_ids))
        if since is not None:
            weeks = weeks.filter(week_end__gte=since)
        weeks.delete()
