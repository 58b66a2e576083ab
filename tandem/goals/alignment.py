"""Alignment checks, suggestions and coverage (see shared/domain/okr-kpi.md).

- `alignment_warning(objective)`: why an objective is badly aligned (no parent, or a parent
  outside its owner's chain of departments), or None.
- `suggestions(objective)`: the objectives it could align to (those of the owner's chain of
  departments and of the company, in the same or an enclosing cycle), ranked by the text
  similarity of titles, descriptions and key results (`goals.similarity`).
- `is_aligned(objective)` and `coverage(cycle)`: does the chain of parents reach a company
  objective; the share of objectives and of people aligned, per department and company, in a
  constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from tandem.org.models import Department

from . import similarity
from .models import Cycle, KeyResult, Level, Objective

NO_PARENT = "no_parent"
OUTSIDE_CHAIN = "outside_chain"
WARNINGS = {
    NO_PARENT: _("This objective is not aligned to any objective of the company or of its "
                 "departments."),
    OUTSIDE_CHAIN: _("This objective is aligned to an objective outside its owner's chain of "
                     "departments."),
}
_LEVEL_ORDER = {Level.DEPARTMENT: 0, Level.COMPANY: 1, Level.INDIVIDUAL: 2}


def _cycle_ids_enclosing(cycle: Cycle) -> list[int]:
    """The cycle and the cycles that contain it, nearest first, in one query."""
    parents = dict(Cycle.objects.values_list("pk", "parent_id"))
    ids = [cycle.pk]
    current = parents.get(cycle.pk)
    while current is not None and current not in ids:
        ids.append(current)
        current = parents.get(current)
    return ids


def _department_chain(department_id: int | None) -> list[int]:
    """The department and those above it, nearest first, in one query."""
    if department_id is None:
        return []
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    chain = [department_id]
    current = parents.get(department_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def owner_department_id(objective: Objective) -> int | None:
    if objective.level == Level.DEPARTMENT:
        return objective.owner_department_id
    if objective.level == Level.INDIVIDUAL and objective.owner_employee is not None:
        return objective.owner_employee.department_id
    return None


def alignment_warning(objective: Objective) -> str | None:
    """NO_PARENT, OUTSIDE_CHAIN or None. Company objectives need no parent; a department
    parent must own the objective's department or lie above it (for a department objective,
    strictly above it)."""
    if objective.level == Level.COMPANY:
        return None
    if objective.parent_id is None:
        return NO_PARENT
    parent = objective.parent
    if parent.level != Level.DEPARTMENT:
        return None
    chain = _department_chain(owner_department_id(objective))
    if objective.level == Level.DEPARTMENT:
        chain = chain[1:]
    return None if parent.owner_department_id in chain else OUTSIDE_CHAIN


def candidate_parents(objective: Objective) -> list[Objective]:
    """The objectives `objective` may align to inside its owner's chain: those of the owner's
    department and the departments above it (strictly above for a department objective) and
    the company's, in the same or an enclosing cycle; for a company objective, the company
    objectives of the enclosing cycles. Each with its key results; three queries."""
    cycle_ids = _cycle_ids_enclosing(objective.cycle)
    candidates = Objective.objects.filter(cycle_id__in=cycle_ids).exclude(pk=objective.pk)
    if objective.level == Level.COMPANY:
        candidates = candidates.filter(level=Level.COMPANY).exclude(cycle_id=objective.cycle_id)
    else:
        chain = _department_chain(owner_department_id(objective))
        if objective.level == Level.DEPARTMENT:
            chain = chain[1:]
        candidates = (candidates.filter(level=Level.COMPANY)
                      | candidates.filter(level=Level.DEPARTMENT,
                                          owner_department_id__in=chain))
    return list(candidates.select_related("company", "cycle", "owner_department").prefetch_related(
        Prefetch("key_results", queryset=KeyResult.objects.only("pk", "objective_id", "title")
                 .order_by("pk"))).order_by("pk"))


def _text(objective: Objective) -> str:
    parts = [objective.title, objective.description]
    parts.extend(kr.title for kr in objective.key_results.all())
    return "\n".join(part for part in parts if part)


@dataclass(frozen=True)
class Suggestion:
    objective: Objective
    score: float


def suggestions(objective: Objective, *, limit: int = 5) -> list[Suggestion]:
    """Candidate parents ranked by similarity to the objective's title, description and key
    results, best first; ties go to the nearer owner (department before company), then to
    the older objective. Scores are rounded to four places."""
    candidates = candidate_parents(objective)
    if not candidates:
        return []
    own = "\n".join([objective.title, objective.description]
                    + [kr.title for kr in objective.key_results.all()])
    scores = similarity.rank(own, [_text(candidate) for candidate in candidates])
    ranked = sorted(zip(candidates, scores, strict=True),
                    key=lambda pair: (-round(pair[1], 4), _LEVEL_ORDER[pair[0].level],
                                      pair[0].pk))
    return [Suggestion(candidate, round(score, 4)) for candidate, score in ranked[:limit]]


def is_aligned(objective: Objective) -> bool:
    """Does the chain of parents reach a company objective of the same or an enclosing cycle?
    (A company objective is not itself aligned.) One query per step up the chain."""
    enclosing = set(_cycle_ids_enclosing(objective.cycle))
    seen = {objective.pk}
    current = objective
    while current.parent_id is not None and current.parent_id not in seen:
        seen.add(current.parent_id)
        current = Objective.objects.only("pk", "level", "parent_id", "cycle_id").get(
            pk=current.parent_id)
        if current.level == Level.COMPANY:
            return current.cycle_id in enclosing
    return False


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass
class Coverage:
    """Aligned objectives / non-company objectives, and people with an aligned objective /
    people with objectives. The ratios are None when there is nothing to count."""

    objectives: int = 0
    aligned_objectives: int = 0
    people: set[int] = field(default_factory=set)
    aligned_people: set[int] = field(default_factory=set)

    @property
    def objective_coverage(self) -> Decimal | None:
        return _ratio(self.aligned_objectives, self.objectives)

    @property
    def people_coverage(self) -> Decimal | None:
        return _ratio(len(self.aligned_people), len(self.people))


@dataclass
class DepartmentCoverage:
    department: Department
    coverage: Coverage


@dataclass
class CoverageReport:
    company: Coverage
    departments: list[DepartmentCoverage]


def coverage(cycle: Cycle) -> CoverageReport:
    """Alignment coverage of the cycle's department and individual objectives, for the company
    and for each department (its own objectives, its people's, and those of the departments
    below it). Four queries whatever the company's size."""
    enclosing = set(_cycle_ids_enclosing(cycle))
    rows = list(Objective.objects.filter(cycle_id__in=enclosing).values_list(*COVERAGE_FIELDS))
    departments = list(Department.objects.order_by("pk"))
    company, per_department = tally(cycle, rows, {d.pk: d.parent_id for d in departments})
    return CoverageReport(
        company=company,
        departments=[DepartmentCoverage(d, per_department[d.pk]) for d in departments
                     if d.pk in per_department])


# The objective fields `tally` reads, in this order.
COVERAGE_FIELDS = ("pk", "level", "parent_id", "cycle_id", "owner_department_id",
                   "owner_employee_id", "owner_employee__department_id")


def tally(cycle: Cycle, rows: Iterable[tuple], parent_of_department: dict[int, int | None]
          ) -> tuple[Coverage, dict[int, Coverage]]:
    """The counting of `coverage` over objective rows already read (`COVERAGE_FIELDS`, the
    objectives of the cycles enclosing `cycle`): the company's coverage and each
    department's that has objectives to count. No query."""
    rows = list(rows)
    by_pk = {row[0]: row for row in rows}
    aligned: dict[int, bool] = {}

    def reaches_company(pk: int) -> bool:
        path: list[int] = []
        result = False
        current = by_pk[pk][2]
        while current is not None:
            if current in aligned:
                result = aligned[current] or by_pk[current][1] == Level.COMPANY
                break
            row = by_pk.get(current)
            if row is None or current in path or current == pk:
                break
            if row[1] == Level.COMPANY:
                result = True
                break
            path.append(current)
            current = row[2]
        for step in path:
            aligned[step] = result
        aligned[pk] = result
        return result

    company = Coverage()
    per_department: dict[int, Coverage] = defaultdict(Coverage)
    for pk, level, _parent, cycle_id, owner_department, owner_employee, employee_department \
            in rows:
        if cycle_id != cycle.pk or level == Level.COMPANY:
            continue
        is_aligned_row = aligned[pk] if pk in aligned else reaches_company(pk)
        department_id = owner_department if level == Level.DEPARTMENT else employee_department
        targets = [company]
        seen: set[int] = set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            targets.append(per_department[department_id])
            department_id = parent_of_department.get(department_id)
        for target in targets:
            target.objectives += 1
            target.aligned_objectives += is_aligned_row
            if level == Level.INDIVIDUAL:
                target.people.add(owner_employee)
                if is_aligned_row:
                    target.aligned_people.add(owner_employee)
    return company, per_department
