"""My reviews (every member), my review in a cycle (my OKR and KPI evidence, the self
assessment, the result with its explanation once published, the acknowledgement) and the
feedback colleagues asked of me. The pieces the manager's review page shares (evidence,
explanation, due dates) are here too."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.models import bilingual
from tandem.core.versioning import CONFLICT_MESSAGE
from tandem.goals.models import KeyResult
from tandem.web.decorators import member_required, require_perm

from . import services
from .forms_mine import AcknowledgeForm, FeedbackForm, SelfAssessmentForm
from .models import CycleStatus, PeerFeedback, Review, ReviewCycle, Stage
from .selectors import may_see_result

PAGE = ["GET", "POST"]
STAGE_BADGE = {Stage.SELF: "text-bg-secondary", Stage.MANAGER: "text-bg-warning",
               Stage.ASSESSED: "text-bg-info", Stage.PUBLISHED: "text-bg-primary",
               Stage.ACKNOWLEDGED: "text-bg-success"}


def _dec(raw) -> Decimal | None:
    return None if raw in (None, "") else Decimal(raw)


def evidence(review: Review) -> dict:
    """The objectives (with their key results as they stand) and KPIs the review scores, from
    the figures it stored (`Review.inputs`): one query for the key results."""
    objectives = review.inputs.get("objectives", [])
    by_objective = defaultdict(list)
    keys = [row["key"] for row in objectives]
    for kr in KeyResult.objects.filter(objective_id__in=keys).order_by("objective_id", "pk"):
        by_objective[kr.objective_id].append(kr)
    return {
        "objectives": [{
            "key": row["key"], "title": row["title"], "kind": row["kind"],
            "aspirational": row["kind"] == "aspirational",
            "progress": _dec(row["progress"]), "weight": _dec(row["weight"]),
            "difficulty": _dec(row["difficulty"]), "reason": row.get("reason", ""),
            "key_results": by_objective[row["key"]],
        } for row in objectives],
        "kpis": [{
            "key": row["key"], "code": row["code"],
            "name": bilingual(row["name"], row.get("name_en", "")), "unit": row["unit"],
            "weight": _dec(row["weight"]), "actual": _dec(row["actual"]),
            "target": _dec(row["target"]), "attainment": _dec(row["attainment"]),
        } for row in review.inputs.get("kpis", [])],
    }


def explanation(review: Review) -> dict:
    """services.explain split for display: each objective and KPI with its own lines, then
    the lines about the whole (the OKR and KPI formulas, the final score and grade)."""
    okr, kpi, final = services.explain(review)
    inputs = {row["key"]: row for row in review.inputs.get("kpis", [])}
    own = sum(len(item.explanation) for item in okr.objectives)
    parts = sum(len(part.explanation) for part in kpi.parts)
    return {
        "okr": okr, "kpi": kpi, "final": final,
        "okr_summary": okr.explanation[own:], "kpi_summary": kpi.explanation[parts:],
        "kpi_parts": [{"part": part, "input": inputs.get(part.key, {})} for part in kpi.parts],
    }


def due_of(review: Review):
    """The deadline of the step the review is at (None: no deadline, or nothing left)."""
    cycle = review.cycle
    return {
        Stage.SELF: cycle.self_deadline,
        Stage.MANAGER: cycle.manager_deadline,
        Stage.ASSESSED: cycle.calibration_deadline if cycle.calibration else None,
        Stage.PUBLISHED: cycle.acknowledgement_deadline if cycle.acknowledgement else None,
    }.get(review.stage)


def _own(request, cycle) -> Review | None:
    employee = request.actor.employee
    if employee is None:
        return None
    return (Review.objects.select_related("cycle", "employee", "department", "reviewer")
            .filter(cycle=cycle, employee=employee).first())


def self_open(review: Review) -> bool:
    return (review.cycle.status == CycleStatus.ASSESSMENT and review.cycle.self_assessment
            and review.stage == Stage.SELF)


@member_required
@require_GET
def my_reviews(request):
    employee = request.actor.employee
    rows = []
    if employee is not None:
        rows = list(Review.objects.filter(employee=employee).exclude(
            cycle__status=CycleStatus.DRAFT).select_related("cycle").order_by(
            "-cycle__created_at", "-pk"))
    for row in rows:
        row.badge = STAGE_BADGE.get(row.stage, "text-bg-secondary")
        row.due = due_of(row)
    asked = 0
    if employee is not None:
        asked = PeerFeedback.objects.filter(author=employee, submitted_at__isnull=True,
                                            review__cycle__status=CycleStatus.ASSESSMENT).count()
    return render(request, "reviews/mine/list.html", {
        "rows": rows, "employee": employee, "asked": asked})


def my_review_context(request, cycle, review, *, self_form=None, ack_form=None) -> dict:
    context = {"cycle": cycle, "review": review}
    if review is None:
        return context
    result = may_see_result(request.actor, review)
    context.update(evidence(review))
    context.update({
        "badge": STAGE_BADGE.get(review.stage, "text-bg-secondary"), "due": due_of(review),
        "self_open": self_open(review), "result": result,
        "self_form": self_form or (SelfAssessmentForm(review=review)
                                   if self_open(review) else None),
        "ack_form": ack_form or (AcknowledgeForm(review=review)
                                 if review.stage == Stage.PUBLISHED else None),
    })
    if result:
        context["explained"] = explanation(review)
    return context


@member_required
@require_http_methods(PAGE)
def my_review(request, cycle_pk):
    cycle = get_object_or_404(ReviewCycle.objects, pk=cycle_pk)
    review = _own(request, cycle)
    if request.method == "POST":
        if review is None:
            raise PermissionDenied
        require_perm(request, "reviews.assess_self", review)
        form = SelfAssessmentForm(request.POST, review=review)
        if form.is_valid():
            try:
                services.submit_self(actor=request.actor, review=review,
                                     summary=form.cleaned_data["self_summary"],
                                     version=form.cleaned_data["version"])
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your self assessment is with your manager."))
                return redirect("reviews:mine_cycle", cycle.pk)
        review = _own(request, cycle)
        context = my_review_context(request, cycle, review, self_form=form)
        context["self_open"] = True
        return render(request, "reviews/mine/review.html", context, status=400)
    return render(request, "reviews/mine/review.html", my_review_context(request, cycle, review))


@member_required
@require_POST
def acknowledge(request, pk):
    review = get_object_or_404(Review.objects.select_related("cycle", "employee"), pk=pk)
    require_perm(request, "reviews.acknowledge_review", review)
    form = AcknowledgeForm(request.POST, review=review)
    if form.is_valid():
        if form.cleaned_data["version"] != review.version:
            form.add_error(None, CONFLICT_MESSAGE)
        else:
            try:
                services.acknowledge(actor=request.actor, review=review,
                                     comment=form.cleaned_data["comment"])
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("You acknowledged your result."))
                return redirect("reviews:mine_cycle", review.cycle_id)
    context = my_review_context(request, review.cycle, _own(request, review.cycle),
                                ack_form=form)
    return render(request, "reviews/mine/review.html", context, status=400)


@member_required
@require_GET
def feedback_list(request):
    employee = request.actor.employee
    rows = []
    if employee is not None:
        rows = list(PeerFeedback.objects.filter(author=employee).select_related(
            "review__cycle", "review__employee", "review__department").order_by(
            "submitted_at", "-requested_at", "pk"))
    for row in rows:
        row.open = row.review.cycle.status == CycleStatus.ASSESSMENT
    return render(request, "reviews/mine/feedback_list.html", {"rows": rows})


@member_required
@require_http_methods(PAGE)
def give_feedback(request, pk):
    feedback = get_object_or_404(PeerFeedback.objects.select_related(
        "review__cycle", "review__employee", "review__department"), pk=pk)
    require_perm(request, "reviews.give_feedback", feedback)
    is_open = feedback.review.cycle.status == CycleStatus.ASSESSMENT
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.give_feedback(actor=request.actor, feedback=feedback,
                                       **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Thank you: your feedback is saved."))
                return redirect("reviews:feedback")
        status = 400
    else:
        form = FeedbackForm(initial={"strengths": feedback.strengths,
                                     "improvements": feedback.improvements})
        status = 200
    return render(request, "reviews/mine/feedback_form.html", {
        "feedback": feedback, "form": form if is_open or form.is_bound else None}, status=status)
