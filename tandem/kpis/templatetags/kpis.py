"""Template helpers of the KPI pages: figures as percents and plain numbers, the status band of
an attainment, and — for the OKR pages — which KPIs a key result supports (one query for every
key result of the page)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tandem.goals.templatetags.okr import okr_band, okr_band_label
from tandem.goals.templatetags.okr import plain as okr_plain

from .. import attainment as rules

register = template.Library()


@register.filter
def kpct(fraction) -> str:
    """A fraction as a percent with one decimal (0.825 → 82.5 %); "—" when there is none."""
    if fraction is None or fraction == "":
        return "—"
    return rules.percent(Decimal(fraction))


@register.filter
def knum(value) -> str:
    """A figure without trailing zeros, digits grouped; "—" when there is none."""
    if value is None or value == "":
        return "—"
    return okr_plain(value)


@register.filter
def kband(attainment) -> str:
    """green / yellow / red by the OKR convention; "none" before any measurement."""
    if attainment is None:
        return "none"
    return okr_band(attainment)


@register.filter
def kband_label(attainment) -> str:
    if attainment is None:
        from django.utils.translation import gettext

        return gettext("Not measured yet")
    return okr_band_label(attainment)


@register.filter
def kget(mapping, key):
    """`mapping[key]`, or an empty list."""
    if not mapping:
        return []
    return mapping.get(key, [])


@register.simple_tag(takes_context=True)
def kpi_support(context, cards):
    """{key result id: [links]} for the key results of `cards` (My OKRs' cards, or one card),
    each link with its assignment and indicator, only the assignments the viewer may read.
    One query for the whole page."""
    from ..selectors import visible_links

    if isinstance(cards, dict):
        cards = [cards]
    ids = [row["kr"].pk for card in cards or [] for row in card.get("rows", [])]
    if not ids:
        return {}
    request = context.get("request")
    actor = getattr(request, "actor", None)
    links = (visible_links(actor).select_related("assignment__employee",
                                                 "assignment__department")
             .filter(key_result_id__in=ids).order_by("pk"))
    support: dict[int, list] = {}
    for link in links:
        support.setdefault(link.key_result_id, []).append(link)
    return support
