"""Pages of pace tracking: the company's pace and alert settings (HR and administrators), the
items at risk as the daily evaluation left them (each person their own, leaders their
departments', HR and administrators everyone's) and the confidence calibration of closed
cycles (the same readers). Thin: `kpis.services_tracking`, `kpis.risk`,
`kpis.services_calibration` do the work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.core.permissions import is_people_admin
from tandem.web.decorators import member_required

from . import services_calibration, services_tracking
from .forms_tracking import TrackingSettingsForm
from .selectors_tracking import risks_for, rows_of

PAGE_SIZE = 50


def may_change_tracking(request) -> bool:
    return is_people_admin(request.user)


@member_required
def tracking_settings(request):
    if not may_change_tracking(request):
        raise PermissionDenied
    current = services_tracking.settings_for(request.company)
    form = TrackingSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services_tracking.FIELDS}
        try:
            services_tracking.save_settings(company=request.company, actor=request.actor,
                                            **values)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The pace and alert settings are saved."))
            return redirect("kpis:tracking_settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "kpis/tracking/settings.html", {"form": form}, status=status)


@require_GET
@member_required
def risks(request):
    page = Paginator(risks_for(request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kpis/tracking/risks.html",
                  {"page_obj": page, "rows": rows_of(page.object_list)})


@require_GET
@member_required
def calibration(request):
    scores = services_calibration.scores_for(request.actor)
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kpis/tracking/calibration.html",
                  {"page_obj": page, "scores": page.object_list})
