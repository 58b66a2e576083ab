"""My team's OKRs: for a department leader, the people and objectives of the departments they
lead (the whole subtree), with progress, the expected pace, the latest confidence and an
at-risk flag with its reasons; HR and administrators pick any department. A constant number of
queries whatever the size of the team."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tandem.org.models import Department, Employee, EmployeeStatus
from tandem.org.selectors import subtree_ids
from tandem.web.decorators import member_required, require_perm

from . import selectors
from .models import Cycle, Level
from .pace import ObjectiveRow, objective_rows
from .policy import policy_for
from .views import _chosen_cycle
from .views_ambition import attach_eased_targets


def may_see_a_team(request) -> bool:
    """Department leaders, HR and administrators (the navigation shows them the page)."""
    actor = getattr(request, "actor", None)
    return bool(actor and (actor.is_admin or actor.is_hr or actor.managed_department_ids))


def _team_department(request) -> tuple[Department | None, list[Department]]:
    """The department shown and those that may be picked: HR and administrators any, a
    leader those they lead (a department they do not lead is a 403)."""
    actor = request.actor
    everyone = actor.is_admin or actor.is_hr
    choices = Department.objects.order_by("pk") if everyone else \
        Department.objects.filter(pk__in=actor.managed_department_ids).order_by("pk")
    choices = list(choices.select_related("parent"))
    raw = request.GET.get("department", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
        department = get_object_or_404(Department.objects, pk=int(raw))
        if not everyone and department.pk not in actor.managed_department_ids:
            raise PermissionDenied
        return department, choices
    ids = {choice.pk for choice in choices}
    tops = sorted((choice for choice in choices if choice.parent_id not in ids),
                  key=lambda choice: choice.pk)
    return (tops[0] if tops else None), choices


@member_required
def team(request):
    require_perm(request, "goals.view_objective")
    if not may_see_a_team(request):
        raise PermissionDenied
    cycle = _chosen_cycle(request)
    department, choices = _team_department(request)
    today = timezone.localdate()
    people: list[dict] = []
    department_rows: list[ObjectiveRow] = []
    if department is not None and cycle is not None:
        subtree = subtree_ids(request.company, [department.pk])
        staff = list(Employee.objects.filter(department_id__in=subtree)
                     .exclude(status=EmployeeStatus.LEFT)
                     .select_related("department").order_by("department_id", "name", "pk"))
        staff_ids = [person.pk for person in staff]
        objectives = (selectors.objectives_with_owners()
                      .filter(Q(level=Level.DEPARTMENT, owner_department_id__in=subtree)
                              | Q(level=Level.INDIVIDUAL, owner_employee_id__in=staff_ids),
                              cycle=cycle)
                      .prefetch_related(selectors.key_results_prefetch())
                      .order_by("level", "pk"))
        rows = objective_rows(objectives, today, policy_for(request.company))
        attach_eased_targets(kr_row.kr for row in rows for kr_row in row.krs)
        by_person: dict[int, list[ObjectiveRow]] = {}
        for row in rows:
            if row.objective.level == Level.DEPARTMENT:
                department_rows.append(row)
            else:
                by_person.setdefault(row.objective.owner_employee_id, []).append(row)
        people = [{"person": person, "rows": by_person.get(person.pk, [])} for person in staff]
    return render(request, "goals/team.html", {
        "cycle": cycle, "cycles": Cycle.objects.order_by("-start"),
        "department": department, "departments": choices,
        "department_rows": department_rows, "people": people, "today": today,
    })
