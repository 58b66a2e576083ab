"""`{% target_changes objective %}`: the objective's target changes with their reasons and
ambition (see `goals.views_ambition`)."""

from django import template

from ..views_ambition import target_changes_context

register = template.Library()


@register.inclusion_tag("goals/_target_changes.html")
def target_changes(objective):
    return target_changes_context(objective)
