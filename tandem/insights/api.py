"""`GET /api/v1/reports/synergy/?cycle=&department=`: the synergy report's figures as JSON, the
same as the page's (`insights.synergy.build`). Who may call it and what a leader sees: see
`insights.access` and `insights.filters`.

The serializers document the body; the body itself is built straight from the report by
`report_body` (with 5,000 people a serializer field per value costs more than the report;
test_pages_api keeps the two the same). The two long lists, the people and the at-risk KPIs,
come a page at a time (`page`, `page_size`); the Excel export has them whole."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api import AutoSchema, CompanyScopedMixin, IsCompanyMember
from tandem.kpis.risk import DEFAULT_SETTINGS

from . import filters, synergy
from . import synergy_rules as rules


def _fraction(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True, **kwargs)


def _value(**kwargs):
    return serializers.DecimalField(max_digits=22, decimal_places=4, allow_null=True, **kwargs)


class SynergyCycleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class SynergyCompanyObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    cycle = serializers.IntegerField()
    completion = _fraction(help_text=gettext_lazy(
        "The objective's progress (weighted mean of its key results'), a fraction."))


class SynergyCoverageSerializer(serializers.Serializer):
    objectives = serializers.IntegerField()
    aligned_objectives = serializers.IntegerField()
    objective_coverage = _fraction()
    people = serializers.IntegerField()
    aligned_people = serializers.IntegerField()
    people_coverage = _fraction()


class SynergyDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    kpi_attainment = _fraction(help_text=gettext_lazy(
        "Weighted mean (KPI weights) of the attainment of the KPIs named by `kpi_basis`; null "
        "when none is measured yet."))
    kpi_basis = serializers.ChoiceField(
        choices=[synergy.DEPARTMENT_BASIS, synergy.PEOPLE_BASIS], allow_null=True,
        help_text=gettext_lazy("`department`: the department's own KPIs; `people`: it has "
                               "none, so its people's and those of the departments below it; "
                               "null: no KPI at all."))
    kpi_assignments = serializers.IntegerField(help_text=gettext_lazy(
        "Number of KPI assignments the attainment is taken over."))
    okr_completion = _fraction(help_text=gettext_lazy(
        "Weighted mean of the progress of its department objectives in the cycle."))
    department_objectives = serializers.IntegerField()
    coverage = SynergyCoverageSerializer(allow_null=True, help_text=gettext_lazy(
        "Alignment coverage of its objectives, its people's and the departments below it."))


class SynergyCellSerializer(serializers.Serializer):
    company_objective = serializers.IntegerField()
    department = serializers.IntegerField()
    objectives = serializers.ListField(child=serializers.IntegerField(), help_text=(
        gettext_lazy("The department's objectives whose chain of parents reaches the company "
                     "objective.")))
    kpi_assignments = serializers.ListField(child=serializers.IntegerField(), help_text=(
        gettext_lazy("KPI assignments of the department or its people fed by key results of "
                     "objectives whose chain reaches the company objective.")))


class SynergyAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    indicator = serializers.CharField(help_text=gettext_lazy("The indicator's code."))
    indicator_name = serializers.CharField()
    employee = serializers.IntegerField(allow_null=True)
    department = serializers.IntegerField(allow_null=True)
    weight = _fraction()
    target = _value()
    actual = _value()
    attainment = _fraction()
    source = serializers.ChoiceField(choices=["own", "key_results"], help_text=gettext_lazy(
        "Where the actual comes from: its own figures, or its linked key results."))
    linked_key_results = serializers.IntegerField()
    implied_actual = _value(help_text=gettext_lazy(
        "The actual its linked key results imply; null without links."))
    implied_progress = _fraction(help_text=gettext_lazy(
        "Implied actual towards the target (before cap and floor); null without links."))
    expected = _fraction(help_text=gettext_lazy("Expected share of the target today."))
    verdict = serializers.ChoiceField(choices=list(rules.VERDICTS), help_text=gettext_lazy(
        "KR progress supports KPI: yes (p ≥ expected), at_risk (within the risk margin), no, "
        "or no_link."))
    own_attainment = _fraction(help_text=gettext_lazy(
        "When it keeps its own figures and has linked key results: its own attainment, shown "
        "beside `kr_attainment`, never added."))
    kr_attainment = _fraction(help_text=gettext_lazy(
        "The attainment its linked key results imply."))


class SynergyEmployeeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    department = serializers.IntegerField(allow_null=True)
    verdict = serializers.ChoiceField(choices=list(rules.VERDICTS), help_text=gettext_lazy(
        "The worst verdict of their linked KPIs; no_link when none is linked."))
    assignments = SynergyAssignmentSerializer(many=True)


class SynergyWeekCompletionSerializer(serializers.Serializer):
    company_objective = serializers.IntegerField()
    completion = _fraction()


class SynergyWeekAttainmentSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    kpi_attainment = _fraction()


class SynergyWeekSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    check_ins = serializers.IntegerField()
    kpi_measurements = serializers.IntegerField()
    mean_progress = _fraction()
    expected = _fraction()
    as_of = serializers.DateField(help_text=gettext_lazy(
        "The day the figures below stand at: the week's end, or today for the week under "
        "way (then they are the report's own)."))
    completion = SynergyWeekCompletionSerializer(many=True, help_text=gettext_lazy(
        "Each company objective's completion as it stood then."))
    departments = SynergyWeekAttainmentSerializer(many=True, help_text=gettext_lazy(
        "Each department's weighted KPI attainment as it stood then, over the KPIs it counts "
        "today."))
    mean_kpi_attainment = _fraction(help_text=gettext_lazy(
        "The mean of the departments' KPI attainment then, over those with a figure."))


class SynergySerializer(serializers.Serializer):
    cycle = SynergyCycleSerializer(allow_null=True)
    department = serializers.IntegerField(allow_null=True)
    today = serializers.DateField()
    expected = _fraction(help_text=gettext_lazy("Linear pace of the cycle today."))
    risk_margin = _fraction()
    company_coverage = SynergyCoverageSerializer(allow_null=True)
    company_objectives = SynergyCompanyObjectiveSerializer(many=True)
    departments = SynergyDepartmentSerializer(many=True)
    matrix = SynergyCellSerializer(many=True)
    verdicts = serializers.DictField(child=serializers.IntegerField(), help_text=(
        gettext_lazy("Number of people by verdict.")))
    page = serializers.IntegerField(help_text=gettext_lazy(
        "The page of `employees` and `at_risk` given."))
    page_size = serializers.IntegerField()
    employees_count = serializers.IntegerField(help_text=gettext_lazy(
        "People holding KPIs in the report, on every page."))
    employees = SynergyEmployeeSerializer(many=True, help_text=gettext_lazy(
        "One page of the people holding KPIs, by name."))
    at_risk_count = serializers.IntegerField(help_text=gettext_lazy(
        "KPI assignments at risk or not supported, on every page."))
    at_risk = SynergyAssignmentSerializer(many=True, help_text=gettext_lazy(
        "One page of the KPI assignments whose verdict is at_risk or no, widest gap first."))
    weeks = SynergyWeekSerializer(many=True)


def _d(value, places: int = 4) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def _coverage(coverage) -> dict | None:
    if coverage is None:
        return None
    return {"objectives": coverage.objectives, "aligned_objectives": coverage.aligned_objectives,
            "objective_coverage": _d(coverage.objective_coverage),
            "people": len(coverage.people), "aligned_people": len(coverage.aligned_people),
            "people_coverage": _d(coverage.people_coverage)}


def _assignment(s: synergy.AssignmentSupport) -> dict:
    return {"id": s.pk, "indicator": s.indicator_code, "indicator_name": s.indicator_name,
            "employee": s.employee_id, "department": s.department_id, "weight": _d(s.weight),
            "target": _d(s.target), "actual": _d(s.actual), "attainment": _d(s.attainment),
            "source": s.source,
            "linked_key_results": s.linked_key_results, "implied_actual": _d(s.implied_actual),
            "implied_progress": _d(s.implied_progress), "expected": _d(s.expected),
            "verdict": s.verdict, "own_attainment": _d(s.own_attainment),
            "kr_attainment": _d(s.kr_attainment)}


PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def page_parameters(params) -> tuple[int, int]:
    """`page` (from 1) and `page_size` (1 to 500, default 100): 400 unless whole numbers."""
    errors = {}
    values = {}
    for name, default in (("page", 1), ("page_size", PAGE_SIZE)):
        raw = params.get(name)
        if raw is None:
            values[name] = default
            continue
        value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
        if value < 1:
            errors[name] = [_("Enter a whole number from 1.")]
        values[name] = value
    if errors:
        raise exceptions.ValidationError(errors)
    return values["page"], min(values["page_size"], MAX_PAGE_SIZE)


def report_body(report: synergy.Report, department=None, page: int = 1,
                page_size: int = PAGE_SIZE) -> dict:
    cycle = report.cycle
    first = (page - 1) * page_size
    people = report.employees[first:first + page_size]
    at_risk = report.at_risk[first:first + page_size]
    return {
        "cycle": {"id": cycle.pk, "name": cycle.name, "start": cycle.start.isoformat(),
                  "end": cycle.end.isoformat()},
        "department": department.pk if department is not None else None,
        "today": report.today.isoformat(),
        "expected": _d(report.expected),
        "risk_margin": _d(report.policy.risk_margin),
        "company_coverage": _coverage(report.company_coverage),
        "company_objectives": [
            {"id": o.pk, "title": o.title, "cycle": o.cycle_id, "completion": _d(o.progress)}
            for o in report.company_objectives],
        "departments": [
            {"id": d.pk, "name": d.name, "parent": d.parent_id,
             "kpi_attainment": _d(d.kpi_attainment), "kpi_basis": d.kpi_basis,
             "kpi_assignments": len(d.kpi_assignments), "okr_completion": _d(d.okr_completion),
             "department_objectives": len(d.objectives), "coverage": _coverage(d.coverage)}
            for d in report.departments],
        "matrix": [
            {"company_objective": objective_pk, "department": department_pk,
             "objectives": [pk for pk, _title, _progress in cell.objectives],
             "kpi_assignments": [s.pk for s in cell.kpis]}
            for (objective_pk, department_pk), cell in sorted(report.matrix.items())],
        "verdicts": report.verdict_counts,
        "page": page,
        "page_size": page_size,
        "employees_count": len(report.employees),
        "employees": [
            {"id": e.pk, "name": e.name, "department": e.department_id, "verdict": e.verdict,
             "assignments": [_assignment(s) for s in e.assignments]}
            for e in people],
        "at_risk_count": len(report.at_risk),
        "at_risk": [_assignment(s) for s in at_risk],
        "weeks": [
            {"number": w.number, "start": w.start.isoformat(), "end": w.end.isoformat(),
             "check_ins": w.check_ins, "kpi_measurements": w.measurements,
             "mean_progress": _d(w.mean_progress), "expected": _d(w.expected),
             "as_of": w.as_of.isoformat(),
             "completion": [{"company_objective": pk, "completion": _d(value)}
                            for pk, value in w.completion.items()],
             "departments": [{"department": pk, "kpi_attainment": _d(value)}
                             for pk, value in w.kpi_attainment.items()],
             "mean_kpi_attainment": _d(w.mean_kpi_attainment)}
            for w in report.weeks],
    }


def empty_body(department=None, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    """The body when the company has no cycle yet."""
    return {"cycle": None, "department": department.pk if department is not None else None,
            "today": timezone.localdate().isoformat(), "expected": None,
            "risk_margin": _d(DEFAULT_SETTINGS.policy.risk_margin), "company_coverage": None,
            "company_objectives": [], "departments": [], "matrix": [],
            "verdicts": dict.fromkeys(rules.VERDICTS, 0), "page": page,
            "page_size": page_size, "employees_count": 0, "employees": [],
            "at_risk_count": 0, "at_risk": [], "weeks": []}


class SynergyReportView(CompanyScopedMixin, APIView):
    """HR and administrators (the whole company) and department leaders (their subtree)."""

    permission_classes = [permissions.IsAuthenticated, IsCompanyMember]
    schema = AutoSchema()

    @extend_schema(
        operation_id="reports_synergy_retrieve",
        parameters=[
            OpenApiParameter("cycle", OpenApiTypes.INT, description=gettext_lazy(
                "The cycle id; by default the active cycle that contains today.")),
            OpenApiParameter("department", OpenApiTypes.INT, description=gettext_lazy(
                "Narrow the report to this department and those below it. A department "
                "leader may name only one they lead or one below; without it they get all of "
                "those.")),
            OpenApiParameter("page", OpenApiTypes.INT, description=gettext_lazy(
                "Page of `employees` and `at_risk` (from 1); past the end they are empty.")),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=gettext_lazy(
                "Entries of `employees` and `at_risk` per page, from 1 (default 100; larger "
                "sizes are cut to 500).")),
        ],
        responses=SynergySerializer, description=gettext_lazy(
            "The OKR–KPI synergy report of a cycle: company objectives with their completion; "
            "departments with KPI attainment, OKR completion and alignment coverage; the "
            "company objectives × departments matrix; per person, whether their key results' "
            "progress supports their KPIs; the at-risk KPIs and the trend by week (activity, and "
            "completion and KPI attainment as they stood at each week's end). Figures are "
            "those of the detail pages. Without any active cycle, `cycle` is null and the lists "
            "are empty."))
    def get(self, request, format=None):  # noqa: A002 (DRF's name)
        if not request.user.has_perm("insights.view_synergy"):
            raise exceptions.PermissionDenied
        try:
            chosen = filters.resolve(request.actor, request.query_params)
        except filters.BadFilter as bad:
            raise exceptions.ValidationError(bad.errors) from None
        page, page_size = page_parameters(request.query_params)
        if chosen.cycle is None:
            return Response(empty_body(chosen.department, page, page_size))
        report = synergy.build(chosen.cycle, subtree=chosen.subtree)
        return Response(report_body(report, chosen.department, page, page_size))
