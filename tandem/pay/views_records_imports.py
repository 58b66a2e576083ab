"""The Excel import pages of the salary data (HR only): the template in the user's language,
the upload, and the errors by row number when the file is refused (then nothing is written:
`core.imports`). The figures of a successful import are shown on the list page it belongs to."""

from __future__ import annotations

import time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tandem.core.imports import template_response
from tandem.web.decorators import member_required, require_perm

from .forms_records import ImportForm
from .imports import IMPORTS

# name → (permission, list page, page title)
PAGES = {
    "salary-profiles": ("pay.add_salaryprofile", "pay:salary_profiles",
                        gettext_lazy("Import salary profiles")),
    "deductions": ("pay.add_deductiondeclaration", "pay:deduction_list",
                   gettext_lazy("Import deduction declarations")),
    "attendance": ("pay.add_attendancesummary", "pay:attendance",
                   gettext_lazy("Import attendance summaries")),
    "pay-items": ("pay.add_payitem", "pay:pay_items", gettext_lazy("Import pay items")),
    "openings": ("pay.add_yeartodateopening", "pay:openings",
                 gettext_lazy("Import year-to-date figures")),
}


def import_page(request, kind: str):
    permission, list_url, title = PAGES[kind]
    require_perm(request, permission)
    columns, run, _filename = IMPORTS[kind]
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            started = time.monotonic()
            result = run(form.cleaned_data["file"], company=request.company, by=request.user,
                         request=request)
            if result.ok:
                messages.success(request, _(
                    "Imported %(rows)s rows in %(seconds).1f s: %(created)s added, "
                    "%(updated)s updated.") % {
                    "rows": result.rows, "seconds": time.monotonic() - started,
                    "created": result.created, "updated": result.updated})
                return redirect(list_url)
        status = 400
    return render(request, "pay/records/import.html", {
        "form": form, "result": result, "title": title, "kind": kind,
        "columns": columns(), "list_url": list_url,
        "template_url": f"pay:import_template_{kind.replace('-', '_')}",
    }, status=status)


def template_download(request, kind: str):
    permission, _list_url, title = PAGES[kind]
    require_perm(request, permission)
    columns, _run, filename = IMPORTS[kind]
    return template_response(columns(), filename, title=str(title))


def import_view(kind: str):
    view = member_required(lambda request: import_page(request, kind))
    view.__name__ = f"import_{kind.replace('-', '_')}"
    return view


def template_view(kind: str):
    view = require_GET(member_required(lambda request: template_download(request, kind)))
    view.__name__ = f"import_template_{kind.replace('-', '_')}"
    return view
