"""The Excel import of measurements (HR and administrators): upload a workbook for a cycle;
every row is validated like an API call and nothing is written unless every row is right,
otherwise the page lists the errors by row number. The template workbook is a download.
The reading and writing is `kpis.imports.import_measurements`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from tandem.web.decorators import member_required

from .forms import ImportForm
from .views_common import chosen_cycle, is_people_admin, posted


def _require(request) -> None:
    if not is_people_admin(request):
        raise PermissionDenied


@member_required
def import_page(request):
    _require(request)
    form = ImportForm(posted(request), request.FILES or None, cycle=chosen_cycle(request))
    result = None
    status = 200
    if form.is_valid():
        from . import imports  # the API helper's module; imported when used

        try:
            result = imports.import_measurements(
                company=request.company, cycle=form.cleaned_data["cycle"],
                uploaded_file=form.cleaned_data["file"], actor=request.actor, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        if result is not None and result.ok:
            messages.success(request, ngettext(
                "%(count)s figure imported.", "%(count)s figures imported.", result.created)
                % {"count": result.created})
            return redirect(reverse("kpis:assignments")
                            + f"?cycle={form.cleaned_data['cycle'].pk}")
    if request.method == "POST" and (result is None or not result.ok):
        status = 400
    return render(request, "kpis/import.html", {"form": form, "result": result},
                  status=status)


@member_required
def import_template(request):
    _require(request)
    from . import imports

    return imports.template_response()
