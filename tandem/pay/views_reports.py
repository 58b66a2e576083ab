"""The salary report pages and the finance exports (HR and finance: salary data). Thin: the
figures come from `pay.reports`; the exports are background jobs (`pay.export_jobs`, sheets
from `pay.exports`). An export of a run that is not approved or paid is refused with a 409
and the reason before any job starts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from tandem.web import views_exports
from tandem.web.decorators import member_required, require_perm

from . import export_jobs, exports, reports, reports_bonus
from .forms_reports import CostReportForm, ReportForm
from .models import PayrollRun


@require_GET
@member_required
def cost_report(request):
    """Cost by department of one approved or paid run (default: the latest)."""
    require_perm(request, "pay.list_payrollrun")
    form = CostReportForm(request.GET)
    run = form.chosen_run()
    report = reports.cost_by_department(run, rollup=form.rollup) if run is not None else None
    return render(request, "pay/reports/cost.html", {
        "form": form, "run": run, "report": report, "tab": "cost",
    }, status=200 if form.is_valid() else 400)


@require_GET
@member_required
def trend_report(request):
    """The last twelve approved or paid runs up to the chosen one: chart and table."""
    require_perm(request, "pay.list_payrollrun")
    form = ReportForm(request.GET)
    until = form.chosen_run()
    runs = reports.trend_runs(until) if until is not None else []
    figure = reports.trend_figure(runs).to_json() if runs else None
    return render(request, "pay/reports/trend.html", {
        "form": form, "run": until, "rows": reports.trend_rows(runs), "figure": figure,
        "tab": "trend",
    }, status=200 if form.is_valid() else 400)


@require_GET
@member_required
def bonus_report(request):
    """A published review cycle's bonuses against its OKR and KPI scores (default: the latest
    published): quadrant chart, quadrant and department tables."""
    require_perm(request, "pay.list_payrollrun")
    form, report, figure = reports_bonus.load(request.GET)
    return render(request, "pay/reports/bonuses.html", {
        "form": form, "report": report, "figure": figure, "tab": "bonuses",
    }, status=200 if form.is_valid() else 400)


def _export(request, pk: int, name: str):
    """Starts the export `name` of the run: the button's htmx POST gets the progress bar, a
    plain GET is redirected to the file, or to the job's page while it is being prepared."""
    run = get_object_or_404(PayrollRun.objects, pk=pk)
    require_perm(request, "pay.view_payrollrun", run)
    try:
        exports.check_exportable(run)
    except exports.NotExportable as refused:
        return render(request, "pay/reports/refused.html",
                      {"run": run, "refusal": refused.message}, status=409)
    return views_exports.start(request, export_jobs.key_of(name), {"run": run.pk})


@require_http_methods(["GET", "POST"])
@member_required
def bank_transfers(request, pk):
    return _export(request, pk, "bank-transfers")


@require_http_methods(["GET", "POST"])
@member_required
def accounting_summary(request, pk):
    return _export(request, pk, "accounting-summary")


@require_http_methods(["GET", "POST"])
@member_required
def iit_withholding(request, pk):
    return _export(request, pk, "iit-withholding")
