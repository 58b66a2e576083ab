"""The company's pace and alert settings (`TrackingSettings`): read with the defaults, saved by
HR and administrators. `goals.policy.policy_for` reads the same row for the OKR pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.permissions import is_people_admin
from tandem.goals.policy import forget_policy

from .models_tracking import TrackingSettings

FIELDS = ("risk_margin", "low_confidence", "stale_days", "weekly_alert_cap",
          "escalation_grace_days")


def settings_for(company) -> TrackingSettings:
    """The saved row, or an unsaved one with the defaults."""
    return (TrackingSettings.objects.filter(company=company).first()
            or TrackingSettings(company=company))


@transaction.atomic
def save_settings(*, company, actor=None, **values) -> TrackingSettings:
    """Validates like the model (ranges) and saves the company's one row."""
    if actor is not None and not is_people_admin(actor.user):
        raise PermissionDenied
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown setting.")] for name in sorted(unknown)})
    row = (TrackingSettings.objects.select_for_update().filter(company=company).first()
           or TrackingSettings(company=company))
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean(exclude=["company"])
    row.save()
    forget_policy(company)
    return row
