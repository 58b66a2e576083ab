"""What the alignment tree page reads, in parts small enough to stay fast for a company of
thousands: the company and department objectives as a tree, each node with the number of
individual objectives aligned to it (loaded on demand when the node's group is opened), and
the objectives aligned to nothing, a page at a time. Every function is a constant number of
queries whatever the company's size.

The whole tree at once (`selectors.alignment_tree`) still serves the API and the sunburst;
rendered as HTML for 15,000 objectives it cost over half a second of the page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from tandem.org.models import Department, Employee

from .models import Cycle, Level, Objective
from .selectors import _TREE_COLUMNS, Tree, TreeNode, TreeObjective

INDIVIDUALS_PER_PAGE = 100
ORPHANS_PER_PAGE = 50
_LEVEL_ORDER = {Level.COMPANY: 0, Level.DEPARTMENT: 1, Level.INDIVIDUAL: 2}
# The owner's department: the objective's own for a department objective, the employee's for
# an individual one (read next to the tree columns, for the department filter).
_COLUMNS = (*_TREE_COLUMNS, "owner_employee__department_id")


@dataclass
class PageNode:
    objective: TreeObjective
    children: list[PageNode] = field(default_factory=list)
    # Individual objectives of the cycle aligned directly to this one (within the department
    # filter): shown as a group that loads when opened.
    individuals: int = 0


@dataclass
class DepartmentFilter:
    """The department picked on the page (None: the whole company) and its subtree."""

    department: Department | None
    subtree: frozenset[int] | None
    choices: list[Department]

    def query(self) -> str:
        return f"department={self.department.pk}" if self.department is not None else ""


def department_filter(raw: str, departments: Iterable[Department],
                      choices: bool = True) -> DepartmentFilter | None:
    """The filter from the `department` query parameter, or None when it names no department
    of the company (the caller answers 404). `departments` is read once, and not at all
    when nothing is picked and no `choices` are wanted."""
    if not raw:
        return DepartmentFilter(None, None, list(departments) if choices else [])
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63):
        return None
    listed = list(departments)
    by_pk = {d.pk: d for d in listed}
    picked = by_pk.get(int(raw))
    if picked is None:
        return None
    children: dict[int | None, list[int]] = defaultdict(list)
    for department in listed:
        children[department.parent_id].append(department.pk)
    subtree: set[int] = set()
    stack = [picked.pk]
    while stack:
        pk = stack.pop()
        if pk not in subtree:
            subtree.add(pk)
            stack.extend(children.get(pk, ()))
    return DepartmentFilter(picked, frozenset(subtree), listed)


def _objectives(rows, company) -> list[tuple[TreeObjective, int | None]]:
    """Rows of `_COLUMNS` as (TreeObjective, owner's department id); a company objective's
    owner name is the company's."""
    out = []
    for row in rows:
        objective = TreeObjective._make(
            row[:-3] + (company.name, company.name_en) if row[2] == Level.COMPANY else row[:-1])
        department_id = row[3] if row[2] == Level.DEPARTMENT else row[-1]
        out.append((objective, department_id))
    return out


def _in_departments(subtree: frozenset[int] | None) -> Q:
    if subtree is None:
        return Q()
    return (Q(level=Level.DEPARTMENT, owner_department_id__in=subtree)
            | Q(level=Level.INDIVIDUAL, owner_employee__department_id__in=subtree))


def _individual_counts(cycle_id: int, parent_ids: Iterable[int],
                       subtree: frozenset[int] | None) -> dict[int, int]:
    """How many individual objectives of the cycle align to each of the parents, in one
    query."""
    rows = Objective.objects.filter(cycle_id=cycle_id, level=Level.INDIVIDUAL,
                                    parent_id__in=list(parent_ids))
    if subtree is not None:
        rows = rows.filter(owner_employee__department_id__in=subtree)
    return dict(rows.order_by().values("parent_id").annotate(n=Count("pk"))
                .values_list("parent_id", "n"))


@dataclass
class AlignedElsewhere:
    """The cycle's individual objectives aligned to one objective of another cycle (a
    quarter's aligned to the year's): a group at the top of the tree, loaded on demand."""

    parent_pk: int
    parent_title: str
    cycle_name: str
    count: int


@dataclass
class Levels:
    roots: list[PageNode]
    elsewhere: list[AlignedElsewhere]


def structure(cycle: Cycle, company, subtree: frozenset[int] | None = None) -> Levels:
    """The roots of the tree: company objectives and department objectives aligned to another
    cycle's, with the department objectives below them; the individual objectives only
    counted, per parent. With a department filter, the branches that lead to that
    department's objectives and people. Two queries."""
    nodes = (Objective.objects.filter(cycle=cycle).exclude(level=Level.INDIVIDUAL)
             .order_by("pk"))
    rows = _objectives(nodes.values_list(*_COLUMNS), company)
    rows.sort(key=lambda pair: _LEVEL_ORDER[pair[0].level])
    counts, elsewhere = _individuals_by_parent(cycle, subtree)
    by_pk = {o.pk: PageNode(o, individuals=counts.get(o.pk, 0)) for o, _d in rows}
    roots: list[PageNode] = []
    for objective, _department in rows:
        node = by_pk[objective.pk]
        if objective.parent_id in by_pk:
            by_pk[objective.parent_id].children.append(node)
        elif objective.parent_id is not None or objective.level == Level.COMPANY:
            roots.append(node)
    if subtree is None:
        return Levels(roots, elsewhere)
    wanted = {o.pk for o, department in rows
              if o.level != Level.COMPANY and department in subtree}

    def keep(node: PageNode) -> bool:
        node.children = [child for child in node.children if keep(child)]
        return bool(node.children or node.individuals or node.objective.pk in wanted)

    return Levels([root for root in roots if keep(root)], elsewhere)


def _individuals_by_parent(cycle: Cycle, subtree: frozenset[int] | None,
                           ) -> tuple[dict[int, int], list[AlignedElsewhere]]:
    """How many individual objectives of the cycle align to each parent of the cycle, and the
    groups of those aligned to another cycle's objectives: one query."""
    rows = Objective.objects.filter(cycle=cycle, level=Level.INDIVIDUAL, parent__isnull=False)
    if subtree is not None:
        rows = rows.filter(owner_employee__department_id__in=subtree)
    counts: dict[int, int] = {}
    elsewhere: list[AlignedElsewhere] = []
    for parent_id, parent_cycle_id, title, cycle_name, count in (
            rows.order_by().values("parent_id", "parent__cycle_id", "parent__title",
                                   "parent__cycle__name")
            .annotate(n=Count("pk")).order_by("parent_id")
            .values_list("parent_id", "parent__cycle_id", "parent__title",
                         "parent__cycle__name", "n")):
        if parent_cycle_id == cycle.pk:
            counts[parent_id] = count
        else:
            elsewhere.append(AlignedElsewhere(parent_id, title, cycle_name, count))
    return counts, elsewhere


def individuals(parent: Objective, cycle_id: int, subtree: frozenset[int] | None,
                page_number: int) -> tuple[list[PageNode], Page]:
    """One page of the individual objectives of the cycle aligned to `parent`, each with the
    number of individual objectives aligned to it in turn. Three queries (the count, the
    page, the numbers below)."""
    queryset = Objective.objects.filter(parent_id=parent.pk, cycle_id=cycle_id,
                                        level=Level.INDIVIDUAL)
    if subtree is not None:
        queryset = queryset.filter(owner_employee__department_id__in=subtree)
    page = Paginator(queryset.order_by("pk").values_list(*_COLUMNS),
                     INDIVIDUALS_PER_PAGE).get_page(page_number)
    rows = _objectives(page.object_list, None)
    counts = _individual_counts(cycle_id, [o.pk for o, _d in rows], subtree)
    return [PageNode(o, individuals=counts.get(o.pk, 0)) for o, _d in rows], page


def orphans(cycle: Cycle, subtree: frozenset[int] | None, page_number: int) -> Page:
    """One page of the cycle's department and individual objectives aligned to nothing,
    department ones first. Two queries (the count and the page)."""
    queryset = (Objective.objects.filter(cycle=cycle, parent__isnull=True)
                .exclude(level=Level.COMPANY).filter(_in_departments(subtree))
                .order_by("level", "pk"))  # "department" sorts before "individual"
    page = Paginator(queryset.values_list(*_COLUMNS), ORPHANS_PER_PAGE).get_page(page_number)
    page.object_list = [TreeObjective._make(row[:-1]) for row in page.object_list]
    return page


def narrow_tree(tree: Tree, subtree: frozenset[int] | None) -> Tree:
    """The whole tree (`selectors.alignment_tree`, for the sunburst) narrowed to a department
    and the departments below it: their department and individual objectives, and the
    branches above that lead to them. One query (the people of those departments)."""
    if subtree is None:
        return tree
    people = set(Employee.objects.filter(department_id__in=subtree).values_list("pk", flat=True))

    def owned(objective: TreeObjective) -> bool:
        if objective.level == Level.DEPARTMENT:
            return objective.owner_department_id in subtree
        return objective.level == Level.INDIVIDUAL and objective.owner_employee_id in people

    def keep(node: TreeNode) -> TreeNode | None:
        children = [kept for child in node.children if (kept := keep(child)) is not None]
        if children or owned(node.objective):
            return TreeNode(node.objective, node.depth, children)
        return None

    roots = [kept for root in tree.roots if (kept := keep(root)) is not None]
    return Tree(roots, [objective for objective in tree.orphans if owned(objective)])
