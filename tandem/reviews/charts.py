"""The calibration board's Plotly figure, built on the server as JSON for `goals/charts.js` to
draw with the packaged plotly.min.js: the headcount per grade now beside the forced
distribution's quota. Bars carry their number as text, so colour is never the only sign."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def grade_distribution(grades: Sequence[str], actual: dict[str, int],
                       quotas: dict[str, int] | None) -> go.Figure:
    """Bars per grade, best first: the people holding it now and, when the distribution's
    shares are valid, its quota (reviews.scoring.forced_distribution)."""
    figure = go.Figure()
    counts = [actual.get(grade, 0) for grade in grades]
    figure.add_trace(go.Bar(
        x=list(grades), y=counts, text=[str(count) for count in counts], textposition="auto",
        name=_("People now"), marker={"color": "#0d6efd"},
        hovertemplate="%{x}: %{y}<extra></extra>"))
    if quotas is not None:
        wanted = [quotas.get(grade, 0) for grade in grades]
        figure.add_trace(go.Bar(
            x=list(grades), y=wanted, text=[str(count) for count in wanted],
            textposition="auto", name=_("Forced distribution quota"),
            marker={"color": "#adb5bd", "pattern": {"shape": "/"}},
            hovertemplate="%{x}: %{y}<extra></extra>"))
    figure.update_layout(
        barmode="group", height=280, margin={"l": 40, "r": 16, "t": 16, "b": 32},
        xaxis={"type": "category", "title": {"text": pgettext("review", "Grade")}},
        # Whole people: one tick each while few, Plotly's own (integer) spacing beyond.
        yaxis={"title": {"text": _("People")}, "rangemode": "tozero",
               **({"dtick": 1} if max([*counts, *(quotas or {}).values(), 0]) <= 10
                  else {"tickformat": "d"})},
        legend={"orientation": "h", "y": -0.25})
    return figure
