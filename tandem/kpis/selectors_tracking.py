"""What the risk list shows a reader: the items at risk in the active cycles whose owner is the
reader or whose department is one they lead (HR and administrators: all), with the stored
verdict. The states are filtered and paged in the database; the names of one page's items take
two more queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tandem.goals.models import KeyResult

from .models import Assignment
from .models_tracking import ItemKind, RiskState


@dataclass
class RiskRow:
    kind: str
    title: str
    owner: str
    url: str
    state: RiskState


def risks_for(actor):
    """The at-risk states the actor may see, oldest first (a queryset to page)."""
    states = (RiskState.objects.filter(at_risk=True, cycle__status="active")
              .order_by("since", "kind", "item_id"))
    if actor.is_admin or actor.is_hr:
        return states
    own = actor.employee.pk if actor.employee is not None else None
    mine = Q(owner_id=own) if own is not None else Q(pk__in=[])
    return states.filter(mine | Q(department_id__in=actor.managed_department_ids))


def rows_of(states) -> list[RiskRow]:
    """The rows of one page of states, with their items' titles and owners."""
    states = list(states)
    kr_ids = [s.item_id for s in states if s.kind == ItemKind.KEY_RESULT]
    kpi_ids = [s.item_id for s in states if s.kind == ItemKind.ASSIGNMENT]
    krs = KeyResult.objects.in_bulk(kr_ids) if kr_ids else {}
    kpis = (Assignment.objects.select_related("indicator", "employee", "department", "position")
            .in_bulk(kpi_ids)) if kpi_ids else {}
    owners = _owner_names(states)
    rows = []
    for state in states:
        if state.kind == ItemKind.KEY_RESULT:
            kr = krs.get(state.item_id)
            if kr is not None:
                rows.append(RiskRow(kind=state.kind, title=kr.title,
                                    owner=owners.get(state.pk, ""),
                                    url=f"/goals/objectives/{kr.objective_id}/", state=state))
        else:
            assignment = kpis.get(state.item_id)
            if assignment is not None:
                rows.append(RiskRow(kind=state.kind, title=str(assignment.indicator),
                                    owner=assignment.assignee_name,
                                    url=f"/kpis/assignments/{assignment.pk}/", state=state))
    return rows


def _owner_names(states) -> dict[int, str]:
    """The owner's name of each state, else its department's (a department's key result)."""
    from tandem.org.models import Department, Employee

    people = Employee.objects.in_bulk({s.owner_id for s in states if s.owner_id})
    departments = Department.objects.in_bulk(
        {s.department_id for s in states if s.department_id and not s.owner_id})
    names = {}
    for state in states:
        if state.owner_id in people:
            names[state.pk] = people[state.owner_id].name
        elif state.department_id in departments:
            names[state.pk] = departments[state.department_id].display_name
    return names
