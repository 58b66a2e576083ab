"""The report's figures are the detail pages' figures: the same functions (kpis.compute,
kpis.attainment, goals.progress) give the same Decimals."""

from decimal import Decimal

from tandem.goals.models import KeyResult, Objective
from tandem.goals.progress import Weighted, objective_progress
from tandem.insights import synergy
from tandem.kpis import attainment, compute
from tandem.kpis.models import Assignment

from .conftest import TODAY


def test_every_assignment_figure_equals_kpis_compute(org, goals, synergy_company, scoped):
    report = synergy.build(goals.quarter, today=TODAY)
    shown = {s.pk: s for person in report.employees for s in person.assignments}
    shown.update({s.pk: s for row in report.departments for s in row.kpi_assignments})
    assert len(shown) == 4

    for assignment in Assignment.objects.filter(pk__in=shown).select_related("indicator"):
        measurements = list(assignment.measurements.order_by("date", "pk").values_list(
            "date", "value", "source"))
        figures = compute.figures_of(assignment, measurements)
        support = shown[assignment.pk]
        assert (support.actual, support.attainment) == (
            figures.actual, figures.result.attainment)
        assert (assignment.actual, assignment.attainment) == (
            figures.actual, figures.result.attainment)
        if support.side_by_side:
            assert support.implied_actual == figures.linked_actual
            assert support.kr_attainment == attainment.evaluate(
                figures.linked_actual, assignment.target, assignment.rule_for()).attainment


def test_company_objective_completion_equals_goals_progress(org, goals, synergy_company,
                                                           scoped):
    report = synergy.build(goals.quarter, today=TODAY)
    (objective,) = report.company_objectives
    parts = [Weighted(w, p) for w, p in KeyResult.objects.filter(
        objective_id=objective.pk).values_list("weight", "progress")]

    assert objective.progress == Objective.objects.get(pk=objective.pk).progress
    assert objective.progress == objective_progress(parts).value == Decimal("0.2500")
