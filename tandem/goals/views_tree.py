"""The alignment tree page and its fragments: the company and department levels render with
the page; each node's individual objectives and the objectives aligned to nothing load with
htmx, a page at a time (`goals.tree_page`). Optionally narrowed to one department and the
departments below it (`?department=`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tandem.org.models import Department
from tandem.web.decorators import member_required, require_perm

from . import tree_page
from .models import Cycle, Objective
from .views import _chosen_cycle


def _page_number(request) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31 else 1


def _department_filter(request, *, choices: bool) -> tree_page.DepartmentFilter:
    """The `department` parameter: another company's or an unknown id is a 404."""
    departments = Department.objects.order_by("name", "pk")
    if not choices:
        departments = departments.only("pk", "parent_id")
    picked = tree_page.department_filter(request.GET.get("department", ""), departments,
                                         choices=choices)
    if picked is None:
        raise Http404
    return picked


@member_required
def alignment_tree(request):
    require_perm(request, "goals.view_objective")
    return render(request, "goals/tree.html", tree_context(request, _chosen_cycle(request)))


def tree_context(request, cycle: Cycle | None) -> dict:
    """What `goals/tree.html` shows. A constant number of queries."""
    departments = _department_filter(request, choices=True)
    context = {"cycle": cycle, "cycles": Cycle.objects.order_by("-start"),
               "departments": departments, "levels": None}
    if cycle is None:
        return context
    subtree = departments.subtree
    context.update(
        levels=tree_page.structure(cycle, request.company, subtree),
        orphans=tree_page.orphans(cycle, subtree, 1),
        orphans_url=_orphans_url(cycle, departments),
    )
    return context


def _orphans_url(cycle: Cycle, departments: tree_page.DepartmentFilter) -> str:
    query = f"cycle={cycle.pk}"
    if departments.department is not None:
        query = f"{query}&{departments.query()}"
    return f"{reverse('goals:tree_orphans')}?{query}"


@member_required
def individuals(request, pk):
    """The individual objectives aligned to one objective of the tree (htmx fragment): of the
    objective's own cycle, or of `?cycle=` for an objective of an enclosing cycle."""
    require_perm(request, "goals.view_objective")
    parent = get_object_or_404(Objective.objects.only("pk", "cycle_id"), pk=pk)
    departments = _department_filter(request, choices=False)
    query = [departments.query()] if departments.department is not None else []
    cycle_id = parent.cycle_id
    raw = request.GET.get("cycle", "")
    if raw:
        if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63):
            raise Http404
        cycle_id = get_object_or_404(Cycle.objects.only("pk"), pk=int(raw)).pk
        query.insert(0, f"cycle={cycle_id}")
    nodes, page = tree_page.individuals(parent, cycle_id, departments.subtree,
                                        _page_number(request))
    return render(request, "goals/_tree_individuals.html", {
        "nodes": nodes, "page": page, "parent": parent, "filter_query": "&".join(query)})


@member_required
def orphans(request):
    """More objectives aligned to nothing (htmx fragment), of `?cycle=` (by default the
    active cycle that contains today)."""
    require_perm(request, "goals.view_objective")
    cycle = _chosen_cycle(request)
    departments = _department_filter(request, choices=False)
    if cycle is None:
        return render(request, "goals/_tree_orphans.html", {"page": None})
    page = tree_page.orphans(cycle, departments.subtree, _page_number(request))
    return render(request, "goals/_tree_orphans.html", {
        "page": page, "orphans_url": _orphans_url(cycle, departments)})
