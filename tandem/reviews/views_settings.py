"""The company's review settings (reviews.change_reviewsettings: HR and administrators): the
shares, cap, bounds and limit, the grade scale with the forced distribution, and the weight
overrides per department or position. A cycle freezes the settings when it opens
(`reviews.policy.freeze`), so saving here never changes an open cycle."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tandem.web.decorators import member_required, require_perm

from . import services_settings
from .forms_settings import GradeRows, OverrideForm, SettingsForm, grade_rows_initial
from .models import CycleStatus, ReviewCycle, WeightOverride
from .policy import settings_for

PERM = "reviews.change_reviewsettings"
OPEN = (CycleStatus.ASSESSMENT, CycleStatus.CALIBRATION)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _open_cycles() -> list[str]:
    return list(ReviewCycle.objects.filter(status__in=OPEN).values_list("name", flat=True))


@member_required
def settings_page(request):
    require_perm(request, PERM)
    row = settings_for(request.company)
    form = SettingsForm(_posted(request), instance=row)
    grades = GradeRows(_posted(request), prefix="grades", initial=grade_rows_initial(row))
    if request.method == "POST" and form.is_valid() and grades.is_valid():
        try:
            services_settings.save_settings(actor=request.actor, company=request.company, values=form.values(),
                           grades=grades.grades, distribution=grades.distribution)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Review settings saved. Open review cycles keep the "
                                        "settings they froze when they opened."))
            return redirect("reviews:settings")
    return render(request, "reviews/settings/settings.html", {
        "form": form, "grades": grades, "open_cycles": _open_cycles()})


@member_required
def overrides(request):
    require_perm(request, PERM)
    form = OverrideForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            override = services_settings.add_override(actor=request.actor, company=request.company,
                                     data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Shares for %(target)s added.")
                             % {"target": override.department or override.position})
            return redirect("reviews:overrides")
    rows = WeightOverride.objects.select_related("department", "position").order_by(
        "department__name", "position__title", "pk")
    return render(request, "reviews/settings/overrides.html", {
        "form": form, "overrides": rows, "open_cycles": _open_cycles()})


@member_required
def override_delete(request, pk):
    override = get_object_or_404(WeightOverride.objects.select_related("department",
                                                                       "position"), pk=pk)
    require_perm(request, PERM)
    target = override.department or override.position
    if request.method == "POST":
        services_settings.delete_override(actor=request.actor, override=override)
        messages.success(request, _("Shares for %(target)s deleted: cycles opened from "
                                    "now on take the next shares up.") % {"target": target})
        return redirect("reviews:overrides")
    return render(request, "reviews/settings/override_delete.html", {
        "override": override, "target": target})
