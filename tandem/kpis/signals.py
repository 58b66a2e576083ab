"""What the KPI module listens to: check-ins of linked key results become measurements, and a
person's inherited KPIs follow their position. And what it tells others, inside the write's
transaction:

- `figures_backdated(sender=None, cycle_ids=..., since=...)`: KPI figures dated before today
  were written or removed for assignments of those cycles (an entry or import for an earlier
  day, a link that brings a key result's earlier check-ins, an unlinked key result, a deleted
  figure); `since` is the earliest day concerned, None for any day. The synergy report forgets
  the weeks it had recorded from then on (`insights.receivers`).
"""

from collections.abc import Iterable
from datetime import date

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from tandem.goals.signals import checked_in
from tandem.org.models import Employee

figures_backdated = Signal()


def announce_backdated(cycle_ids: Iterable[int], days: Iterable[date] | None) -> None:
    """Sends `figures_backdated` when one of `days` (None: any day) is before today."""
    cycle_ids = set(cycle_ids)
    if not cycle_ids:
        return
    since = None
    if days is not None:
        since = min(days, default=None)
        if since is None or since >= timezone.localdate():
            return
    figures_backdated.send(sender=None, cycle_ids=cycle_ids, since=since)


@receiver(checked_in, dispatch_uid="kpis.check_in_measurements")
def _measure_check_in(sender, check_in, **kwargs):
    from .links import on_check_in

    on_check_in(check_in)


@receiver(post_save, sender=Employee, dispatch_uid="kpis.sync_inherited")
def _follow_position(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import sync_person

    sync_person(instance)
