"""Reads over the org chart that must stay a constant number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django_scopes import scope

from .models import Department, Employee, EmployeeStatus


def _children_map(company) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    with scope(company=company.pk):
        for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
            children[parent_id].append(pk)
    return children


def subtree_ids(company, root_ids: Iterable[int]) -> set[int]:
    """The given departments and every department below them, in one query."""
    roots = list(root_ids)
    if not roots:
        return set()
    children = _children_map(company)
    seen: set[int] = set()
    stack = roots
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, ()))
    return seen


@dataclass
class TreeNode:
    department: Department
    depth: int
    headcount: int = 0
    total_headcount: int = 0
    children: list["TreeNode"] = field(default_factory=list)


def department_tree() -> list[TreeNode]:
    """The whole department tree of the scoped company with direct and total head counts
    (people not yet left), as a list of root nodes. Two queries."""
    departments = list(
        Department.objects.select_related("leader").annotate(
            headcount=Count("employees", filter=~Q(employees__status=EmployeeStatus.LEFT))
        )
    )
    nodes = {d.pk: TreeNode(department=d, depth=0, headcount=d.headcount) for d in departments}
    roots: list[TreeNode] = []
    for d in departments:
        node = nodes[d.pk]
        if d.parent_id in nodes:
            nodes[d.parent_id].children.append(node)
        else:
            roots.append(node)

    def walk(node: TreeNode, depth: int) -> int:
        node.depth = depth
        node.children.sort(key=lambda n: n.department.display_name)
        node.total_headcount = node.headcount + sum(walk(c, depth + 1) for c in node.children)
        return node.total_headcount

    roots.sort(key=lambda n: n.department.display_name)
    for root in roots:
        walk(root, 0)
    return roots


def flatten(nodes: list[TreeNode]) -> list[TreeNode]:
    """Depth-first order, for indented lists and select boxes."""
    out: list[TreeNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def current_employees():
    return Employee.objects.exclude(status=EmployeeStatus.LEFT)
