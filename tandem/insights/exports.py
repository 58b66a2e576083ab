"""The synergy report as an Excel workbook (`core.exports`): one sheet per table of the page,
every figure as a number (fractions with a percent format)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.core.exports import DATE, DECIMAL, INTEGER, RATE, TEXT, Column, Sheet

from .explain import source_label, verdict_label
from .synergy import DEPARTMENT_BASIS, PEOPLE_BASIS, Report

DECIMAL_VALUE = DECIMAL  # targets and actuals, in the indicator's unit


def _basis(basis: str | None) -> str:
    return {DEPARTMENT_BASIS: _("Its own KPIs"), PEOPLE_BASIS: _("Its people's KPIs"),
            None: ""}[basis]


def sheets(report: Report) -> list[Sheet]:
    objectives = Sheet(_("Company objectives"), [
        Column(_("Company objective"), TEXT, 40), Column(_("Completion"), RATE)],
        [(o.title, o.progress) for o in report.company_objectives])
    departments = Sheet(_("Departments"), [
        Column(_("Department"), TEXT, 24), Column(_("KPI attainment"), RATE),
        Column(_("Taken over"), TEXT, 20), Column(_("KPIs"), INTEGER),
        Column(_("OKR completion"), RATE), Column(_("Objective coverage"), RATE),
        Column(_("People coverage"), RATE)],
        [(d.name, d.kpi_attainment, _basis(d.kpi_basis), len(d.kpi_assignments),
          d.okr_completion, d.coverage.objective_coverage if d.coverage else None,
          d.coverage.people_coverage if d.coverage else None) for d in report.departments])
    names = {o.pk: o.title for o in report.company_objectives}
    matrix = Sheet(_("Matrix"), [
        Column(_("Company objective"), TEXT, 32), Column(_("Department"), TEXT, 24),
        Column(_("Department objectives"), TEXT, 48), Column(_("KPIs"), TEXT, 48)],
        [(names.get(objective_pk, ""), report.department_names.get(department_pk, ""),
          "; ".join(title for _pk, title, _progress in cell.objectives),
          "; ".join(f"{s.indicator_code} ({report.holder(s)})" for s in cell.kpis))
         for (objective_pk, department_pk), cell in sorted(report.matrix.items())
         if objective_pk in names])
    people = Sheet(_("People"), [
        Column(_("Employee"), TEXT), Column(_("Department"), TEXT, 20),
        Column(_("KR progress supports KPI"), TEXT, 14), Column(_("Indicator"), TEXT, 24),
        Column(_("Weight"), RATE), Column(_("Target"), DECIMAL_VALUE),
        Column(_("Actual"), DECIMAL_VALUE), Column(_("Source of the actual"), TEXT, 24),
        Column(_("Attainment"), RATE), Column(_("Linked key results"), INTEGER),
        Column(_("Implied by key results"), DECIMAL_VALUE),
        Column(_("Progress implied"), RATE), Column(_("Expected"), RATE),
        Column(_("Verdict"), TEXT, 10), Column(_("Own figures' attainment"), RATE),
        Column(_("Key results' attainment"), RATE)],
        [(person.name, report.department_names.get(person.department_id, ""),
          verdict_label(person.verdict), f"{s.indicator_code} {s.indicator_name}", s.weight,
          s.target, s.actual, source_label(s.source), s.attainment,
          s.linked_key_results, s.implied_actual, s.implied_progress, s.expected,
          verdict_label(s.verdict), s.own_attainment, s.kr_attainment)
         for person in report.employees for s in person.assignments])
    at_risk = Sheet(_("At risk"), [
        Column(_("Held by"), TEXT, 20), Column(_("Indicator"), TEXT, 24),
        Column(_("Progress implied"), RATE), Column(_("Expected"), RATE),
        Column(_("Verdict"), TEXT, 10)],
        [(report.holder(s), f"{s.indicator_code} {s.indicator_name}", s.implied_progress,
          s.expected, verdict_label(s.verdict)) for s in report.at_risk])
    weeks = Sheet(_("Weeks"), [
        Column(_("Week"), INTEGER), Column(_("From"), DATE), Column(_("To"), DATE),
        Column(_("Check-ins"), INTEGER), Column(_("KPI measurements"), INTEGER),
        Column(_("Mean progress after check-in"), RATE), Column(_("Expected pace"), RATE)],
        [(w.number, w.start, w.end, w.check_ins, w.measurements, w.mean_progress, w.expected)
         for w in report.weeks])
    return [objectives, departments, matrix, people, at_risk, weeks]


def filename(report: Report) -> str:
    return _("okr-kpi-synergy-%(cycle)s.xlsx") % {"cycle": report.cycle.name}
