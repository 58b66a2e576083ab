"""My KPIs (every employee: their own assignments of the cycle with attainment, score, pace
and their weighted KPI score) and My team's KPIs (leaders: the people below them × their
KPIs with at-risk flags; HR and administrators pick any department). A constant number of
queries whatever the size of the team."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tandem.goals.models import Cycle
from tandem.org.models import Department, Employee, EmployeeStatus
from tandem.org.selectors import subtree_ids
from tandem.web.decorators import member_required

from .selectors import visible_assignments
from .views_common import chosen_cycle, company_policy, may_see_a_team, pace_of, weighted


def _rows(assignments, today, policy) -> list[dict]:
    return [{"assignment": a, "pace": pace_of(a, today, policy)} for a in assignments]


def _own(request, cycle):
    employee = request.actor.employee
    if employee is None or cycle is None:
        return []
    return list(visible_assignments(request.actor, cycle).filter(employee=employee)
                .order_by("-weight", "indicator__code", "pk"))


@member_required
def my_kpis(request):
    cycle = chosen_cycle(request)
    today = timezone.localdate()
    policy = company_policy(request)
    own = _own(request, cycle)
    shared = []
    employee = request.actor.employee
    if cycle is not None and employee is not None:
        shared = list(visible_assignments(request.actor, cycle)
                      .filter(department_id=employee.department_id)
                      .order_by("indicator__code", "pk"))
    rows = _rows(own, today, policy)
    return render(request, "kpis/my_kpis.html", {
        "cycle": cycle, "cycles": Cycle.objects.order_by("-start"),
        "rows": rows, "department_rows": _rows(shared, today, policy),
        "weighted": weighted(own), "weight_total": sum((a.weight for a in own), 0),
        "at_risk": sum(1 for row in rows if row["pace"].at_risk), "employee": employee,
    })


@member_required
def my_score_explain(request):
    """How the weighted KPI score of My KPIs is made: Σ wₖ·scoreₖ / Σ wₖ over the measured."""
    cycle = chosen_cycle(request)
    own = _own(request, cycle)
    measured = [a for a in own if a.score is not None]
    template = "kpis/_explain_weighted.html" if request.htmx else "kpis/explain_weighted.html"
    return render(request, template, {
        "cycle": cycle, "rows": own, "measured": measured, "weighted": weighted(own),
        "measured_weight": sum((a.weight for a in measured), 0),
    })


def _team_department(request):
    """The department shown and those that may be picked: HR and administrators any, a
    leader those they lead (a department they do not lead is a 403)."""
    actor = request.actor
    everyone = actor.is_admin or actor.is_hr
    choices = Department.objects.order_by("pk") if everyone else \
        Department.objects.filter(pk__in=actor.managed_department_ids).order_by("pk")
    choices = list(choices)
    raw = request.GET.get("department", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
        department = get_object_or_404(Department.objects, pk=int(raw))
        if not everyone and department.pk not in actor.managed_department_ids:
            raise PermissionDenied
        return department, choices
    ids = {choice.pk for choice in choices}
    tops = [choice for choice in choices if choice.parent_id not in ids]
    return (tops[0] if tops else None), choices


@member_required
def team_kpis(request):
    if not may_see_a_team(request):
        raise PermissionDenied
    cycle = chosen_cycle(request)
    department, choices = _team_department(request)
    today = timezone.localdate()
    policy = company_policy(request)
    people, department_rows = [], []
    at_risk = 0
    if department is not None and cycle is not None:
        subtree = subtree_ids(request.company, [department.pk])
        staff = Employee.objects.filter(department_id__in=subtree).exclude(
            status=EmployeeStatus.LEFT).select_related("department").order_by(
            "department_id", "name", "pk")
        own = request.actor.employee
        if own is not None and not (request.actor.is_admin or request.actor.is_hr):
            staff = staff.exclude(pk=own.pk)
        staff = list(staff)
        visible = visible_assignments(request.actor, cycle)
        by_person = defaultdict(list)
        for assignment in visible.filter(employee__in=[p.pk for p in staff]).order_by(
                "-weight", "indicator__code", "pk"):
            by_person[assignment.employee_id].append(assignment)
        for person in staff:
            items = by_person.get(person.pk, [])
            rows = _rows(items, today, policy)
            risky = sum(1 for row in rows if row["pace"].at_risk)
            at_risk += risky
            people.append({"person": person, "rows": rows, "weighted": weighted(items),
                           "at_risk": risky,
                           "weight_total": sum((a.weight for a in items), 0)})
        department_rows = _rows(visible.filter(department_id__in=subtree).order_by(
            "department_id", "indicator__code", "pk"), today, policy)
    return render(request, "kpis/team_kpis.html", {
        "cycle": cycle, "cycles": Cycle.objects.order_by("-start"),
        "department": department, "departments": choices, "people": people,
        "department_rows": department_rows, "at_risk": at_risk,
    })
