"""One assignment: its target, thresholds, rule in force, actual with its source, attainment,
score and pace, each opening its explanation (an htmx side panel, or a page without htmx);
its measurements with their trace back to a check-in; the key results that feed it; entering
a figure and linking a key result for those who may."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.web.decorators import member_required, require_perm

from . import attainment as rules
from . import links, services
from .compute import figures_of
from .forms import LinkForm, MeasurementForm
from .models import (
    ActualSource,
    Aggregation,
    Assignment,
    Direction,
    KeyResultLink,
    Measurement,
    MeasurementSource,
    RuleKind,
)
from .selectors import assignments_with_relations, visible_measurements
from .views_common import company_policy, pace_of, posted, run

FIGURES = ("actual", "linked", "attainment", "score", "pace")


def rule_facts(assignment) -> dict:
    """The rule in force in words: kind, direction, aggregation, cap, floor, bands, points."""
    indicator = assignment.indicator
    rule = assignment.rule_for(indicator)
    return {
        "kind": RuleKind(rule.kind).label, "kind_code": rule.kind,
        "direction": Direction(rule.direction).label,
        "aggregation": Aggregation(indicator.aggregation).label,
        "capped": rule.capped, "cap": rule.cap, "floor": rule.floor,
        "bands": rule.bands if rule.kind == RuleKind.BANDED else (),
        "points_per_unit": rule.points_per_unit if rule.kind == RuleKind.PENALTY else None,
        "overridden": bool(assignment.rule or assignment.cap is not None
                           or assignment.floor is not None),
    }


def _assignment(pk) -> Assignment:
    return get_object_or_404(assignments_with_relations(), pk=pk)


def _measurements(request, assignment):
    return list(visible_measurements(request.actor, assignment)
                .select_related("link__key_result__objective", "link__key_result__owner")
                .order_by("date", "pk"))


def _links(assignment):
    return list(assignment.key_result_links.select_related(
        "key_result", "key_result__owner", "key_result__objective").order_by("pk"))


def may_link_here(request, assignment) -> bool:
    """Who may open the link form: those who manage the assignment, and its holder (the
    service checks the key result too)."""
    actor = request.actor
    if assignment.position_id is not None:
        return False
    if request.user.has_perm("kpis.change_assignment", assignment):
        return True
    return actor.employee is not None and assignment.employee_id == actor.employee.pk


def _side_by_side(assignment, rule, link_rows):
    """Own figures and what the linked key results imply, when the assignment keeps its own
    figures and has links: shown beside each other, never added."""
    if assignment.actual_source != ActualSource.OWN or not link_rows:
        return None
    implied = None
    if assignment.linked_actual is not None:
        implied = rules.evaluate(assignment.linked_actual, assignment.target, rule)
    return {"own_actual": assignment.actual, "own_attainment": assignment.attainment,
            "linked_actual": assignment.linked_actual,
            "linked_attainment": implied.attainment if implied else None}


def detail_context(request, assignment, *, measurement_form=None, link_form=None) -> dict:
    rule = assignment.rule_for(assignment.indicator)
    link_rows = _links(assignment)
    people = {row.key_result.owner_id or ("objective", row.key_result.objective_id)
              for row in link_rows}
    can_measure = (assignment.position_id is None
                   and request.user.has_perm("kpis.add_measurement", assignment))
    can_link = may_link_here(request, assignment)
    inherited = []
    if assignment.position_id is not None:
        inherited = list(assignment.inherited.select_related("employee", "indicator", "cycle")
                         .order_by("employee__name", "pk"))
    pace = None
    if assignment.position_id is None:
        pace = pace_of(assignment, timezone.localdate(), company_policy(request))
    for row in link_rows:
        row.removable = links.may_link(request.actor, row.key_result, assignment)
    return {
        "assignment": assignment, "indicator": assignment.indicator, "rule": rule,
        "facts": rule_facts(assignment),
        "measurements": _measurements(request, assignment), "links": link_rows,
        "fed_by_people": len(people), "side_by_side": _side_by_side(assignment, rule, link_rows),
        "inherited": inherited, "pace": pace,
        "can_measure": can_measure, "can_link": can_link,
        "can_change": request.user.has_perm("kpis.change_assignment", assignment),
        "measurement_form": measurement_form or (MeasurementForm(initial={
            "date": min(timezone.localdate(), assignment.cycle.end)}) if can_measure else None),
        "link_form": link_form or (LinkForm(assignment=assignment) if can_link else None),
    }


@member_required
def assignment_detail(request, pk):
    assignment = _assignment(pk)
    require_perm(request, "kpis.view_assignment", assignment)
    return render(request, "kpis/assignment_detail.html", detail_context(request, assignment))


@member_required
def explain(request, pk):
    """The inputs, rule and result behind one figure of the assignment."""
    assignment = _assignment(pk)
    require_perm(request, "kpis.view_assignment", assignment)
    figure = request.GET.get("figure", "score")
    if figure not in FIGURES:
        raise Http404
    rule = assignment.rule_for(assignment.indicator)
    rows = list(Measurement.objects.filter(assignment=assignment).order_by("date", "pk")
                .values_list("date", "value", "source"))
    figures = figures_of(assignment, rows)
    linked_result = None
    if figures.linked_actual is not None:
        linked_result = rules.evaluate(figures.linked_actual, assignment.target, rule)
    counted = [row for row in rows if
               (row[2] == MeasurementSource.KEY_RESULT)
               == (assignment.actual_source == ActualSource.KEY_RESULTS)]
    context = {
        "assignment": assignment, "indicator": assignment.indicator, "rule": rule,
        "figure": figure, "figures": figures, "facts": rule_facts(assignment), "result": figures.result,
        "counted": counted, "linked_result": linked_result,
        "pace": (pace_of(assignment, timezone.localdate(), company_policy(request))
                 if assignment.position_id is None else None),
        "policy": company_policy(request),
    }
    template = "kpis/_explain.html" if request.htmx else "kpis/explain.html"
    return render(request, template, context)


@member_required
def measurement_create(request, pk):
    assignment = _assignment(pk)
    require_perm(request, "kpis.add_measurement", assignment)
    form = MeasurementForm(posted(request))
    if form.is_valid():
        saved = run(form, services.record_measurement, assignment=assignment,
                    actor=request.actor, by=request.user, **form.cleaned_data)
        if saved is not None:
            messages.success(request, _("Figure recorded."))
            return redirect("kpis:assignment_detail", assignment.pk)
    if request.method == "POST":
        assignment = _assignment(pk)
        return render(request, "kpis/assignment_detail.html",
                      detail_context(request, assignment, measurement_form=form), status=400)
    return render(request, "kpis/measurement_form.html", {"form": form,
                                                          "assignment": assignment})


@member_required
def measurement_delete(request, pk):
    measurement = get_object_or_404(
        Measurement.objects.select_related("assignment", "assignment__cycle",
                                           "assignment__employee",
                                           "assignment__department"), pk=pk)
    assignment = measurement.assignment
    require_perm(request, "kpis.add_measurement", assignment)
    if request.method == "POST":
        try:
            services.delete_measurement(measurement=measurement, actor=request.actor)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Figure deleted."))
    return redirect("kpis:assignment_detail", assignment.pk)


@member_required
def link_create(request, pk):
    assignment = _assignment(pk)
    require_perm(request, "kpis.view_assignment", assignment)
    if not may_link_here(request, assignment):
        raise PermissionDenied
    form = LinkForm(posted(request), assignment=assignment)
    if form.is_valid():
        try:
            created = run(form, links.link, assignment=assignment, actor=request.actor,
                          by=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("key_result", _("You may not link this key result to this KPI."))
            created = None
        if created is not None:
            messages.success(request, _("The key result now feeds this KPI."))
            return redirect("kpis:assignment_detail", assignment.pk)
    return render(request, "kpis/link_form.html", {"form": form, "assignment": assignment},
                  status=400 if form.is_bound else 200)


@member_required
def link_delete(request, pk):
    link = get_object_or_404(KeyResultLink.objects.select_related(
        "key_result", "key_result__objective", "assignment", "assignment__employee",
        "assignment__department", "assignment__indicator"), pk=pk)
    if not links.may_link(request.actor, link.key_result, link.assignment):
        raise PermissionDenied
    if request.method == "POST":
        links.unlink(key_result_link=link, actor=request.actor)
        messages.success(request, _("The link is removed with the figures it brought."))
    return redirect("kpis:assignment_detail", link.assignment_id)
