"""What the synergy report is made of (`insights.synergy.build` fills them): plain
dataclasses, read by the page, the API, the Excel export and the explanations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tandem.goals import alignment
from tandem.goals.models import Cycle
from tandem.kpis import pace
from tandem.kpis.models import ActualSource

from . import synergy_rules as rules

DEPARTMENT_BASIS = "department"
PEOPLE_BASIS = "people"


@dataclass
class CompanyObjective:
    pk: int
    title: str
    cycle_id: int
    progress: Decimal
    kind: str


@dataclass(slots=True)
class AssignmentSupport:
    """One KPI assignment as the report reads it."""

    pk: int
    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    employee_id: int | None
    department_id: int | None  # the holder's department (the person's, or the department)
    weight: Decimal
    target: Decimal
    actual: Decimal | None
    attainment: Decimal | None
    source: str
    linked_key_results: int
    # What the linked key results imply: the actual (source key_results) or `linked_actual`.
    implied_actual: Decimal | None
    implied_progress: Decimal | None
    expected: Decimal
    verdict: str
    # Honest synergy: both sides when the assignment keeps its own figures and has links.
    own_attainment: Decimal | None
    kr_attainment: Decimal | None

    @property
    def side_by_side(self) -> bool:
        return self.source == ActualSource.OWN and self.linked_key_results > 0

    @property
    def gap(self) -> Decimal | None:
        if self.implied_progress is None:
            return None
        return self.implied_progress - self.expected


@dataclass
class EmployeeSupport:
    pk: int
    name: str
    department_id: int | None
    verdict: str
    assignments: list[AssignmentSupport] = field(default_factory=list)


@dataclass
class DepartmentRow:
    pk: int
    name: str
    parent_id: int | None
    kpi_attainment: Decimal | None
    kpi_basis: str | None  # DEPARTMENT_BASIS, PEOPLE_BASIS, or None without any KPI
    kpi_assignments: list[AssignmentSupport]
    okr_completion: Decimal | None
    objectives: list[tuple[int, str, Decimal, Decimal]]  # pk, title, weight, progress
    coverage: alignment.Coverage | None


@dataclass
class Cell:
    objectives: list[tuple[int, str, Decimal]] = field(default_factory=list)
    kpis: list[AssignmentSupport] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.objectives and not self.kpis


class Activity:
    """The weeks' check-ins and measurements, read on first use (the page draws none of them;
    the API and the export do): `load` answers {week number: (check-ins, Σ progress after
    them, measurements)}."""

    def __init__(self, load: Callable[[], dict[int, tuple[int, Decimal, int]]]):
        self._load = load
        self._counts: dict[int, tuple[int, Decimal, int]] | None = None

    def of(self, number: int) -> tuple[int, Decimal, int]:
        if self._counts is None:
            self._counts = self._load()
        return self._counts.get(number, (0, Decimal(0), 0))


@dataclass
class Week:
    """One week of the cycle: the figures as they stood at its end (`insights.synergy_trend`)
    and its activity (check-ins, measurements)."""

    number: int  # 1 for the cycle's first seven days
    start: date
    end: date
    expected: Decimal  # linear pace at the week's end
    # The day the figures below stand at: the week's end, or today for the week under way
    # (then they are the report's own figures).
    as_of: date
    activity: Activity = field(repr=False, compare=False)
    # Company objective → its completion then.
    completion: dict[int, Decimal] = field(default_factory=dict)
    # Department of the report → its weighted KPI attainment then (None: nothing measured).
    kpi_attainment: dict[int, Decimal | None] = field(default_factory=dict)
    # The mean of the departments' KPI attainment then, over those with a figure.
    mean_kpi_attainment: Decimal | None = None

    @property
    def check_ins(self) -> int:
        return self.activity.of(self.number)[0]

    @property
    def progress_total(self) -> Decimal:
        return self.activity.of(self.number)[1]

    @property
    def measurements(self) -> int:
        return self.activity.of(self.number)[2]

    @property
    def mean_progress(self) -> Decimal | None:
        if not self.check_ins:
            return None
        return rules.quantize(self.progress_total / self.check_ins)


@dataclass
class Report:
    cycle: Cycle
    today: date
    policy: pace.Policy  # the company's KPI tracking settings (risk_margin)
    subtree: frozenset[int] | None
    expected: Decimal  # linear pace of the cycle today
    company_objectives: list[CompanyObjective]
    departments: list[DepartmentRow]
    matrix: dict[tuple[int, int], Cell]  # (company objective, department) → cell
    employees: list[EmployeeSupport]
    at_risk: list[AssignmentSupport]
    weeks: list[Week]
    company_coverage: alignment.Coverage | None
    employee_names: dict[int, str] = field(default_factory=dict)
    department_names: dict[int, str] = field(default_factory=dict)

    def holder(self, support: AssignmentSupport) -> str:
        """Who holds the assignment: the person, or the department."""
        if support.employee_id is not None:
            return self.employee_names.get(support.employee_id, "")
        return self.department_names.get(support.department_id, "")

    def cell(self, objective_pk: int, department_pk: int) -> Cell:
        return self.matrix.get((objective_pk, department_pk)) or Cell()

    @property
    def verdict_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(rules.VERDICTS, 0)
        for person in self.employees:
            counts[person.verdict] += 1
        return counts

    def department(self, pk: int) -> DepartmentRow | None:
        return next((row for row in self.departments if row.pk == pk), None)

    def employee(self, pk: int) -> EmployeeSupport | None:
        return next((row for row in self.employees if row.pk == pk), None)
