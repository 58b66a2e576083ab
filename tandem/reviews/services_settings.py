"""The company's review settings and the weight overrides per department or position (HR and
administrators: reviews.change_reviewsettings). A cycle freezes the settings when it opens
(`reviews.policy.freeze`), so nothing here changes an open cycle."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import scoring
from .models import ReviewSettings, WeightOverride

PERM = "reviews.change_reviewsettings"


def _require(actor) -> None:
    if actor is not None and not actor.user.has_perm(PERM):
        raise PermissionDenied


def _check_shares(okr_weight, kpi_weight) -> None:
    try:
        scoring.validate_weights(okr_weight, kpi_weight)
    except scoring.ScoringError as error:
        raise ValidationError({error.field: [str(error.message)]}) from None


@transaction.atomic
def save_settings(*, actor, company, values: dict, grades: list, distribution: list
                  ) -> ReviewSettings:
    """Store the settings (one row per company): the shares sum to 1, the grade scale is
    well formed, and the model's validators hold."""
    _require(actor)
    row, _created = ReviewSettings.objects.select_for_update().get_or_create(company=company)
    for name, value in values.items():
        setattr(row, name, value)
    row.grades, row.distribution = grades, distribution
    _check_shares(row.okr_weight, row.kpi_weight)
    try:
        scoring.validate_grades([scoring.GradeBand(str(grade), Decimal(str(minimum)))
                                 for grade, minimum in grades])
    except scoring.ScoringError as error:
        raise ValidationError({"grades": [str(error.message)]}) from None
    row.full_clean(exclude=["company"], validate_constraints=False)
    row.save()
    return row


@transaction.atomic
def add_override(*, actor, company, data: dict) -> WeightOverride:
    _require(actor)
    _check_shares(data["okr_weight"], data["kpi_weight"])
    override = WeightOverride(company=company, department=data["department"],
                              position=data["position"], okr_weight=data["okr_weight"],
                              kpi_weight=data["kpi_weight"], reason=data["reason"].strip())
    override.full_clean(exclude=["company"])
    override.save()
    return override


@transaction.atomic
def delete_override(*, actor, override: WeightOverride) -> None:
    _require(actor)
    override.delete()
