"""Reads over OKRs that must stay a constant number of queries whatever the company's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from .models import CheckIn, Cycle, CycleStatus, KeyResult, Level, Objective


def current_cycle(today: date) -> Cycle | None:
    """The active cycle that contains today, the shortest one first (a quarter before its
    year); else the latest active cycle."""
    active = Cycle.objects.filter(status=CycleStatus.ACTIVE)
    containing = sorted(active.filter(start__lte=today, end__gte=today),
                        key=lambda cycle: (cycle.end - cycle.start, -cycle.pk))
    if containing:
        return containing[0]
    return active.order_by("-start").first()


def objectives_with_owners():
    return Objective.objects.select_related("cycle", "owner_department", "owner_employee",
                                            "parent")


def key_results_prefetch() -> Prefetch:
    return Prefetch("key_results", queryset=KeyResult.objects.select_related(
        "owner", "driven_by_objective").prefetch_related("milestones").order_by("pk"))


def my_objectives(actor, cycle: Cycle):
    """The actor's own objectives in the cycle, with those of the departments they lead."""
    employee = actor.employee
    if employee is None:
        return Objective.objects.none()
    owned = Q(owner_employee=employee) | Q(owner_department__leader=employee)
    return (objectives_with_owners().filter(owned, cycle=cycle)
            .prefetch_related(key_results_prefetch()).order_by("level", "pk"))


def latest_confidence(key_result_ids) -> dict[int, int]:
    """The confidence of the newest check-in of each key result, in one query."""
    latest: dict[int, int] = {}
    rows = (CheckIn.objects.filter(key_result_id__in=list(key_result_ids))
            .order_by("key_result_id", "-created_at", "-pk")
            .values_list("key_result_id", "confidence"))
    for key_result_id, confidence in rows:
        latest.setdefault(key_result_id, confidence)
    return latest


@dataclass
class TreeNode:
    objective: Objective
    depth: int = 0
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class Tree:
    roots: list[TreeNode]
    orphans: list[Objective]

    def flat(self) -> list[TreeNode]:
        """The nodes depth first, each followed by its children."""
        out: list[TreeNode] = []
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


_LEVEL_ORDER = {Level.COMPANY: 0, Level.DEPARTMENT: 1, Level.INDIVIDUAL: 2}


def alignment_tree(cycle: Cycle) -> Tree:
    """The cycle's objectives as a tree: company objectives at the top, each objective under
    its parent. An objective aligned to one of another cycle (the enclosing year) is a root
    too; department and individual objectives without a parent are the orphans. One query."""
    objectives = list(objectives_with_owners().filter(cycle=cycle))
    objectives.sort(key=lambda o: (_LEVEL_ORDER[o.level], o.pk))
    nodes = {objective.pk: TreeNode(objective) for objective in objectives}
    roots: list[TreeNode] = []
    orphans: list[Objective] = []
    for objective in objectives:
        node = nodes[objective.pk]
        if objective.parent_id in nodes:
            nodes[objective.parent_id].children.append(node)
        elif objective.parent_id is None and objective.level != Level.COMPANY:
            orphans.append(objective)
        else:
            roots.append(node)
    stack = [(node, 0) for node in roots]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        stack.extend((child, depth + 1) for child in node.children)
    return Tree(roots=roots, orphans=orphans)
