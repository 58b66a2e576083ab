"""What the pages show of alignment: the warning and ranked parent suggestions of an objective
(objective detail page, and the key result form the objective form leads to) and the coverage
figures of a cycle (alignment tree page). The pages include them through the template tags of
`goals.templatetags.goals_alignment`; `goals.alignment` computes."""

from __future__ import annotations

from . import alignment
from .models import Cycle, Objective


def alignment_panel_context(request, objective: Objective) -> dict:
    """The warning and, for whoever may change the objective, the suggested parents. Nothing
    to show for a well-aligned objective: no query beyond the department chain."""
    warning = alignment.alignment_warning(objective)
    can_change = request.user.has_perm("goals.change_objective", objective)
    return {
        "objective": objective,
        "warning": warning,
        "warning_text": alignment.WARNINGS.get(warning, ""),
        "suggestions": alignment.suggestions(objective) if warning and can_change else [],
        "can_change": can_change,
    }


def coverage_context(cycle: Cycle | None) -> dict:
    return {"report": alignment.coverage(cycle) if cycle is not None else None}
