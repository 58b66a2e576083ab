"""Reads over OKRs that must stay a constant number of queries whatever the company's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch, Q

from tandem.core.models import bilingual

from .models import (
    CheckIn,
    Cycle,
    CycleStatus,
    KeyResult,
    Level,
    Objective,
    ObjectiveStatus,
)


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
    objective: TreeObjective
    depth: int = 0
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class Tree:
    roots: list[TreeNode]
    orphans: list[TreeObjective]

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
    too; department and individual objectives without a parent are the orphans. One
    or two queries (see `_tree_objectives`)."""
    objectives = _tree_objectives(cycle)
    nodes = {objective.pk: TreeNode(objective) for objective in objectives}
    roots: list[TreeNode] = []
    orphans: list[TreeObjective] = []
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


class TreeObjective(NamedTuple):
    """What the tree shows of an objective, read as plain values: a 5,000-person company has
    15,000 objectives, and model instances joined to their cycle, owners and parent cost over
    a second to build. Same attribute names as `Objective` for what the tree uses."""

    pk: int
    cycle_id: int
    level: str
    owner_department_id: int | None
    owner_employee_id: int | None
    title: str
    status: str
    parent_id: int | None
    progress: Decimal
    # The owner's names: the employee's, or the department's (the company's for a company
    # objective).
    employee_name: str | None
    employee_name_en: str | None
    unit_name: str | None
    unit_name_en: str | None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def owner_name(self) -> str:
        if self.level == Level.INDIVIDUAL:
            return bilingual(self.employee_name or "", self.employee_name_en or "")
        return bilingual(self.unit_name or "", self.unit_name_en or "")

    def get_level_display(self) -> str:
        return str(Level(self.level).label)

    def get_status_display(self) -> str:
        return str(ObjectiveStatus(self.status).label)


_TREE_COLUMNS = ("pk", "cycle_id", "level", "owner_department_id", "owner_employee_id",
                 "title", "status", "parent_id", "progress", "owner_employee__name", "owner_employee__english_name",
                 "owner_department__name", "owner_department__name_en")


def _tree_objectives(cycle: Cycle) -> list[TreeObjective]:
    """The cycle's objectives sorted by level then pk, as `TreeObjective`s: one query, and
    one more when the cycle's company is not loaded yet."""
    company = cycle.company
    make = TreeObjective._make
    objectives = [
        make(row) if row[2] != Level.COMPANY else make(row[:-2] + (company.name, company.name_en))
        for row in Objective.objects.filter(cycle=cycle).order_by("pk").values_list(
            *_TREE_COLUMNS)]
    objectives.sort(key=lambda o: _LEVEL_ORDER[o.level])
    return objectives
