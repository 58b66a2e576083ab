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
- the **trend** counts, week by week from the cycle's start, the check-ins on the key results
  of the cycle's objectives and the KPI measurements of its assignments, with the mean
  progress the week's check-ins left their key results at, beside the linear pace.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from tandem.core.models import bilingual
from tandem.goals import alignment
from tandem.goals.models import CheckIn, Cycle, Level, Objective
from tandem.goals.progress import Weighted, expected_progress, objective_progress
from tandem.kpis import attainment as kpi_rules
from tandem.kpis import pace
from tandem.kpis.models import (
    ActualSource,
    Assignment,
    Indicator,
    KeyResultLink,
    Measurement,
)
from tandem.kpis.risk import DEFAULT_SETTINGS, settings_by_company
from tandem.org.models import Department, Employee

from . import synergy_rules as rules
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
          policy: pace.Policy | None = None) -> Report:
    """The report of `cycle`; `subtree` (department ids) narrows departments, people and the
    trend to those departments; `policy` by default the company's KPI tracking settings.
    Fifteen queries whatever the company's size."""
    today = today or timezone.localdate()
    if policy is None:
        policy = settings_by_company([cycle.company_id]).get(
            cycle.company_id, DEFAULT_SETTINGS).policy
    enclosing = alignment._cycle_ids_enclosing(cycle)
    objectives = list(Objective.objects.filter(cycle_id__in=enclosing).values_list(
        "pk", "level", "parent_id", "cycle_id", "owner_department_id", "weight", "progress",
        "kind", "title"))
    by_pk = {row[0]: row for row in objectives}
    root_of = _roots(by_pk)
    departments = list(Department.objects.order_by("name", "pk").values_list(
        "pk", "parent_id", "name", "name_en"))
    parent_of = {pk: parent for pk, parent, _name, _en in departments}
    shown = [row for row in departments if subtree is None or row[0] in subtree]
    coverage = alignment.coverage(cycle)
    coverage_of = {item.department.pk: item.coverage for item in coverage.departments}

    fed_by = _links(cycle)
    supports = _assignments(cycle, today, policy, fed_by)
    in_english = (get_language() or "").startswith("en")  # as `bilingual` picks names
    people = {pk: ((english if in_english and english else name), department_id)
              for pk, name, english, department_id in Employee.objects.filter(
                  pk__in=Assignment.objects.filter(cycle=cycle, employee__isnull=False)
                  .values("employee_id")
              ).values_list("pk", "name", "english_name", "department_id")}
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
    return Report(
        cycle=cycle, today=today, policy=policy, subtree=subtree,
        expected=expected_progress(cycle.start, cycle.end, today),
        company_objectives=company_objectives, departments=department_rows, matrix=matrix,
        employees=employees, at_risk=at_risk, weeks=_weeks(cycle, subtree, today),
        company_coverage=coverage.company,
        employee_names={pk: name for pk, (name, _department) in people.items()},
        department_names={pk: bilingual(name, name_en or "")
                          for pk, _parent, name, name_en in departments})


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


def _rule_maker(indicators: dict[int, Indicator]):
    """The attainment rule of an assignment row, as `Assignment.rule_for` makes it, built once
    per distinct (indicator, overrides) key."""
    made: dict[tuple, kpi_rules.Rule] = {}

    def rule(key: tuple) -> kpi_rules.Rule:
        if key not in made:
            indicator_id, kind, cap, floor = key
            made[key] = Assignment(rule=kind, cap=cap, floor=floor).rule_for(
                indicators[indicator_id])
        return made[key]

    return rule


def _links(cycle: Cycle) -> list[tuple[int, int]]:
    """(assignment, objective of the key result feeding it) of every link of the cycle."""
    return list(KeyResultLink.objects.filter(assignment__cycle=cycle).order_by("pk")
                .values_list("assignment_id", "key_result__objective_id"))


# The assignment figures read as text and turned into Decimals here: with 20,000 assignments
# the ORM's conversion of SQLite's stored floats (a Decimal made from the float with 15
# significant digits, then quantized) was a third of the report's time. SQLite writes a float
# as text with the same 15 significant digits, PostgreSQL writes its numeric exactly, so the
# values are the same Decimals (without the trailing zeros of the field's places).
_DECIMALS = ("target", "weight", "actual", "attainment", "linked_actual")


def _assignments(cycle: Cycle, today: date, policy: pace.Policy,
                 fed_by: list[tuple[int, int]]) -> list[AssignmentSupport]:
    """Every employee and department assignment of the cycle with its support verdict; the
    holder's department is the department's own (people's are filled in by the caller).
    Four queries."""
    indicators = {indicator.pk: indicator for indicator in Indicator.objects.all()}
    names = {pk: indicator.display_name for pk, indicator in indicators.items()}
    links: dict[int, int] = defaultdict(int)
    for assignment_id, _objective_id in fed_by:
        links[assignment_id] += 1
    held = Assignment.objects.filter(cycle=cycle, position__isnull=True)
    # Pace plans and rule overrides are few: read apart, so that the many assignments without
    # them are not decoded (JSON, Decimals from SQLite's floats) one by one.
    plans = dict(held.exclude(pace_plan=[]).values_list("pk", "pace_plan"))
    overrides = {pk: (kind, cap, floor) for pk, kind, cap, floor in held.filter(
        ~Q(rule="") | Q(cap__isnull=False) | Q(floor__isnull=False)).values_list(
        "pk", "rule", "cap", "floor")}
    rule_for = _rule_maker(indicators)
    evaluated: dict[tuple, Decimal | None] = {}
    linear = expected_progress(cycle.start, cycle.end, today)
    margin = policy.risk_margin
    out = []
    rows = held.order_by("pk").annotate(**{
        f"{name}_text": Cast(name, CharField()) for name in _DECIMALS}).values_list(
        "pk", "indicator_id", "employee_id", "department_id", "actual_source",
        *(f"{name}_text" for name in _DECIMALS))
    for (pk, indicator_id, employee_id, department_id, source, target, weight, actual, attained,
         linked_actual) in rows:
        target, weight = Decimal(target), Decimal(weight)
        actual = None if actual is None else Decimal(actual)
        attained = None if attained is None else Decimal(attained)
        linked_actual = None if linked_actual is None else Decimal(linked_actual)
        indicator = indicators[indicator_id]
        count = links.get(pk, 0)
        plan = plans.get(pk)
        expected = (rules.expected_share(plan, cycle.start, cycle.end, today) if plan
                    else linear)
        implied = progress = own = from_krs = None
        if count:
            rule_key = (indicator_id, *overrides.get(pk, ("", None, None)))
            rule = rule_for(rule_key)
            implied = actual if source == ActualSource.KEY_RESULTS else linked_actual
            progress = kpi_rules.progress_towards(implied, target, rule)
            if source == ActualSource.OWN:
                own = attained
                key = (implied, target, rule_key)
                if key not in evaluated:
                    evaluated[key] = kpi_rules.evaluate(implied, target, rule).attainment
                from_krs = evaluated[key]
            else:
                from_krs = attained
        out.append(AssignmentSupport(
            pk=pk, indicator_id=indicator_id, indicator_code=indicator.code,
            indicator_name=names[indicator_id], unit=indicator.unit,
            employee_id=employee_id, department_id=department_id, weight=weight,
            target=target, actual=actual, attainment=attained, source=source,
            linked_key_results=count, implied_actual=implied, implied_progress=progress,
            expected=expected, verdict=rules.support_verdict(progress, expected, margin),
            own_attainment=own, kr_attainment=from_krs))
    return out


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
    for assignment_id, objective_id in fed_by:
        support = by_pk.get(assignment_id)
        root = root_of(objective_id)
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


def _weeks(cycle: Cycle, subtree: frozenset[int] | None, today: date) -> list[Week]:
    """The cycle's weeks up to today (all of them once it is over). Two queries: the check-ins
    grouped by their week (ranges of local days, compared in SQL), the measurements grouped
    by their day."""
    last = min(today, cycle.end)
    if last < cycle.start:
        return []
    check_ins = CheckIn.objects.filter(key_result__objective__cycle=cycle)
    measurements = Measurement.objects.filter(assignment__cycle=cycle,
                                              assignment__position__isnull=True)
    if subtree is not None:
        check_ins = check_ins.filter(
            Q(key_result__objective__owner_department_id__in=subtree)
            | Q(key_result__objective__owner_employee__department_id__in=subtree))
        measurements = measurements.filter(
            Q(assignment__department_id__in=subtree)
            | Q(assignment__employee__department_id__in=subtree))
    weeks = []
    for index in range((last - cycle.start).days // 7 + 1):
        start = cycle.start + timedelta(days=7 * index)
        end = min(start + timedelta(days=6), cycle.end)
        weeks.append(Week(index + 1, start, end, 0, Decimal(0), 0,
                          expected_progress(cycle.start, cycle.end, end)))
    zone = timezone.get_current_timezone()

    def moment(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=zone)

    # Each check-in's week number in SQL (0: after the last week), then one row per week.
    week_of = Case(*(When(created_at__lt=moment(week.end + timedelta(days=1)),
                          then=Value(week.number)) for week in weeks),
                   default=Value(0), output_field=IntegerField())
    for number, count, total in (
            check_ins.filter(created_at__gte=moment(cycle.start)).annotate(week=week_of)
            .values("week").annotate(n=Count("pk"), total=Sum("progress"))
            .values_list("week", "n", "total")):
        if number:
            weeks[number - 1].check_ins = count
            weeks[number - 1].progress_total = Decimal(str(total or 0))
    for day, number in (measurements.filter(date__gte=cycle.start, date__lte=last)
                        .values("date").annotate(n=Count("pk")).values_list("date", "n")):
        weeks[(day - cycle.start).days // 7].measurements += number
    return weeks
