"""Plotly figures built on the server, as JSON for `static/goals/charts.js` to draw: a key
result's progress and confidence over time (with its expected pace and, from two check-ins
on, a forecast to the end of the cycle), and the company alignment tree as a sunburst coloured
by the OKR convention (green from 0.7, yellow from 0.4, red below)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress
from .selectors import Tree
from .templatetags.okr import okr_band

BAND_COLOURS = {"green": "#198754", "yellow": "#e0a800", "red": "#dc3545"}
ORPHANS_ID = "orphans"


def _percent(value: Decimal) -> float:
    return float((Decimal(value) * 100).quantize(Decimal("0.1")))


def key_result_figure(key_result, check_ins: Sequence, cycle_start: date,
                      cycle_end: date) -> go.Figure:
    """Progress (%) and confidence (0–10, right axis) at each check-in, oldest first; the
    linear pace from 0 at the cycle start to 100 % at its end; with two check-ins or more,
    the least-squares forecast from the last one to the end of the cycle."""
    points = sorted(check_ins, key=lambda entry: (entry.created_at, entry.pk))
    days = [timezone.localdate(entry.created_at) for entry in points]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=[day.isoformat() for day in days], y=[_percent(entry.progress) for entry in points],
        name=_("Progress"), mode="lines+markers", line={"color": "#0d6efd"}))
    figure.add_trace(go.Scatter(
        x=[day.isoformat() for day in days], y=[entry.confidence for entry in points],
        name=_("Confidence"), mode="markers", yaxis="y2",
        marker={"symbol": "diamond", "color": "#6f42c1"}))
    figure.add_trace(go.Scatter(
        x=[cycle_start.isoformat(), cycle_end.isoformat()], y=[0, 100],
        name=_("Expected pace"), mode="lines", line={"dash": "dot", "color": "#6c757d"}))
    forecast = progress.forecast(
        [(day, entry.progress) for day, entry in zip(days, points, strict=True)], cycle_end)
    if forecast is not None:
        figure.add_trace(go.Scatter(
            x=[days[-1].isoformat(), cycle_end.isoformat()],
            y=[_percent(points[-1].progress), _percent(forecast)],
            name=_("Forecast"), mode="lines", line={"dash": "dash", "color": "#fd7e14"}))
    figure.update_layout(
        height=260, margin={"l": 48, "r": 48, "t": 16, "b": 32},
        xaxis={"type": "date", "range": [cycle_start.isoformat(), cycle_end.isoformat()]},
        yaxis={"title": {"text": _("Progress (%)")}, "rangemode": "tozero"},
        yaxis2={"title": {"text": _("Confidence")}, "overlaying": "y", "side": "right",
                "range": [0, 10.5], "dtick": 2},
        legend={"orientation": "h"})
    return figure


def forecast_for(check_ins: Sequence, cycle_end: date) -> Decimal | None:
    points = [(timezone.localdate(entry.created_at), entry.progress) for entry in check_ins]
    return progress.forecast(points, cycle_end)


def alignment_sunburst(tree: Tree) -> go.Figure:
    """Every objective of the tree under its parent (company objectives in the centre), the
    orphans under one grey node of their own. Each sector's colour is its progress band; the
    label carries the percent too, so colour is never the only sign."""
    ids: list[str] = []
    labels: list[str] = []
    parents: list[str] = []
    colours: list[str] = []
    texts: list[str] = []
    links: list[str] = []
    for node in tree.flat():
        objective = node.objective
        parent = objective.parent_id
        ids.append(str(objective.pk))
        parents.append(str(parent) if parent is not None and node.depth > 0 else "")
        labels.append(objective.title)
        colours.append(BAND_COLOURS[okr_band(objective.progress)])
        texts.append(f"{objective.owner_name} · {_percent(objective.progress):g} %")
        links.append(f"/goals/objectives/{objective.pk}/")
    if tree.orphans:
        ids.append(ORPHANS_ID)
        parents.append("")
        labels.append(_("Not aligned"))
        colours.append("#adb5bd")
        texts.append(_("Objectives aligned to nothing"))
        links.append("")
        for objective in tree.orphans:
            ids.append(str(objective.pk))
            parents.append(ORPHANS_ID)
            labels.append(objective.title)
            colours.append(BAND_COLOURS[okr_band(objective.progress)])
            texts.append(f"{objective.owner_name} · {_percent(objective.progress):g} %")
            links.append(f"/goals/objectives/{objective.pk}/")
    figure = go.Figure(go.Sunburst(
        ids=ids, labels=labels, parents=parents, text=texts, customdata=links,
        marker={"colors": colours}, textinfo="label+text",
        hovertemplate="%{label}<br>%{text}<extra></extra>", insidetextorientation="auto"))
    figure.update_layout(height=560, margin={"l": 8, "r": 8, "t": 8, "b": 8})
    return figure
