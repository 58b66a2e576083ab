"""A review cycle's bonus awards as an Excel export job (`core.export_jobs`); the sheet comes
from `reviews.exports`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tandem.core.export_jobs import register_export

from . import exports
from .models import ReviewCycle

AWARDS = "reviews.bonus-awards"


def build_awards(company, params: dict, progress):
    progress(0, 1)
    cycle = ReviewCycle.objects.get(pk=params["cycle"])
    sheets = exports.award_sheets(cycle)
    progress(1, 1)
    return sheets, exports.award_filename(cycle), f"bonuses-{cycle.pk}.xlsx"


def may_export_awards(actor, params: dict) -> bool:
    """Salary data: as the awards page, HR, administrators and finance."""
    return actor.user.has_perm("reviews.view_bonuspolicy")


register_export(AWARDS, build_awards, may_export_awards, label=gettext_lazy("Bonus awards"))
