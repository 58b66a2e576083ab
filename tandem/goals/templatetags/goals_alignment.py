"""`{% alignment_panel objective %}` and `{% alignment_coverage cycle %}`: see
`goals.views_alignment`."""

from django import template

from ..views_alignment import alignment_panel_context, coverage_context

register = template.Library()


@register.inclusion_tag("goals/_alignment_panel.html", takes_context=True)
def alignment_panel(context, objective):
    return alignment_panel_context(context["request"], objective)


@register.inclusion_tag("goals/_alignment_coverage.html")
def alignment_coverage(cycle):
    return coverage_context(cycle)
