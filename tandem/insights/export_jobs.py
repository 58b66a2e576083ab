"""The synergy report's Excel export as a background job (`core.export_jobs`): for a company
of thousands the report and its workbook take seconds, which no request should wait for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tandem.core.export_jobs import register_export
from tandem.core.permissions import is_people_admin
from tandem.goals.models import Cycle

from . import exports, synergy

SYNERGY = "insights.synergy"


def params_of(chosen) -> dict:
    """The job's parameters from the page's resolved filters (`insights.filters`): the
    departments are those the asker may see, fixed when they asked."""
    return {"cycle": chosen.cycle.pk,
            "department": chosen.department.pk if chosen.department is not None else None,
            "subtree": sorted(chosen.subtree) if chosen.subtree is not None else None}


def build_synergy(company, params: dict, progress):
    progress(0, 2)
    cycle = Cycle.objects.get(pk=params["cycle"])
    subtree = params.get("subtree")
    report = synergy.build(cycle, subtree=frozenset(subtree) if subtree is not None else None)
    progress(1, 2)
    sheets = exports.sheets(report)
    progress(2, 2)
    return sheets, exports.filename(report), f"okr-kpi-synergy-{cycle.pk}.xlsx"


def may_export_synergy(actor, params: dict) -> bool:
    """Like the page (`insights.filters`): HR and administrators the whole company, a leader
    only departments they lead or below."""
    if not actor.user.has_perm("insights.view_synergy"):
        return False
    if is_people_admin(actor.user):
        return True
    subtree = params.get("subtree")
    return bool(subtree) and set(subtree) <= actor.managed_department_ids


register_export(SYNERGY, build_synergy, may_export_synergy,
                label=gettext_lazy("OKR–KPI synergy"))
