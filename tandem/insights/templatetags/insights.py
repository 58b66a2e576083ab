"""Template helpers of the reports: percents with one decimal (as `kpis.attainment.percent`
writes them in the explanations), verdict labels, and the URL of a figure's explanation."""

from decimal import Decimal
from urllib.parse import quote_plus

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


@register.simple_tag(takes_context=True)
def explain_url(context, filters, figure: str, key="") -> str:
    # The page has hundreds of these links: the address and the filters' part of the query
    # are made once per page.
    cached = ("insights.explain_start", id(filters))
    start = context.render_context.get(cached)
    if start is None:
        params = {}
        if filters.cycle is not None:
            params["cycle"] = filters.cycle.pk
        if filters.department is not None:
            params["department"] = filters.department.pk
        params["figure"] = ""
        start = context.render_context[cached] = (
            f"{reverse('insights:synergy_explain')}?{urlencode(params)}")
    url = start + quote_plus(figure)
    if key != "":
        url += "&key=" + quote_plus(str(key))
    return url


@register.simple_tag
def export_url(filters) -> str:
    query = filters.query()
    url = reverse("insights:synergy_export")
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def explain_link(context, filters, figure: str, key, label) -> str:
    """A figure that opens its explanation in the side panel (htmx), or as a page without
    JavaScript."""
    url = explain_url(context, filters, figure, key)
    return format_html(
        '<a class="td-explain" href="{}" hx-get="{}" hx-target="#td-explain-body" '
        'hx-swap="innerHTML" data-bs-toggle="offcanvas" data-bs-target="#td-explain" '
        'aria-controls="td-explain">{}</a>', url, url, label)
