"""The synergy report's Plotly figures, built on the server as JSON for `goals/charts.js` to
draw with the packaged plotly.min.js: company objective completion beside department KPI
attainment and OKR completion, the trend of those figures by week, and the widest gaps of the
at-risk list. Bars carry their percent as text and lines their name in the legend and the hover,
so colour is never the only sign."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from tandem.goals.charts import BAND_COLOURS
from tandem.goals.progress import expected_progress
from tandem.goals.templatetags.okr import okr_band

from .synergy import Report

GAPS_SHOWN = 15


def _pct(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float((Decimal(value) * 100).quantize(Decimal("0.1")))


def _text(value: Decimal | None) -> str:
    return "—" if value is None else f"{_pct(value):g} %"


SHORT_TITLE = 10


def _short(index: int, title: str) -> str:
    """"1. 本季度销售额达到…": unique, and short enough to stand level under its bar."""
    short = title if len(title) <= SHORT_TITLE else title[:SHORT_TITLE] + "…"
    return f"{index}. {short}"


def completion_vs_attainment(report: Report) -> go.Figure:
    """Left: each company objective's completion. Right: each department's KPI attainment and
    OKR completion. (Two plain axes side by side: `make_subplots` costs more than the data.)"""
    figure = go.Figure()
    objectives = report.company_objectives
    figure.add_trace(go.Bar(
        # Titles are sentences: the axis shows a numbered short form, the hover the whole.
        x=[_short(index, o.title) for index, o in enumerate(objectives, start=1)],
        y=[_pct(o.progress) for o in objectives], customdata=[o.title for o in objectives],
        text=[_text(o.progress) for o in objectives], textposition="auto",
        marker={"color": [BAND_COLOURS[okr_band(o.progress)] for o in objectives]},
        name=_("Completion"), hovertemplate="%{customdata}<br>%{text}<extra></extra>",
        xaxis="x", yaxis="y"))
    departments = report.departments
    names = [d.name for d in departments]
    for label, values, colour in (
            (_("KPI attainment"), [d.kpi_attainment for d in departments], "#0d6efd"),
            (_("OKR completion"), [d.okr_completion for d in departments], "#6f42c1")):
        figure.add_trace(go.Bar(
            x=names, y=[_pct(v) for v in values], text=[_text(v) for v in values],
            textposition="auto", marker={"color": colour}, name=label,
            hovertemplate="%{x}<br>%{text}<extra></extra>", xaxis="x2", yaxis="y2"))
    figure.update_layout(
        barmode="group", height=380,
        legend={"orientation": "h", "x": 0, "y": -0.28, "yanchor": "top"},
        margin={"l": 48, "r": 16, "t": 40, "b": 80},
        xaxis={"domain": [0, 0.36]}, xaxis2={"domain": [0.44, 1]},
        yaxis={"title": {"text": "%"}, "rangemode": "tozero"},
        yaxis2={"anchor": "x2", "rangemode": "tozero"},
        annotations=[
            {"text": _("Company objectives: completion"), "x": 0.18, "y": 1.08,
             "xref": "paper", "yref": "paper", "showarrow": False},
            {"text": _("Departments: KPI attainment and OKR completion"), "x": 0.72, "y": 1.08,
             "xref": "paper", "yref": "paper", "showarrow": False}])
    return figure


def trend(report: Report) -> go.Figure:
    """By week, as the figures stood at its end (today for the week under way): each company
    objective's completion, and the mean of the departments' KPI attainment (one line per
    department when the report is narrowed to some), beside the linear expected pace on
    the same days."""
    weeks = report.weeks
    labels = [_("W%(number)s") % {"number": week.number} for week in weeks]
    as_of = [week.as_of.isoformat() for week in weeks]
    hover = "%{fullData.name}<br>%{customdata}: %{y} %<extra></extra>"
    figure = go.Figure()
    for index, objective in enumerate(report.company_objectives, start=1):
        figure.add_trace(go.Scatter(
            x=labels, y=[_pct(week.completion.get(objective.pk)) for week in weeks],
            customdata=as_of, name=_short(index, objective.title), mode="lines+markers",
            hovertemplate=hover))
    if report.subtree is None:
        kpi_lines = [(_("Mean department KPI attainment"),
                      [week.mean_kpi_attainment for week in weeks])]
    else:
        kpi_lines = [(_("KPI attainment: %(department)s") % {"department": row.name},
                      [week.kpi_attainment.get(row.pk) for week in weeks])
                     for row in report.departments]
    for name, values in kpi_lines:
        figure.add_trace(go.Scatter(
            x=labels, y=[_pct(value) for value in values], customdata=as_of, name=name,
            mode="lines+markers", line={"dash": "dash"}, hovertemplate=hover))
    # The pace on the day each point stands at, so the week under way compares with today's.
    cycle = report.cycle
    pace = [expected_progress(cycle.start, cycle.end, week.as_of) for week in weeks]
    figure.add_trace(go.Scatter(x=labels, y=[_pct(value) for value in pace],
                                customdata=as_of, name=_("Expected pace"), mode="lines",
                                line={"dash": "dot", "color": "#6c757d"},
                                hovertemplate=hover))
    figure.update_layout(
        height=320, margin={"l": 48, "r": 16, "t": 16, "b": 32},
        xaxis={"type": "category"},
        yaxis={"title": {"text": "%"}, "rangemode": "tozero"},
        legend={"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top"})
    return figure


def gaps(report: Report) -> go.Figure:
    """The widest gaps between the progress linked key results imply and the expected pace
    (percentage points), worst first."""
    worst = report.at_risk[:GAPS_SHOWN]
    labels = [f"{report.holder(s)} · {s.indicator_code}" for s in worst]
    values = [_pct(s.gap) for s in worst]
    figure = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", text=[f"{v:g}" for v in values],
        textposition="auto", marker={"color": [
            BAND_COLOURS["red"] if s.verdict == "no" else BAND_COLOURS["yellow"] for s in worst]},
        hovertemplate="%{y}<br>%{x} pp<extra></extra>"))
    figure.update_layout(height=max(200, 28 * len(worst) + 60),
                         margin={"l": 160, "r": 16, "t": 16, "b": 32},
                         xaxis={"title": {"text": _("Gap to the expected pace (points)")}},
                         yaxis={"autorange": "reversed"})
    return figure
