"""Template helpers of the Goals pages: the OKR colour band with its label, percents, grades."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from ..progress import grade as okr_grade

register = template.Library()

GREEN_FROM = Decimal("0.7")
YELLOW_FROM = Decimal("0.4")


@register.filter
def okr_band(progress) -> str:
    """The OKR colour convention: green from 0.7, yellow from 0.4, red below."""
    value = Decimal(progress or 0)
    if value >= GREEN_FROM:
        return "green"
    if value >= YELLOW_FROM:
        return "yellow"
    return "red"


@register.filter
def okr_band_label(progress) -> str:
    return {"green": _("On track"), "yellow": _("Needs attention"),
            "red": _("Off track")}[okr_band(progress)]


@register.filter
def percent(progress) -> str:
    value = Decimal(progress or 0) * 100
    return f"{value.quantize(Decimal('1'))} %"


@register.filter
def bar_value(progress) -> str:
    """The value of a <progress max="100"> (the bar stops at 100 %; the label says more)."""
    value = min(Decimal(progress or 0), Decimal(1)) * 100
    return str(value.quantize(Decimal("1")))


@register.filter
def grade(progress) -> str:
    return str(okr_grade(Decimal(progress or 0)))


@register.filter
def plain(value) -> str:
    """A Decimal without trailing zeros, its digits grouped: 250000.0000 → 250,000."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number:,f}"
