"""Reads over OKRs that must stay a constant number of queries whatever the company's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch, Q
from django.utils.translation import get_language

from tandem.core.models import bilingual

from .models import (
    CheckIn,
    Cycle,
    CycleStatus,
    KeyResult,
    Level,
    Objective,
    ObjectiveStatus,
    TargetChange,
    TargetChangeKind,
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


def eased_targets(key_result_ids, *, limit_per_key_result: int = 3
                  ) -> dict[int, list[TargetChange]]:
    """The latest eased targets of each key result, newest first, with who eased them: what a
    lead reads next to the key result. One query."""
    eased: dict[int, list[TargetChange]] = {}
    rows = (TargetChange.objects.filter(key_result_id__in=list(key_result_ids),
                                        change=TargetChangeKind.EASED)
            .select_related("by").order_by("key_result_id", "-at", "-pk"))
    for change in rows:
        changes = eased.setdefault(change.key_result_id, [])
        if len(changes) < limit_per_key_result:
            changes.append(change)
    return eased


def target_changes_of(objective: Objective, *, limit: int = 20) -> list[TargetChange]:
    """The objective's latest target changes, newest first. One query."""
    return list(TargetChange.objects.filter(key_result__objective=objective)
                .select_related("key_result", "by").order_by("-at", "-pk")[:limit])


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


class TreeRows(NamedTuple):
    """`alignment_tree` as plain rows, for the API: the same nodes in the same order at the same
    depths, and the same orphans, each objective one `TREE_ROW` tuple.

    A 5,000-person company has 15,000 objectives; a `TreeObjective`, a `TreeNode` and its list
    of children for each are 45,000 objects that the garbage collector tracks, and building
    them set off a full collection of the whole process on every request (more than half of
    the API's time). Plain tuples of strings and numbers stop being tracked at the first
    collection they meet, so the rows cost the collector almost nothing."""

    nodes: list[tuple]
    depths: list[int]  # of each node: 0 at the top of the tree
    orphans: list[tuple]


# The columns of a row of `TreeRows`; owner_name in the active language, as
# `TreeObjective.owner_name` gives it.
TREE_ROW = ("pk", "parent_id", "level", "title", "status", "progress", "owner_name")
_PK, _PARENT, _LEVEL = 0, 1, 2


def alignment_tree_rows(cycle: Cycle) -> TreeRows:
    """`alignment_tree` as `TreeRows`: one query, and one more when the cycle's company is not
    loaded yet (test_tree_api_rows keeps the two the same)."""
    return arrange_tree_rows(_tree_rows(cycle))


def arrange_tree_rows(rows: list[tuple]) -> TreeRows:
    """`TREE_ROW` tuples sorted by level then pk, arranged as `alignment_tree` arranges
    objectives: company objectives and those aligned outside the rows (to the enclosing year)
    are the roots, each followed depth first by those aligned to it; department and individual
    objectives aligned to nothing are the orphans."""
    present = {row[_PK] for row in rows}
    # Children lists only for the objectives that have children (the departments' and the
    # company's), not an empty one per objective.
    children: dict[int, list[tuple]] = {}
    roots: list[tuple] = []
    orphans: list[tuple] = []
    company = Level.COMPANY.value
    for row in rows:
        parent_id = row[_PARENT]
        if parent_id in present:
            siblings = children.get(parent_id)
            if siblings is None:
                children[parent_id] = siblings = []
            siblings.append(row)
        elif parent_id is None and row[_LEVEL] != company:
            orphans.append(row)
        else:
            roots.append(row)
    # Depth first with a stack of iterators, one per open level: the depth is the stack's
    # height, so no (node, depth) pair per objective. Objectives whose parents loop among
    # themselves hang from no root and are left out, as in `alignment_tree`.
    nodes: list[tuple] = []
    depths: list[int] = []
    stack = [iter(roots)]
    while stack:
        depth = len(stack) - 1
        for row in stack[-1]:
            nodes.append(row)
            depths.append(depth)
            below = children.get(row[_PK])
            if below:
                stack.append(iter(below))
                break
        else:
            stack.pop()
    return TreeRows(nodes=nodes, depths=depths, orphans=orphans)


def _tree_rows(cycle: Cycle) -> list[tuple]:
    """The cycle's objectives as `TREE_ROW` tuples sorted by level then pk."""
    company = cycle.company
    english = (get_language() or "").startswith("en")
    company_name = company.name_en if english and company.name_en else company.name
    company_level, individual_level = Level.COMPANY.value, Level.INDIVIDUAL.value
    query = (Objective.objects.filter(cycle=cycle).order_by("pk")
             .values_list("pk", "parent_id", "level", "title", "status", "progress",
                          "owner_employee__name", "owner_employee__english_name",
                          "owner_department__name", "owner_department__name_en"))
    # The owner's name as `bilingual` picks it: the English one when English is active and
    # one was given.
    rows = [
        (pk, parent_id, level, title, status, progress,
         company_name if level == company_level
         else (person_en if english and person_en else (person or ""))
         if level == individual_level
         else (unit_en if english and unit_en else (unit or "")))
        for (pk, parent_id, level, title, status, progress, person, person_en, unit, unit_en)
        in query]
    rows.sort(key=lambda row: _LEVEL_ORDER[row[_LEVEL]])
    return rows


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
                 "title", "status", "parent_id", "progress", "owner_employee__name",
                 "owner_employee__english_name", "owner_department__name",
                 "owner_department__name_en")


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
