"""The synergy report's weeks (issue #5): week 1 is the cycle's first seven days, up to the week
of today (every week once the cycle is over). For each week:

- its activity: the check-ins on the key results of the cycle's objectives and the KPI
  measurements of its assignments, with the mean progress the week's check-ins left their key
  results at (`activity`; two queries, made only when the activity is read);
- the figures as they stood at the week's end (`stood`): each company objective's completion
  and each department's weighted KPI attainment, and the mean of the departments'
  attainment. The week under way stands at today: its figures are the report's own. An ended
  week is recorded the night after (`TrendWeek`, `insights.services.record_trend_weeks`) and
  read from then on (one query); a week not recorded, or forgotten because figures dated in
  it were entered or removed since (`kpis.signals.figures_backdated`), is rebuilt as below
  (four queries).

Rebuilt means the structure of the day it is rebuilt (key results and their weights, driven key
results, KPI assignments, weights, targets and rules, which KPIs a department counts; for a
recorded week, the night after it ended) with the figures of then:

- a key result's progress is the progress its latest check-in up to that day left it at
  (`CheckIn.progress`, stored with each check-in), 0 before its first check-in (a key result
  starts at its start value); a key result driven by an aligned objective takes that
  objective's progress; an objective's progress is `goals.progress.objective_progress` of its
  key results', as `goals.services.roll_up` computes it;
- an assignment's actual is `kpis.attainment.aggregate` of its measurements dated up to that
  day from its own source, as `kpis.compute.figures_of` takes them, rounded to four places,
  and its attainment the rule's (`synergy_rules.attainment_of`); a department's attainment is
  `synergy_rules.weighted_mean` over the same KPIs as today's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from tandem.goals.models import CheckIn, Cycle, KeyResult
from tandem.goals.progress import Weighted, expected_progress, objective_progress
from tandem.kpis import attainment as kpi_rules
from tandem.kpis.models import ActualSource, Measurement, MeasurementSource

from . import synergy_rules as rules
from .models import TrendWeek
from .synergy_types import (
    DEPARTMENT_BASIS,
    Activity,
    AssignmentSupport,
    CompanyObjective,
    DepartmentRow,
    Week,
)

ZERO = Decimal(0)
ONE = Decimal(1)
VALUE_PLACES = Decimal("0.0001")

# (rule key, rule, aggregation) of an assignment: equal keys share one rule and its figures.
RuleOf = Callable[[AssignmentSupport], tuple[tuple, kpi_rules.Rule, str]]


def _moment(day: date) -> datetime:
    """Midnight starting `day` in the current time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def activity(cycle: Cycle, subtree: frozenset[int] | None, today: date) -> list[Week]:
    """The cycle's weeks up to today; their activity is read when first asked for (two
    queries: the check-ins grouped by their week, as ranges of local days compared in SQL, and
    the measurements grouped by their day)."""
    last = min(today, cycle.end)
    if last < cycle.start:
        return []
    ends = []
    for index in range((last - cycle.start).days // 7 + 1):
        start = cycle.start + timedelta(days=7 * index)
        ends.append((start, min(start + timedelta(days=6), cycle.end)))
    counts = Activity(lambda: _activity(cycle, subtree, last, [end for _start, end in ends]))
    return [Week(index, start, end, expected_progress(cycle.start, cycle.end, end),
                 as_of=min(end, today), activity=counts)
            for index, (start, end) in enumerate(ends, start=1)]


def _activity(cycle: Cycle, subtree: frozenset[int] | None, last: date, ends: list[date]
              ) -> dict[int, tuple[int, Decimal, int]]:
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
    counts = {number: [0, ZERO, 0] for number in range(1, len(ends) + 1)}
    # Each check-in's week number in SQL (0: after the last week), then one row per week.
    week_of = Case(*(When(created_at__lt=_moment(end + timedelta(days=1)), then=Value(number))
                     for number, end in enumerate(ends, start=1)),
                   default=Value(0), output_field=IntegerField())
    for number, count, total in (
            check_ins.filter(created_at__gte=_moment(cycle.start)).annotate(week=week_of)
            .values("week").annotate(n=Count("pk"), total=Sum("progress"))
            .values_list("week", "n", "total")):
        if number:
            counts[number][:2] = count, Decimal(str(total or 0))
    for day, number in (measurements.filter(date__gte=cycle.start, date__lte=last)
                        .values("date").annotate(n=Count("pk")).values_list("date", "n")):
        counts[(day - cycle.start).days // 7 + 1][2] += number
    return {number: (check_ins, total, measured)
            for number, (check_ins, total, measured) in counts.items()}


def stood(weeks: Sequence[Week], *, cycle: Cycle, today: date,
          objectives: Sequence[CompanyObjective], departments: Sequence[DepartmentRow],
          rule_of: RuleOf, narrowed: bool) -> None:
    """Fills in the figures of each week as they stood at its end (see the module); `narrowed`
    when the report is narrowed to some departments. An ended week recorded by
    `insights.services.record_trend_weeks` is read (one query); the others are rebuilt (four
    more queries when there are any). The week under way has the report's own figures."""
    past = [week for week in weeks if week.end < today]
    if past:
        recorded = recorded_weeks(cycle, [week.end for week in past],
                                  [objective.pk for objective in objectives])
        rebuilt = [week for week in past if week.end not in recorded]
        if rebuilt:
            ends = [week.end for week in rebuilt]
            completions = completion_history([o.pk for o in objectives], ends)
            attainments = kpi_history(cycle, departments, rule_of, ends, narrowed)
            for week, completion, attained in zip(rebuilt, completions, attainments,
                                                  strict=True):
                week.completion = completion
                week.kpi_attainment = attained
        for week in past:
            if week.end in recorded:
                completion, attained = recorded[week.end]
                week.completion = {o.pk: completion[o.pk] for o in objectives}
                week.kpi_attainment = {row.pk: attained.get(row.pk) for row in departments}
    for week in weeks[len(past):]:
        week.completion = {o.pk: o.progress for o in objectives}
        week.kpi_attainment = {row.pk: row.kpi_attainment for row in departments}
    for week in weeks:
        week.mean_kpi_attainment = rules.weighted_mean(
            (ONE, figure) for figure in week.kpi_attainment.values())


def recorded_weeks(cycle: Cycle, ends: Sequence[date], objectives: Sequence[int]
                   ) -> dict[date, tuple[dict[int, Decimal], dict[int, Decimal | None]]]:
    """The recorded figures (`TrendWeek`) of the weeks of `cycle` ending on `ends`, each as
    (completion by company objective, KPI attainment by department); one query. A week
    recorded before one of `objectives` existed is left out (it is rebuilt); a department
    recorded without a figure, or created since, has none."""
    out = {}
    for end, completion, attained in TrendWeek.objects.filter(
            cycle=cycle, week_end__in=list(ends)).values_list(
            "week_end", "completion", "kpi_attainment"):
        completed = {int(pk): Decimal(figure) for pk, figure in completion.items()}
        if any(pk not in completed for pk in objectives):
            continue
        out[end] = completed, {int(pk): None if figure is None else Decimal(figure)
                               for pk, figure in attained.items()}
    return out


def rolled_up(objective: int, key_results: dict[int, list[tuple[int, Decimal, int | None]]],
              progress: dict[int, Decimal], memo: dict[int, Decimal],
              path: frozenset[int] = frozenset()) -> Decimal:
    """`objective`'s progress from its key results' (`progress`, 0 when absent), a driven key
    result taking its objective's progress, as `goals.services.roll_up` does; `key_results`:
    objective → (key result, weight, driving objective or None); `memo` per moment."""
    if objective in memo:
        return memo[objective]
    parts = []
    for key_result, weight, driven_by in key_results.get(objective, ()):
        if driven_by is None:
            parts.append(Weighted(weight, progress.get(key_result, ZERO)))
        elif driven_by in path:  # alignment forbids loops; a broken chain counts 0
            parts.append(Weighted(weight, ZERO))
        else:
            parts.append(Weighted(weight, rolled_up(driven_by, key_results, progress, memo,
                                                    path | {objective})))
    memo[objective] = objective_progress(parts).value
    return memo[objective]


def completion_history(objectives: Sequence[int], ends: Sequence[date]
                       ) -> list[dict[int, Decimal]]:
    """Each objective's completion at the end of each day of `ends` (ascending). Three
    queries: the driven key results, the key results of the objectives the company objectives
    roll up from, their check-ins up to the last day."""
    drives: dict[int, set[int]] = defaultdict(set)
    for objective, driven_by in KeyResult.objects.filter(
            driven_by_objective__isnull=False).values_list("objective_id",
                                                           "driven_by_objective_id"):
        drives[objective].add(driven_by)
    reached, frontier = set(objectives), list(objectives)
    while frontier:
        for child in drives.get(frontier.pop(), ()):
            if child not in reached:
                reached.add(child)
                frontier.append(child)
    key_results: dict[int, list[tuple[int, Decimal, int | None]]] = defaultdict(list)
    for pk, objective, weight, driven_by in KeyResult.objects.filter(
            objective_id__in=reached).order_by("objective_id", "pk").values_list(
            "pk", "objective_id", "weight", "driven_by_objective_id"):
        key_results[objective].append((pk, weight, driven_by))
    checked = [pk for parts in key_results.values() for pk, _w, driven in parts
               if driven is None]
    moments = [_moment(end + timedelta(days=1)) for end in ends]
    entries = list(CheckIn.objects.filter(key_result_id__in=checked, created_at__lt=moments[-1])
                   .order_by("created_at", "pk").values_list("key_result_id", "created_at",
                                                             "progress"))
    latest: dict[int, Decimal] = {}
    history, index = [], 0
    for moment in moments:
        while index < len(entries) and entries[index][1] < moment:
            latest[entries[index][0]] = entries[index][2]
            index += 1
        memo: dict[int, Decimal] = {}
        history.append({pk: rolled_up(pk, key_results, latest, memo) for pk in objectives})
    return history


def kpi_history(cycle: Cycle, departments: Sequence[DepartmentRow], rule_of: RuleOf,
                ends: Sequence[date], narrowed: bool = True) -> list[dict[int, Decimal | None]]:
    """Each department's weighted KPI attainment at the end of each day of `ends` (ascending,
    the cycle's week ends), over the KPIs it counts today. One query: the measurements that
    make those KPIs' actuals, up to the last day (of those departments only when `narrowed`).
    Only what changes is computed: a KPI's attainment when a week brings it measurements, a
    department's sums by those changes."""
    rows_of: dict[int, list[int]] = defaultdict(list)
    held: dict[int, AssignmentSupport] = {}
    own, people = set(), set()
    for index, row in enumerate(departments):
        for support in row.kpi_assignments:
            rows_of[support.pk].append(index)
            held[support.pk] = support
            (own if row.kpi_basis == DEPARTMENT_BASIS else people).add(support.department_id)
    count = len(ends)
    # Per department and week: the change of Σ w·a and of Σ w over the measured KPIs.
    weighted = [[ZERO] * count for _row in departments]
    total = [[ZERO] * count for _row in departments]
    figures: dict[tuple, Decimal | None] = {}
    decimals: dict[str, Decimal] = {}
    # One pass over the measurements, ordered by assignment, then date: a KPI's figure is
    # taken again at the end of each of its weeks with measurements.
    support = values = before = week = key = rule = how = None
    rows = _measurements(cycle, own, people, ends, narrowed)
    for pk, new_week, day, text in (*rows, (None, None, None, None)):
        if support is not None and (pk != support.pk or new_week != week):
            actual = kpi_rules.aggregate(values, how).quantize(VALUE_PLACES)
            figure_key = (actual, support.target, key)
            if figure_key not in figures:
                figures[figure_key] = rules.attainment_of(actual, support.target, rule)
            now = figures[figure_key]
            if now != before:
                change = support.weight * (now - (before or ZERO))
                for index in rows_of[support.pk]:
                    weighted[index][week] += change
                    if before is None:
                        total[index][week] += support.weight
                before = now
        if pk is None:
            break
        if support is None or pk != support.pk:
            support = held.get(pk)
            values, before = [], None
            if support is None:
                continue
            key, rule, how = rule_of(support)
        week = new_week
        value = decimals.get(text)
        if value is None:
            value = decimals[text] = Decimal(text)
        values.append((day, value))
    history: list[dict[int, Decimal | None]] = [{} for _end in ends]
    for index, row in enumerate(departments):
        running_weighted = running_total = ZERO
        for week in range(count):
            running_weighted += weighted[index][week]
            running_total += total[index][week]
            history[week][row.pk] = rules.mean_of(running_weighted, running_total)
    return history


def _measurements(cycle: Cycle, own: set[int], people: set[int], ends: Sequence[date],
                  narrowed: bool):
    """(assignment, week index, date, value) of the measurements that make the actual of the
    department assignments of `own` and the person assignments of people in `people` (of
    every assignment when not `narrowed`), dated up to the last of `ends`, in the order
    `kpis.compute` reads them; week 0 takes those dated before the cycle too. Dates and values
    are read as text: ISO dates order and compare as the dates do, which is all
    `kpis.attainment.aggregate` asks of them, and values for the reason `insights.synergy`
    gives."""
    from_key_results = Q(source=MeasurementSource.KEY_RESULT)
    measurements = Measurement.objects.filter(
        assignment__cycle=cycle, assignment__position__isnull=True, date__lte=ends[-1])
    if narrowed:
        measurements = measurements.filter(
            Q(assignment__department_id__in=own)
            | Q(assignment__employee__department_id__in=people))
    week_of = Case(*(When(date__lte=end, then=Value(index)) for index, end in enumerate(ends)),
                   default=Value(len(ends)), output_field=IntegerField())
    # `figures_of`: the actual comes from the assignment's own source only.
    return (measurements
            .filter((Q(assignment__actual_source=ActualSource.KEY_RESULTS) & from_key_results)
                    | (Q(assignment__actual_source=ActualSource.OWN) & ~from_key_results))
            .order_by("assignment_id", "date", "pk")
            .annotate(week=week_of, day=Cast("date", CharField()),
                      value_text=Cast("value", CharField()))
            .values_list("assignment_id", "week", "day", "value_text"))
