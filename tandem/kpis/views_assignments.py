"""Assignment pages: the assignments of a cycle by person, department or position with each
assignee's weight total (flagged when it is not 100 %), creating one, assigning many people at
once (all or nothing), editing and deleting; position KPI sets and applying them to a cycle.
HR and administrators see and manage everything, department leaders their subtree. A constant
number of queries whatever the size of the company."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.goals.models import Cycle
from tandem.org.models import Department, Employee, EmployeeStatus, Position
from tandem.web.decorators import member_required, require_perm

from . import services
from .forms import (
    AssignmentFilterForm,
    AssignmentForm,
    BulkAssignForm,
    PositionSetForm,
)
from .models import PositionIndicator
from .selectors import assignments_with_relations, visible_assignments
from .views_common import chosen_cycle, is_people_admin, manages_kpis, posted, run

ONE = Decimal(1)
ZERO = Decimal(0)
PAGE_SIZE = 40


def _require_manager(request) -> None:
    if not manages_kpis(request):
        raise PermissionDenied


def _require_people_admin(request) -> None:
    if not is_people_admin(request):
        raise PermissionDenied


def _groups(assignments, key, assignees) -> list[dict]:
    """Rows of assignees, each with its assignments and weight total."""
    by_key: dict[int, list] = defaultdict(list)
    for assignment in assignments:
        by_key[getattr(assignment, key)].append(assignment)
    rows = []
    for assignee in assignees:
        items = by_key.get(assignee.pk, [])
        total = sum((a.weight for a in items), ZERO)
        rows.append({"assignee": assignee, "assignments": items, "total": total,
                     "complete": total == ONE})
    return rows


def _people(request, query: str):
    actor = request.actor
    people = Employee.objects.exclude(status=EmployeeStatus.LEFT).select_related(
        "department", "position").order_by("department_id", "name", "pk")
    if not is_people_admin(request):
        people = people.filter(department_id__in=sorted(actor.managed_department_ids))
        if actor.employee is not None:
            people = people.exclude(pk=actor.employee.pk)
    if query:
        people = people.filter(Q(name__icontains=query) | Q(employee_number__icontains=query))
    return people


@member_required
def assignments(request):
    _require_manager(request)
    cycle = chosen_cycle(request)
    filters = AssignmentFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    view = chosen.get("view") or "employee"
    query = (chosen.get("q") or "").strip()
    rows, page = [], None
    if cycle is not None:
        visible = visible_assignments(request.actor, cycle).order_by("indicator__code", "pk")
        if view == "employee":
            page = Paginator(_people(request, query), PAGE_SIZE).get_page(
                request.GET.get("page"))
            people = list(page.object_list)
            rows = _groups(visible.filter(employee__in=[p.pk for p in people]),
                           "employee_id", people)
        elif view == "department":
            departments = Department.objects.order_by("pk")
            if not is_people_admin(request):
                departments = departments.filter(parent_id__in=sorted(
                    request.actor.managed_department_ids))
            if query:
                departments = departments.filter(Q(name__icontains=query)
                                                 | Q(name_en__icontains=query))
            departments = list(departments)
            rows = _groups(visible.filter(department__in=[d.pk for d in departments]),
                           "department_id", departments)
        else:
            positions = Position.objects.order_by("title", "pk").annotate(
                people=Count("employees", filter=~Q(employees__status=EmployeeStatus.LEFT)))
            if query:
                positions = positions.filter(Q(title__icontains=query)
                                             | Q(title_en__icontains=query))
            positions = list(positions)
            rows = _groups(visible.filter(position__in=[p.pk for p in positions]),
                           "position_id", positions)
    return render(request, "kpis/assignments.html", {
        "cycle": cycle, "cycles": Cycle.objects.order_by("-start"), "filters": filters,
        "view": view, "rows": rows, "page_obj": page,
        "people_admin": is_people_admin(request),
    })


@member_required
def assignment_create(request):
    _require_manager(request)
    cycle = chosen_cycle(request)
    form = AssignmentForm(posted(request), actor=request.actor, cycle=cycle)
    if form.is_valid():
        try:
            assignment = run(form, services.assign, actor=request.actor, by=request.user,
                             **form.create_kwargs())
        except PermissionDenied:
            form.add_error(None, _("You may not assign KPIs to this assignee."))
            assignment = None
        if assignment is not None:
            messages.success(request, _("KPI assigned."))
            return redirect("kpis:assignment_detail", assignment.pk)
    return render(request, "kpis/assignment_form.html", {"form": form, "assignment": None})


@member_required
def assignment_bulk(request):
    _require_manager(request)
    cycle = chosen_cycle(request)
    form = BulkAssignForm(posted(request), actor=request.actor, cycle=cycle)
    if form.is_valid():
        kwargs = form.service_kwargs()
        refused = [p for p in kwargs["employees"]
                   if not services.may_assign_to(request.actor, employee=p)]
        created = None
        if refused:
            form.add_error("employees", _("You may not assign KPIs to %(names)s.") % {
                "names": "、".join(p.name for p in refused[:10])})
        else:
            created = run(form, services.bulk_assign, actor=request.actor, by=request.user,
                          **kwargs)
        if created is not None:
            messages.success(request, ngettext("KPI assigned to %(count)s person.",
                                               "KPI assigned to %(count)s people.",
                                               len(created)) % {"count": len(created)})
            return redirect(reverse("kpis:assignments") + f"?cycle={kwargs['cycle'].pk}")
    return render(request, "kpis/assignment_bulk.html", {"form": form})


def _assignment(pk):
    return get_object_or_404(assignments_with_relations(), pk=pk)


@member_required
def assignment_edit(request, pk):
    assignment = _assignment(pk)
    require_perm(request, "kpis.change_assignment", assignment)
    form = AssignmentForm(posted(request), instance=assignment, actor=request.actor)
    if form.is_valid():
        saved = run(form, services.update_assignment, assignment=assignment,
                    version=form.cleaned_data.get("version"), actor=request.actor,
                    by=request.user, **form.changes())
        if saved is not None:
            messages.success(request, _("Assignment saved."))
            return redirect("kpis:assignment_detail", assignment.pk)
        assignment = _assignment(pk)
    return render(request, "kpis/assignment_form.html", {"form": form,
                                                         "assignment": assignment})


@member_required
def assignment_delete(request, pk):
    assignment = _assignment(pk)
    require_perm(request, "kpis.delete_assignment", assignment)
    error = None
    if request.method == "POST":
        try:
            services.delete_assignment(assignment=assignment, actor=request.actor)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Assignment deleted."))
            return redirect(reverse("kpis:assignments") + f"?cycle={assignment.cycle_id}")
    inherited = assignment.inherited.count() if assignment.position_id else 0
    return render(request, "kpis/assignment_delete.html", {
        "assignment": assignment, "error": error, "inherited": inherited,
        "measurements": assignment.measurements.count()}, status=409 if error else 200)


# ---------------------------------------------------------------------------------------------
# Position KPI sets


@member_required
def position_sets(request):
    _require_people_admin(request)
    positions = list(Position.objects.select_related("department").order_by("title", "pk"))
    lines: dict[int, list] = defaultdict(list)
    for line in PositionIndicator.objects.select_related("indicator").order_by(
            "indicator__code"):
        lines[line.position_id].append(line)
    rows = []
    for position in positions:
        items = lines.get(position.pk, [])
        total = sum((line.weight for line in items), ZERO)
        rows.append({"position": position, "lines": items, "total": total,
                     "complete": not items or total == ONE})
    cycle = chosen_cycle(request)
    return render(request, "kpis/position_sets.html", {
        "rows": rows, "cycle": cycle,
        "cycles": Cycle.objects.exclude(status="closed").order_by("-start")})


@member_required
def position_set_edit(request, pk):
    position = get_object_or_404(Position.objects, pk=pk)  # another company's: 404 first
    _require_people_admin(request)
    lines = list(position.kpi_set.select_related("indicator").order_by("indicator__code"))
    form = PositionSetForm(posted(request), lines=lines)
    if form.is_valid():
        saved = run(form, services.set_position_kpis, position=position, lines=form.lines,
                    actor=request.actor)
        if saved is not None:
            messages.success(request, _("The KPI set of %(position)s is saved.")
                             % {"position": position.display_name})
            return redirect("kpis:position_sets")
    return render(request, "kpis/position_set_form.html", {"form": form,
                                                           "position": position})


@member_required
def apply_position_sets(request):
    """POST: gives every position its KPI set for the chosen cycle."""
    _require_people_admin(request)
    raw = request.POST.get("cycle", "") if request.method == "POST" else ""
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63):
        messages.error(request, _("Choose a cycle."))
        return redirect("kpis:position_sets")
    cycle = get_object_or_404(Cycle.objects, pk=int(raw))
    try:
        created = services.apply_position_sets(cycle=cycle, actor=request.actor,
                                               by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(_messages(refused)))
        return redirect("kpis:position_sets")
    messages.success(request, ngettext(
        "%(count)s position KPI given for %(cycle)s.",
        "%(count)s position KPIs given for %(cycle)s.", len(created))
        % {"count": len(created), "cycle": cycle.name})
    return redirect(reverse("kpis:assignments") + f"?cycle={cycle.pk}&view=position")


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)

