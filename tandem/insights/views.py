"""The synergy report page, its explanation panel (htmx) and its Excel export. Thin: the
filters come from `insights.filters`, the figures from `insights.synergy`, the charts from
`insights.charts`, the explanations from `insights.explain`; the export is a background job
(`insights.export_jobs`, through `core.export_jobs`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem.goals.models import Cycle
from tandem.web import views_exports
from tandem.web.decorators import member_required, require_perm

from . import charts, explain, export_jobs, filters, synergy

AT_RISK_SHOWN = 50
PEOPLE_SHOWN = 100


def _chosen(request):
    """The filters and the report (None without any cycle), or the 400 page."""
    require_perm(request, "insights.view_synergy")
    chosen = filters.resolve(request.actor, request.GET)
    report = None
    if chosen.cycle is not None:
        report = synergy.build(chosen.cycle, subtree=chosen.subtree)
    return chosen, report


def _cell(cell: synergy.Cell, key: str) -> tuple[synergy.Cell, str, str]:
    """A matrix cell, its explanation key and its label ("2 objectives · 3 KPIs"), made here
    rather than by two template translations in each of the page's hundreds of cells."""
    if cell.empty:
        return cell, key, ""
    objectives, kpis = len(cell.objectives), len(cell.kpis)
    return cell, key, " · ".join((
        ngettext("%(count)s objective", "%(count)s objectives", objectives)
        % {"count": objectives},
        ngettext("%(count)s KPI", "%(count)s KPIs", kpis) % {"count": kpis}))


def _bad_filter(request, bad: filters.BadFilter):
    return render(request, "insights/bad_filter.html", {"errors": bad.errors}, status=400)


@require_GET
@member_required
def synergy_report(request):
    try:
        chosen, report = _chosen(request)
    except filters.BadFilter as bad:
        return _bad_filter(request, bad)
    context = {"filters": chosen, "report": report, "cycles": Cycle.objects.order_by("-start"),
               "rule_lines": explain.rule_lines(report) if report else []}
    if report is not None:
        context.update(
            completion_figure=charts.completion_vs_attainment(report).to_json(),
            trend_figure=charts.trend(report).to_json(),
            gaps_figure=charts.gaps(report).to_json() if report.at_risk else None,
            at_risk=[(item, report.holder(item)) for item in report.at_risk[:AT_RISK_SHOWN]],
            people=report.employees[:PEOPLE_SHOWN],
            matrix_rows=[(row, [_cell(report.cell(objective.pk, row.pk),
                                      f"{objective.pk}-{row.pk}")
                                for objective in report.company_objectives])
                         for row in report.departments],
        )
    return render(request, "insights/synergy.html", context)


@require_GET
@member_required
def synergy_explain(request):
    """One figure's inputs and formula: `?figure=` (see `explain.FIGURES`; left out: how the
    whole report is computed) and `?key=`, with the page's filters. A side panel for htmx,
    a page of its own otherwise. Only the part of the report the figure needs is computed."""
    require_perm(request, "insights.view_synergy")
    try:
        chosen = filters.resolve(request.actor, request.GET)
    except filters.BadFilter as bad:
        return _bad_filter(request, bad)
    figure = request.GET.get("figure", "") or "overview"
    if figure not in explain.FIGURES:
        return _bad_filter(request, filters.BadFilter({"figure": [
            _("Choose one of the report's figures.")]}))
    explanation = None
    if chosen.cycle is not None:
        explanation = explain.explain_figure(chosen.cycle, chosen.subtree, figure,
                                             request.GET.get("key", ""))
        if explanation is None:
            raise Http404
    template = ("insights/_explanation.html" if request.htmx
                else "insights/explanation_page.html")
    return render(request, template, {"explanation": explanation, "filters": chosen})


@require_http_methods(["GET", "POST"])
@member_required
def synergy_export(request):
    """Starts the Excel export of the report with the page's filters (from the query string,
    for a POST too): the button's htmx POST gets the progress bar, a plain GET is redirected
    to the file, or to the job's page while it is being prepared."""
    require_perm(request, "insights.view_synergy")
    try:
        chosen = filters.resolve(request.actor, request.GET)
    except filters.BadFilter as bad:
        return _bad_filter(request, bad)
    if chosen.cycle is None:
        return render(request, "insights/synergy.html", {
            "filters": chosen, "report": None, "cycles": []})
    return views_exports.start(request, export_jobs.SYNERGY, export_jobs.params_of(chosen))
