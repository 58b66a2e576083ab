"""Why each figure of the synergy report is what it is: its inputs and formula, as the side
panel shows them. `explain(report, figure, key)` answers None when the report has no such
figure (the view answers 404) and raises ValueError for a figure kind it does not know;
`explain_figure(cycle, subtree, figure, key)` builds only the part of the report that figure
needs first (`narrowing` says which)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.goals.models import Cycle, KeyResult
from tandem.goals.progress import Weighted, objective_progress
from tandem.kpis.attainment import percent, plain
from tandem.kpis.models import ActualSource
from tandem.org.models import Employee

from . import synergy
from . import synergy_rules as rules
from .synergy import DEPARTMENT_BASIS, AssignmentSupport, Report

FIGURES = ("overview", "objective", "kpi", "okr", "coverage", "cell", "employee", "trend")


@dataclass
class Explanation:
    title: str
    lines: list[str] = field(default_factory=list)


def verdict_label(verdict: str) -> str:
    return {rules.YES: _("Yes"), rules.AT_RISK: _("At risk"), rules.NO: _("No"),
            rules.NO_LINK: _("No link")}[verdict]


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else percent(value)


def rule_lines(report: Report) -> list[str]:
    margin = report.policy.risk_margin
    return [
        _("“KR progress supports KPI” compares the KPI's actual implied by its linked key "
          "results (its actual when it takes it from them, else what the key results alone add "
          "up to) with the KPI's expected pace: progress p = implied actual towards the target "
          "(the attainment rule before cap and floor), expected e = the owner's pace plan on "
          "the day, or linear over the cycle."),
        _("Yes when p ≥ e; at risk when e × (1 − %(margin)s) ≤ p < e; no when p is lower; no "
          "link when no key result feeds the KPI (risk_margin = %(margin)s).")
        % {"margin": plain(margin)},
        _("A person's verdict is the worst of their linked KPIs' verdicts."),
    ]


def support_lines(support: AssignmentSupport) -> list[str]:
    """One assignment's verdict, with both of its figures when it keeps its own."""
    head = f"{support.indicator_code} {support.indicator_name}"
    if support.verdict == rules.NO_LINK:
        return [_("%(kpi)s: no key result feeds it; attainment %(attainment)s.")
                % {"kpi": head, "attainment": _pct(support.attainment)}]
    lines = [_("%(kpi)s (weight %(weight)s): %(links)s linked key result(s) imply "
               "%(actual)s of the target %(target)s, progress %(progress)s against an expected "
               "%(expected)s: %(verdict)s.")
             % {"kpi": head, "weight": percent(support.weight),
                "links": support.linked_key_results,
                "actual": plain(support.implied_actual) if support.implied_actual is not None
                else "0", "target": plain(support.target),
                "progress": _pct(support.implied_progress), "expected": _pct(support.expected),
                "verdict": verdict_label(support.verdict)}]
    if support.side_by_side:
        lines.append(_("It keeps its own figures: its key results imply an attainment of "
                       "%(krs)s, its own figures give %(own)s. The two are shown side by side, "
                       "never added.") % {"krs": _pct(support.kr_attainment),
                                           "own": _pct(support.own_attainment)})
    else:
        lines.append(_("Its actual comes from its linked key results: attainment %(value)s.")
                     % {"value": _pct(support.attainment)})
    return lines


def explain(report: Report, figure: str, key: str = "") -> Explanation | None:
    if figure not in FIGURES:
        raise ValueError(figure)
    return globals()[f"_{figure}"](report, key)


# Not narrowed: the report as the page has it; nothing to explain: the key names no figure.
WHOLE = object()
NOTHING = object()


def narrowing(figure: str, key: str, subtree: frozenset[int] | None):
    """The departments the report of `figure` needs, as `synergy.build`'s `subtree`; WHOLE or
    NOTHING. A department's figures come from itself and the departments below it, a cell's
    and a person's from one department; the company's figures need no department at all.
    Outside `subtree` (what the reader may see) there is nothing to explain."""
    if figure in ("overview", "objective", "trend") or (figure == "coverage"
                                                       and key == "company"):
        return frozenset()
    if figure == "cell":
        key = key.partition("-")[2]
    department = _int(key)
    if figure == "employee" and department is not None:
        found = list(Employee.objects.filter(pk=department).values_list("department_id",
                                                                        flat=True))
        if not found:
            return NOTHING
        department = found[0]
        if department is None:  # a person outside every department: the whole report
            return WHOLE if subtree is None else NOTHING
    if department is None or (subtree is not None and department not in subtree):
        return NOTHING
    return frozenset({department})


def explain_figure(cycle: Cycle, subtree: frozenset[int] | None, figure: str,
                   key: str = "") -> Explanation | None:
    """`explain` on the part of the report of `cycle` (narrowed to `subtree`) that the figure
    needs, without the weeks: the same figures as the page's, computed for one cell."""
    if figure not in FIGURES:
        raise ValueError(figure)
    narrow = narrowing(figure, key, subtree)
    if narrow is NOTHING:
        return None
    return explain(synergy.build(cycle, subtree=subtree if narrow is WHOLE else narrow,
                                 with_weeks=False), figure, key)


def _int(key: str) -> int | None:
    return int(key) if key.isascii() and key.isdigit() and int(key) < 2**63 else None


def _overview(report: Report, key: str) -> Explanation:
    return Explanation(_("How this report is computed"), [
        _("Company objective completion: the objective's progress, the weighted mean of its "
          "key results' progress (as on the objective's page)."),
        _("Department KPI attainment: the weighted mean, by KPI weight, of the attainment of "
          "the department's own KPIs; a department without KPIs of its own shows the weighted "
          "mean over its people's KPIs (and those of the departments below it). KPIs with no "
          "measurement yet are left out."),
        _("Department OKR completion: the weighted mean of the progress of its department "
          "objectives in the cycle."),
        _("Alignment coverage: aligned objectives / department and individual objectives, as "
          "on the alignment tree."),
        *rule_lines(report),
    ])


def _objective(report: Report, key: str) -> Explanation | None:
    pk = _int(key)
    objective = next((o for o in report.company_objectives if o.pk == pk), None)
    if objective is None:
        return None
    parts = [Weighted(weight, progress) for weight, progress in KeyResult.objects.filter(
        objective_id=pk).order_by("pk").values_list("weight", "progress")]
    result = objective_progress(parts)
    return Explanation(objective.title, [
        result.explanation,
        _("Completion shown: %(value)s.") % {"value": _pct(objective.progress)},
    ])


def _department(report: Report, key: str):
    pk = _int(key)
    return report.department(pk) if pk is not None else None


def _kpi(report: Report, key: str) -> Explanation | None:
    row = _department(report, key)
    if row is None:
        return None
    if row.kpi_basis is None:
        return Explanation(row.name, [_("No KPI assignments in this cycle.")])
    lines = [_("The department's own KPIs, weighted by their weights:")
             if row.kpi_basis == DEPARTMENT_BASIS else
             _("The department has no KPIs of its own: the KPIs of its people and of the "
               "people of the departments below it, weighted by their weights:")]
    for support in row.kpi_assignments[:50]:
        lines.append(f"{support.indicator_code} · {plain(support.weight)} × "
                     f"{_pct(support.attainment)}")
    if len(row.kpi_assignments) > 50:
        lines.append(_("… and %(count)s more.") % {"count": len(row.kpi_assignments) - 50})
    lines.append(_("Σ weight × attainment / Σ weight over the measured KPIs = %(value)s.")
                 % {"value": _pct(row.kpi_attainment)})
    return Explanation(_("KPI attainment of %(name)s") % {"name": row.name}, lines)


def _okr(report: Report, key: str) -> Explanation | None:
    row = _department(report, key)
    if row is None:
        return None
    if not row.objectives:
        return Explanation(row.name, [_("No department objectives in this cycle.")])
    lines = [f"{title} · {plain(weight)} × {_pct(progress)}"
             for _pk, title, weight, progress in row.objectives]
    lines.append(_("Σ weight × progress / Σ weight over its department objectives = "
                   "%(value)s.") % {"value": _pct(row.okr_completion)})
    return Explanation(_("OKR completion of %(name)s") % {"name": row.name}, lines)


def _coverage(report: Report, key: str) -> Explanation | None:
    if key == "company":
        name, coverage = _("The company"), report.company_coverage
    else:
        row = _department(report, key)
        if row is None:
            return None
        name, coverage = row.name, row.coverage
    if coverage is None or not coverage.objectives:
        return Explanation(name, [_("No department or individual objectives in this cycle.")])
    return Explanation(_("Alignment coverage of %(name)s") % {"name": name}, [
        _("Objectives whose chain of parents reaches a company objective: %(aligned)s of "
          "%(all)s = %(value)s.") % {"aligned": coverage.aligned_objectives,
                                     "all": coverage.objectives,
                                     "value": _pct(coverage.objective_coverage)},
        _("People with at least one aligned objective: %(aligned)s of %(all)s = %(value)s.")
        % {"aligned": len(coverage.aligned_people), "all": len(coverage.people),
           "value": _pct(coverage.people_coverage)},
    ])


def _cell(report: Report, key: str) -> Explanation | None:
    objective_key, _sep, department_key = key.partition("-")
    objective_pk, department_pk = _int(objective_key), _int(department_key)
    objective = next((o for o in report.company_objectives if o.pk == objective_pk), None)
    row = report.department(department_pk) if department_pk is not None else None
    if objective is None or row is None:
        return None
    cell = report.cell(objective.pk, row.pk)
    lines = [_("%(department)s serves “%(objective)s” through:")
             % {"department": row.name, "objective": objective.title}]
    lines += [_("Objective “%(title)s”, progress %(progress)s") % {
        "title": title, "progress": _pct(progress)} for _pk, title, progress in cell.objectives]
    lines += [_("KPI %(code)s %(name)s, fed by key results of objectives aligned to it, "
                "attainment %(value)s") % {"code": s.indicator_code, "name": s.indicator_name,
                                           "value": _pct(s.attainment)}
              for s in cell.kpis[:50]]
    if cell.empty:
        lines.append(_("Nothing yet."))
    return Explanation(_("%(department)s × %(objective)s")
                       % {"department": row.name, "objective": objective.title}, lines)


def _employee(report: Report, key: str) -> Explanation | None:
    pk = _int(key)
    person = report.employee(pk) if pk is not None else None
    if person is None:
        return None
    lines = []
    for support in person.assignments:
        lines.extend(support_lines(support))
    lines.append(_("Verdict: %(verdict)s.") % {"verdict": verdict_label(person.verdict)})
    lines.extend(rule_lines(report))
    return Explanation(_("Does %(name)s's KR progress support their KPIs?")
                       % {"name": person.name}, lines)


def _trend(report: Report, key: str) -> Explanation:
    return Explanation(_("Trend by week"), [
        _("Week 1 is the first seven days of the cycle. Each point is the figure as it stood "
          "at the end of the week; the week under way shows today's figures, the report's "
          "own."),
        _("Company objective completion: each key result at the progress its latest check-in "
          "up to that day left it at (0 before its first check-in; a key result driven by an "
          "aligned objective takes that objective's progress), and the objective's progress "
          "the weighted mean of its key results'."),
        _("Department KPI attainment: each KPI's actual from its measurements dated up to "
          "that day and its attainment by its rule, then the weighted mean over the KPIs the "
          "department counts. The company line is the mean over the departments with a "
          "figure; with a department filter, each department has its own line."),
        _("A week gone by is recorded the night after it ends, with that day's key results, "
          "KPIs, weights and targets, and kept as recorded; figures entered or removed later "
          "for a day of the week or before it have it computed again from the check-ins and "
          "measurements, with today's."),
        _("Expected pace: linear over the cycle, (week end − start) / (end − start)."),
    ])


def source_label(source: str) -> str:
    return str(ActualSource(source).label)
