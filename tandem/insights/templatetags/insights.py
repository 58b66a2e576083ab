"""Template helpers of the reports: percents with one decimal (as `kpis.attainment.percent`
writes them in the explanations), verdict labels, and the URL of a figure's explanation."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from tandem.kpis.attainment import percent

from .. import explain

register = template.Library()


@register.filter
def pct(value) -> str:
    return "—" if value is None or value == "" else percent(Decimal(value))


@register.filter
def verdict_label(verdict: str) -> str:
    return explain.verdict_label(verdict)


_BADGES = {"yes": ("text-bg-success", "✓"), "at_risk": ("text-bg-warning", "⚠"),
           "no": ("text-bg-danger", "✗"), "no_link": ("text-bg-light", "–")}


@register.filter
def verdict_class(verdict: str) -> str:
    """The badge colour of a verdict (always with its icon and label: never colour alone)."""
    return _BADGES[verdict][0]


@register.filter
def verdict_icon(verdict: str) -> str:
    return _BADGES[verdict][1]


@register.filter
def source_label(source: str) -> str:
    return explain.source_label(source)


@register.simple_tag
def explain_url(filters, figure: str, key="") -> str:
    params = {}
    if filters.cycle is not None:
        params["cycle"] = filters.cycle.pk
    if filters.department is not None:
        params["department"] = filters.department.pk
    params["figure"] = figure
    if key != "":
        params["key"] = key
    return f"{reverse('insights:synergy_explain')}?{urlencode(params)}"


@register.simple_tag
def export_url(filters) -> str:
    query = filters.query()
    url = reverse("insights:synergy_export")
    return f"{url}?{query}" if query else url


@register.simple_tag
def explain_link(filters, figure: str, key, label) -> str:
    """A figure that opens its explanation in the side panel (htmx), or as a page without
    JavaScript."""
    url = explain_url(filters, figure, key)
    return format_html(
        '<a class="td-explain" href="{}" hx-get="{}" hx-target="#td-explain-body" '
        'hx-swap="innerHTML" data-bs-toggle="offcanvas" data-bs-target="#td-explain" '
        'aria-controls="td-explain">{}</a>', url, url, label)
