"""The OKR–KPI synergy report of a cycle (issue #5), optionally narrowed to a department and
the departments below it. Set-based: a constant number of queries whatever the head count.

Every figure comes from the functions the detail pages use, so the two always agree:

- a company objective's completion is its progress (`goals.progress`, cached on the objective
  by `goals.services`);
- an assignment's actual and attainment are those `kpis.compute` keeps on it
  (`figures_of` with the rules of `kpis.attainment`), read as they are;
- a department's **KPI attainment** is the weighted mean (by KPI weight) of the attainment of
  the department's own KPI assignments; a department without assignments of its own shows
  instead the weighted mean over the KPI assignments of its people and of the people of the
  departments below it (`kpi_basis` says which: "department" or "people"). Assignments with no
  measurement yet are left out of the mean;
- a department's **OKR completion** is the weighted mean (objective weights) of the progress
  of its own department objectives in the cycle (`goals.progress.objective_progress`);
- **alignment coverage** is `goals.alignment.coverage`, as on the alignment tree page;
- the **matrix** puts under each company objective, for each department, the department's
  objectives whose chain of parents reaches it, and the KPI assignments held by the department
  or its people that are fed by key results of objectives whose chain reaches it (or of the
  company objective itself);
- **"KR progress supports KPI"** per KPI assignment and per person: see
  `insights.synergy_rules` (yes / at risk / no / no link, the rule is written there);
- **honest synergy**: an assignment that keeps its own figures and also has linked key
  results shows both attainments side by side (`own_attainment`, `kr_attainment`, the latter
  `kpis.attainment.evaluate` of the cached `linked_actual`); they are never added;
- the **trend**, week by week from the cycle's start: each company objective's completion and
  each department's KPI attainment as they stood at the week's end, and the week's activity
  (see `insights.synergy_trend`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from tandem.core.models import bilingual
from tandem.goals import alignment
from tandem.goals.models import Cycle, Level, Objective
from tandem.goals.progress import Weighted, expected_progress, objective_progress
from tandem.kpis import attainment as kpi_rules
from tandem.kpis import pace
from tandem.kpis.models import (
    ActualSource,
    Assignment,
    Indicator,
    KeyResultLink,
)
from tandem.kpis.risk import DEFAULT_SETTINGS, settings_by_company
from tandem.org.models import Department, Employee

from . import synergy_rules as rules
from . import synergy_trend
from .synergy_types import (  # the report's parts, re-exported
    DEPARTMENT_BASIS,
    PEOPLE_BASIS,
    AssignmentSupport,
    Cell,
    CompanyObjective,
    DepartmentRow,
    EmployeeSupport,
    Report,
    Week,
)

__all__ = ["DEPARTMENT_BASIS", "PEOPLE_BASIS", "AssignmentSupport", "Cell", "CompanyObjective",
           "DepartmentRow", "EmployeeSupport", "Report", "Week", "build"]


def build(cycle: Cycle, *, subtree: frozenset[int] | None = None, today: date | None = None,
          policy: pace.Policy | None = None, with_weeks: bool = True) -> Report:
    """The report of `cycle`; `subtree` (department ids) narrows departments, people and the
    trend to those departments (and reads only their KPIs: a department's figures come from
    itself and the departments below it); `policy` by default the company's KPI tracking
    settings; `with_weeks` False leaves the weeks out (the explanation panel has no use for
    them). Fifteen queries whatever the company's size, eleven once the weeks gone by are
    recorded (`insights.services.record_trend_weeks`), ten without the weeks; and two more
    when the weeks' activity is read (`Week.check_ins`, ...)."""
    today = today or timezone.localdate()
    if policy is None:
        policy = settings_by_company([cycle.company_id]).get(
            cycle.company_id, DEFAULT_SETTINGS).policy
    enclosing = alignment._cycle_ids_enclosing(cycle)
    # The objectives of the cycles enclosing this one, read once for the figures and for the
    # alignment coverage (`alignment.tally`, the counting of `alignment.coverage`); weight and
    # progress as text, made Decimals here (see `_DECIMALS`).
    number = _Decimals()
    objectives, counted = [], []
    for (pk, level, parent_id, cycle_id, department_id, employee_id, employee_department_id,
         weight, progress, kind, title) in Objective.objects.filter(
            cycle_id__in=enclosing).annotate(
            weight_text=Cast("weight", CharField()),
            progress_text=Cast("progress", CharField())).values_list(
            *alignment.COVERAGE_FIELDS, "weight_text", "progress_text", "kind", "title"):
        objectives.append((pk, level, parent_id, cycle_id, department_id, number[weight],
                           number[progress], kind, title))
        counted.append((pk, level, parent_id, cycle_id, department_id, employee_id,
                        employee_department_id))
    by_pk = {row[0]: row for row in objectives}
    root_of = _roots(by_pk)
    departments = list(Department.objects.order_by("name", "pk").values_list(
        "pk", "parent_id", "name", "name_en"))
    parent_of = {pk: parent for pk, parent, _name, _en in departments}
    shown = [row for row in departments if subtree is None or row[0] in subtree]
    below = None if subtree is None else _below(subtree, parent_of)
    company_coverage, coverage_of = alignment.tally(cycle, counted, parent_of)

    fed_by = _links(cycle, below)
    supports, rule_of = _assignments(cycle, today, policy, fed_by, below)
    in_english = (get_language() or "").startswith("en")  # as `bilingual` picks names
    # The people holding the KPIs read: everyone (of those departments) read plainly, those
    # holding kept, cheaper than asking the database which of them hold one.
    holding = {support.employee_id for support in supports}
    holders = Employee.objects.all()
    if below is not None:
        holders = holders.filter(department_id__in=below)
    people = {pk: ((english if in_english and english else name), department_id)
              for pk, name, english, department_id in holders.values_list(
                  "pk", "name", "english_name", "department_id") if pk in holding}
    for support in supports:
        if support.employee_id is not None:
            support.department_id = people[support.employee_id][1]
    in_scope = [s for s in supports if subtree is None or s.department_id in subtree]

    department_rows = _department_rows(cycle, shown, parent_of, objectives, supports,
                                       coverage_of)
    matrix, reached = _matrix(cycle, objectives, root_of, in_scope, fed_by)
    company_objectives = [
        CompanyObjective(pk, title, cycle_id, progress, kind)
        for pk, level, _parent, cycle_id, _dept, _weight, progress, kind, title in objectives
        if level == Level.COMPANY and (cycle_id == cycle.pk or pk in reached)]
    company_objectives.sort(key=lambda o: (o.cycle_id != cycle.pk, o.pk))

    employees = _employees(in_scope, people)
    at_risk = sorted((s for s in in_scope if s.verdict in (rules.NO, rules.AT_RISK)),
                     key=lambda s: (s.gap, s.pk))
    weeks = []
    if with_weeks:
        weeks = synergy_trend.activity(cycle, subtree, today)
        synergy_trend.stood(weeks, cycle=cycle, today=today, objectives=company_objectives,
                            departments=department_rows, rule_of=rule_of,
                            narrowed=subtree is not None)
    return Report(
        cycle=cycle, today=today, policy=policy, subtree=subtree,
        expected=expected_progress(cycle.start, cycle.end, today),
        company_objectives=company_objectives, departments=department_rows, matrix=matrix,
        employees=employees, at_risk=at_risk, weeks=weeks,
        company_coverage=company_coverage,
        employee_names={pk: name for pk, (name, _department) in people.items()},
        department_names={pk: bilingual(name, name_en or "")
                          for pk, _parent, name, name_en in departments})


def _below(subtree: frozenset[int], parent_of: dict[int, int | None]) -> frozenset[int]:
    """`subtree` and every department below one of its departments."""
    inside: dict[int, bool] = dict.fromkeys(subtree, True)

    def within(pk: int | None, seen: frozenset[int] = frozenset()) -> bool:
        if pk is None or pk in seen:
            return False
        if pk not in inside:
            inside[pk] = within(parent_of.get(pk), seen | {pk})
        return inside[pk]

    return frozenset(pk for pk in parent_of if within(pk))


def _roots(by_pk: dict[int, tuple]):
    """`root_of(pk)`: the company objective the chain of parents of objective `pk` reaches
    (the objective itself for a company objective), or None; memoised, loops are cut."""
    memo: dict[int, int | None] = {}

    def root_of(pk: int) -> int | None:
        path: list[int] = []
        current: int | None = pk
        found: int | None = None
        while current is not None:
            if current in memo:
                found = memo[current]
                break
            row = by_pk.get(current)
            if row is None or current in path:
                break
            path.append(current)
            if row[1] == Level.COMPANY:
                found = current
                break
            current = row[2]
        for step in path:
            memo[step] = found
        return found

    return root_of


def _held(queryset, below: frozenset[int] | None, prefix: str = ""):
    """Narrowed to the assignments of the departments in `below` and of their people."""
    if below is None:
        return queryset
    return queryset.filter(Q(**{f"{prefix}department_id__in": below})
                           | Q(**{f"{prefix}employee__department_id__in": below}))


def _links(cycle: Cycle, below: frozenset[int] | None) -> list[tuple[int, int]]:
    """(assignment, objective of the key result feeding it) of every link of the cycle."""
    return list(_held(KeyResultLink.objects.filter(assignment__cycle=cycle), below,
                      "assignment__").order_by("pk")
                .values_list("assignment_id", "key_result__objective_id"))


class _Rules:
    """The attainment rule of each assignment, as `Assignment.rule_for` makes it, built once
    per distinct (indicator, overrides) key; the trend asks again for the KPIs it reads."""

    def __init__(self, indicators: dict[int, Indicator], overrides: dict[int, tuple]):
        self.indicators = indicators
        self.overrides = overrides
        self.made: dict[tuple, kpi_rules.Rule] = {}

    def key(self, pk: int, indicator_id: int) -> tuple:
        overrides = self.overrides.get(pk)
        if overrides is None:
            return (indicator_id, "", None, None)
        return (indicator_id, *overrides)

    def rule(self, key: tuple) -> kpi_rules.Rule:
        if key not in self.made:
            indicator_id, kind, cap, floor = key
            self.made[key] = Assignment(rule=kind, cap=cap, floor=floor).rule_for(
                self.indicators[indicator_id])
        return self.made[key]

    def __call__(self, support: AssignmentSupport) -> tuple[tuple, kpi_rules.Rule, str]:
        """(rule key, rule, aggregation) of an assignment of the report."""
        key = self.key(support.pk, support.indicator_id)
        if key not in self.made:
            self.made[key] = self.rule(key)
        return key, self.made[key], self.indicators[support.indicator_id].aggregation


# The assignment figures read as text and turned into Decimals here: with 20,000 assignments
# the ORM's conversion of SQLite's stored floats (a Decimal made from the float with 15
# significant digits, then quantized) was a third of the report's time. SQLite writes a float
# as text with the same 15 significant digits, PostgreSQL writes its numeric exactly, so the
# values are the same Decimals (without the trailing zeros of the field's places).
_DECIMALS = ("target", "weight", "actual", "attainment", "linked_actual")


class _Decimals(dict):
    """Text → Decimal, each text converted once (None stays None); a subscript, not a call,
    for the 100,000 figures of a large report."""

    def __init__(self):
        super().__init__({None: None})

    def __missing__(self, text: str) -> Decimal:
        value = self[text] = Decimal(text)
        return value


def _assignments(cycle: Cycle, today: date, policy: pace.Policy,
                 fed_by: list[tuple[int, int]], below: frozenset[int] | None
                 ) -> tuple[list[AssignmentSupport], _Rules]:
    """Every employee and department assignment of the cycle (of `below` and its people when
    given) with its support verdict, and their rules; the holder's department is the
    department's own (people's are filled in by the caller). Four queries."""
    indicators = {indicator.pk: indicator for indicator in Indicator.objects.all()}
    names = {pk: indicator.display_name for pk, indicator in indicators.items()}
    links: dict[int, int] = defaultdict(int)
    for assignment_id, _objective_id in fed_by:
        links[assignment_id] += 1
    held = _held(Assignment.objects.filter(cycle=cycle, position__isnull=True), below)
    # Pace plans and rule overrides are few: read apart, so that the many assignments without
    # them are not decoded (JSON, Decimals from SQLite's floats) one by one.
    plans = dict(held.exclude(pace_plan=[]).values_list("pk", "pace_plan"))
    rules_of = _Rules(indicators, {pk: (kind, cap, floor) for pk, kind, cap, floor in held.filter(
        ~Q(rule="") | Q(cap__isnull=False) | Q(floor__isnull=False)).values_list(
        "pk", "rule", "cap", "floor")})
    # The same figures come back many times (equal weights, targets, actuals): each text is
    # turned into a Decimal once (`_Decimals`), each (figure, target, rule) evaluated once.
    number = _Decimals()
    about = {pk: (indicator.code, names[pk], indicator.unit)
             for pk, indicator in indicators.items()}
    progressed: dict[tuple, Decimal] = {}
    evaluated: dict[tuple, Decimal | None] = {}
    linear = expected_progress(cycle.start, cycle.end, today)
    margin = policy.risk_margin
    verdict_of = rules.support_verdict
    no_link = rules.NO_LINK
    own_source = ActualSource.OWN
    out = []
    rows = held.order_by("pk").annotate(**{
        f"{name}_text": Cast(name, CharField()) for name in _DECIMALS}).values_list(
        "pk", "indicator_id", "employee_id", "department_id", "actual_source",
        *(f"{name}_text" for name in _DECIMALS))
    for (pk, indicator_id, employee_id, department_id, source, target, weight, actual, attained,
         linked_actual) in rows:
        target, weight, actual, attained = (number[target], number[weight], number[actual],
                                            number[attained])
        code, name, unit = about[indicator_id]
        plan = plans.get(pk)
        expected = (rules.expected_share(plan, cycle.start, cycle.end, today) if plan
                    else linear)
        count = links.get(pk, 0)
        if not count:  # most KPIs of most companies: nothing implied, no verdict to reach
            out.append(AssignmentSupport(
                pk, indicator_id, code, name, unit, employee_id, department_id, weight,
                target, actual, attained, source, 0, None, None, expected, no_link, None,
                None))
            continue
        rule_key = rules_of.key(pk, indicator_id)
        implied = number[linked_actual] if source == own_source else actual
        key = (implied, target, rule_key)
        progress = progressed.get(key)
        if progress is None:
            progress = progressed[key] = kpi_rules.progress_towards(
                implied, target, rules_of.rule(rule_key))
        own = None
        from_krs = attained
        if source == own_source:
            own = attained
            if key not in evaluated:
                evaluated[key] = rules.attainment_of(implied, target, rules_of.rule(rule_key))
            from_krs = evaluated[key]
        out.append(AssignmentSupport(
            pk, indicator_id, code, name, unit, employee_id, department_id, weight, target,
            actual, attained, source, count, implied, progress, expected,
            verdict_of(progress, expected, margin), own, from_krs))
    return out, rules_of


def _department_rows(cycle, shown, parent_of, objectives, supports, coverage_of
                     ) -> list[DepartmentRow]:
    own: dict[int, list[AssignmentSupport]] = defaultdict(list)
    below: dict[int, list[AssignmentSupport]] = defaultdict(list)
    for support in supports:
        if support.employee_id is None:
            own[support.department_id].append(support)
            continue
        department_id, seen = support.department_id, set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            below[department_id].append(support)
            department_id = parent_of.get(department_id)
    department_objectives: dict[int, list] = defaultdict(list)
    for pk, level, _parent, cycle_id, owner, weight, progress, _kind, title in objectives:
        if level == Level.DEPARTMENT and cycle_id == cycle.pk:
            department_objectives[owner].append((pk, title, weight, progress))
    rows = []
    for pk, parent_id, name, name_en in shown:
        if own.get(pk):
            basis, counted = DEPARTMENT_BASIS, own[pk]
        elif below.get(pk):
            basis, counted = PEOPLE_BASIS, below[pk]
        else:
            basis, counted = None, []
        mine = department_objectives.get(pk, [])
        completion = (objective_progress([Weighted(w, p) for _pk, _t, w, p in mine]).value
                      if mine else None)
        rows.append(DepartmentRow(
            pk=pk, name=bilingual(name, name_en or ""), parent_id=parent_id,
            kpi_attainment=rules.weighted_mean((s.weight, s.attainment) for s in counted),
            kpi_basis=basis, kpi_assignments=counted, okr_completion=completion,
            objectives=mine, coverage=coverage_of.get(pk)))
    return rows


def _matrix(cycle, objectives, root_of, supports, fed_by) -> tuple[dict, set[int]]:
    """(company objective, department) → the department's objectives and the KPIs of the
    department and its people that serve it; and the company objectives reached."""
    matrix: dict[tuple[int, int], Cell] = {}
    reached: set[int] = set()
    for pk, level, _parent, cycle_id, owner, _weight, progress, _kind, title in objectives:
        if level != Level.DEPARTMENT or cycle_id != cycle.pk:
            continue
        root = root_of(pk)
        if root is not None:
            reached.add(root)
            matrix.setdefault((root, owner), Cell()).objectives.append((pk, title, progress))
    by_pk = {support.pk: support for support in supports}
    served: set[tuple[int, int]] = set()
    roots: dict[int, int | None] = {}
    for assignment_id, objective_id in fed_by:
        support = by_pk.get(assignment_id)
        root = roots.get(objective_id, 0)
        if root == 0:  # (no objective has id 0)
            root = roots[objective_id] = root_of(objective_id)
        if support is None or root is None or support.department_id is None \
                or (root, assignment_id) in served:
            continue
        served.add((root, assignment_id))
        reached.add(root)
        matrix.setdefault((root, support.department_id), Cell()).kpis.append(support)
    return matrix, reached


def _employees(supports, people) -> list[EmployeeSupport]:
    by_person: dict[int, list[AssignmentSupport]] = defaultdict(list)
    for support in supports:
        if support.employee_id is not None:
            by_person[support.employee_id].append(support)
    rows = [EmployeeSupport(pk=pk, name=people[pk][0], department_id=people[pk][1],
                            verdict=rules.worst(s.verdict for s in held), assignments=held)
            for pk, held in by_person.items()]
    rows.sort(key=lambda row: (row.name, row.pk))
    return rows
