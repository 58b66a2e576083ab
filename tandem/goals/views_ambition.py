"""What the ambition guard shows on pages: the warning after saving a target already promised,
and the eased targets and low-ambition flags a lead reads on the team page, the approval inbox
and the objective detail (`{% target_changes objective %}` in `templatetags/goals_ambition`)."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _

from . import selectors
from .models import KeyResult


def warn_low_ambition(request, kr: KeyResult) -> None:
    """Saved, but said so: the target is already promised (goals.ambition). Never blocks."""
    if kr.low_ambition:
        messages.warning(request, _("Saved, but this target looks easy: %(explanation)s")
                         % {"explanation": kr.low_ambition_explanation})


def attach_eased_targets(key_results) -> None:
    """Sets `eased_targets` (the latest eased targets, newest first) on each key result, in
    one query for all of them."""
    key_results = list(key_results)
    eased = selectors.eased_targets(kr.pk for kr in key_results)
    for kr in key_results:
        kr.eased_targets = eased.get(kr.pk, [])


def target_changes_context(objective) -> dict:
    return {"changes": selectors.target_changes_of(objective)}
