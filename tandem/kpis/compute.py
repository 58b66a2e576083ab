"""Recomputing the cached figures of assignments from their measurements, set-based: a fixed
number of queries for any number of assignments. Every figure shown anywhere (pages, report,
reviews) comes from here or from `figures_of`, with the rules of `kpis.attainment`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import attainment as rules
from .models import ActualSource, Assignment, Measurement, MeasurementSource

OWN_SOURCES = (MeasurementSource.MANUAL, MeasurementSource.IMPORT, MeasurementSource.API)


@dataclass(frozen=True)
class Figures:
    """What an assignment's measurements add up to, and what its rule makes of them."""

    actual: Decimal | None
    linked_actual: Decimal | None
    last_measured_on: date | None
    result: rules.Result


def figures_of(assignment: Assignment, measurements: Iterable[tuple[date, Decimal, str]]
               ) -> Figures:
    """`measurements`: (date, value, source) of this assignment. The actual is aggregated from
    the measurements of the assignment's own source only; when it keeps its own figures, what
    its linked key results imply is aggregated apart (`linked_actual`) and never added."""
    indicator = assignment.indicator
    own, linked = [], []
    last = None
    for day, value, source in measurements:
        (linked if source == MeasurementSource.KEY_RESULT else own).append((day, value))
        last = day if last is None or day > last else last
    if assignment.actual_source == ActualSource.KEY_RESULTS:
        actual = rules.aggregate(linked, indicator.aggregation)
        linked_actual = None
    else:
        actual = rules.aggregate(own, indicator.aggregation)
        linked_actual = rules.aggregate(linked, indicator.aggregation)
    if actual is not None:
        actual = actual.quantize(Decimal("0.0001"))
    if linked_actual is not None:
        linked_actual = linked_actual.quantize(Decimal("0.0001"))
    result = rules.evaluate(actual, assignment.target, assignment.rule_for(indicator))
    return Figures(actual, linked_actual, last, result)


def recompute(assignment_ids: Iterable[int]) -> list[Assignment]:
    """Refreshes actual, attainment, score, the linked actual and the last measurement day of
    these assignments. Three queries whatever their number."""
    ids = sorted(set(assignment_ids))
    if not ids:
        return []
    assignments = list(Assignment.objects.filter(pk__in=ids).select_related("indicator"))
    by_assignment: dict[int, list] = defaultdict(list)
    for assignment_id, day, value, source in (
        Measurement.objects.filter(assignment_id__in=ids)
        .order_by("assignment_id", "date", "pk")
        .values_list("assignment_id", "date", "value", "source")
    ):
        by_assignment[assignment_id].append((day, value, source))
    for assignment in assignments:
        if assignment.position_id is not None:
            continue  # a position's figures are its people's
        figures = figures_of(assignment, by_assignment[assignment.pk])
        assignment.actual = figures.actual
        assignment.linked_actual = figures.linked_actual
        assignment.last_measured_on = figures.last_measured_on
        assignment.attainment = figures.result.attainment
        assignment.score = figures.result.score
    Assignment.objects.bulk_update(
        assignments, ["actual", "linked_actual", "last_measured_on", "attainment", "score"],
        batch_size=500,
    )
    return assignments
