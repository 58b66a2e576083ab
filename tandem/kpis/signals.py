"""What the KPI module listens to: check-ins of linked key results become measurements, and a
person's inherited KPIs follow their position."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tandem.goals.signals import checked_in
from tandem.org.models import Employee


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
