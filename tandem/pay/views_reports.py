"""The salary report pages and the finance exports (HR and finance: salary data). Thin: the
figures come from `pay.reports` and `pay.exports`, the workbook from `core.exports`. An
export of a run that is not approved or paid is refused with a 409 and the reason."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tandem.core.exports import xlsx_response
from tandem.web.decorators import member_required, require_perm

from . import exports, reports, reports_bonus
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
    run = get_object_or_404(PayrollRun.objects, pk=pk)
    require_perm(request, "pay.view_payrollrun", run)
    build, filename, fallback = exports.EXPORTS[name]
    try:
        sheets = build(run)
    except exports.NotExportable as refused:
        return render(request, "pay/reports/refused.html",
                      {"run": run, "refusal": refused.message}, status=409)
    return xlsx_response(sheets, filename(run),
                         fallback_filename=f"{fallback}-{run.month:%Y-%m}.xlsx")


@require_GET
@member_required
def bank_transfers(request, pk):
    return _export(request, pk, "bank-transfers")


@require_GET
@member_required
def accounting_summary(request, pk):
    return _export(request, pk, "accounting-summary")


@require_GET
@member_required
def iit_withholding(request, pk):
    return _export(request, pk, "iit-withholding")
