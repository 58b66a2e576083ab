"""The team's reviews (leaders: the people they lead; HR, administrators and finance:
everyone) and one review as its manager sees it: the evidence, the self assessment, the peer
feedback received, the manager's assessment form (difficulty per objective, adjustment,
written assessment; save a draft or submit), the scores as they stand and the history. Finance
reads everything and gets no form. The explanation opens in an htmx side panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.org.models import Employee
from tandem.web.decorators import member_required, require_perm

from . import services
from .forms_mine import ManagerAssessmentForm, RequestFeedbackForm
from .models import CycleStatus, Review, ReviewCycle, Stage
from .policy import frozen_for
from .selectors import reviews_with_relations, sees_all, team_reviews, visible_reviews
from .views_mine import PAGE, STAGE_BADGE, due_of, evidence, explanation


def _may_see_team(actor) -> bool:
    return sees_all(actor) or bool(actor.managed_department_ids)


def _chosen_cycle(request, cycles):
    raw = request.GET.get("cycle", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
        return get_object_or_404(ReviewCycle.objects.exclude(status=CycleStatus.DRAFT),
                                 pk=int(raw))
    # The newest cycle still being assessed or calibrated, else the newest.
    running = [cycle for cycle in cycles
               if cycle.status in (CycleStatus.ASSESSMENT, CycleStatus.CALIBRATION)]
    return (running or cycles or [None])[0]


TEAM_PAGE = 100


@member_required
@require_GET
def team(request):
    actor = request.actor
    if not _may_see_team(actor):
        raise PermissionDenied
    cycles = list(ReviewCycle.objects.exclude(status=CycleStatus.DRAFT))
    cycle = _chosen_cycle(request, cycles)
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    rows = []
    if cycle is not None:
        reviews = visible_reviews(actor) if sees_all(actor) else team_reviews(actor)
        reviews = reviews.filter(cycle=cycle)
        if stage:
            reviews = reviews.filter(stage=stage)
        rows = reviews.defer("inputs").order_by("department__name", "employee__name", "pk")
    page = Paginator(rows, TEAM_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for row in rows:
        row.badge = STAGE_BADGE.get(row.stage, "text-bg-secondary")
        row.due = due_of(row)
    return render(request, "reviews/review/team.html", {
        "cycles": cycles, "cycle": cycle, "stage": stage, "stages": Stage.choices,
        "rows": rows, "page": page})


def _is_own(request, review) -> bool:
    employee = request.actor.employee
    return employee is not None and review.employee_id == employee.pk


def _history(review):
    events = list(review.events.select_related("by").order_by("at", "pk"))
    names = dict(Employee.objects.filter(
        user_id__in={event.by_id for event in events if event.by_id}).values_list(
        "user_id", "name"))
    titles = {row["key"]: row["title"] for row in review.inputs.get("objectives", [])}
    for event in events:
        event.by_name = names.get(event.by_id) or (event.by.get_username() if event.by else "")
        event.objective = titles.get(event.data.get("objective")) if event.data else None
    return events


def review_context(request, review, *, form=None, request_form=None) -> dict:
    may_assess = (not _is_own(request, review)
                  and request.user.has_perm("reviews.assess_manager", review))
    editable = (may_assess and review.cycle.status == CycleStatus.ASSESSMENT
                and review.stage in (Stage.SELF, Stage.MANAGER))
    facts = evidence(review)
    policy = frozen_for(review.cycle).policy
    asking = (may_assess and review.cycle.peer_feedback
              and review.cycle.status == CycleStatus.ASSESSMENT)
    if editable and form is None:
        form = ManagerAssessmentForm(review=review, objectives=review.inputs.get(
            "objectives", []), policy=policy)
    if form is not None:
        by_key = dict(zip(form.objective_keys, form.objective_fields(), strict=True))
        for row in facts["objectives"]:
            row["fields"] = by_key.get(row["key"])
    context = {
        "review": review, "cycle": review.cycle, **facts,
        "badge": STAGE_BADGE.get(review.stage, "text-bg-secondary"), "due": due_of(review),
        "policy": policy, "editable": editable, "form": form,
        "may_submit": review.stage == Stage.MANAGER,
        "result": request.user.has_perm("reviews.view_result", review),
        "feedback": list(review.feedback.select_related("author").order_by(
            "submitted_at", "pk")),
        "request_form": request_form or (RequestFeedbackForm(review=review) if asking
                                         else None),
        "history": _history(review),
    }
    return context


def _review(pk) -> Review:
    return get_object_or_404(reviews_with_relations(), pk=pk)


@member_required
@require_http_methods(PAGE)
def review(request, pk):
    review = _review(pk)
    require_perm(request, "reviews.view_review", review)
    if _is_own(request, review):
        if request.method == "POST":
            raise PermissionDenied
        return redirect("reviews:mine_cycle", review.cycle_id)
    if request.method == "GET":
        return render(request, "reviews/review/review.html", review_context(request, review))
    require_perm(request, "reviews.assess_manager", review)
    objectives = review.inputs.get("objectives", [])
    policy = frozen_for(review.cycle).policy
    form = ManagerAssessmentForm(request.POST, review=review, objectives=objectives,
                                 policy=policy)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assess(actor=request.actor, review=review,
                            summary=data["manager_summary"],
                            adjustment=data["adjustment"] if data["adjustment"] is not None
                            else "0",
                            adjustment_reason=data["adjustment_reason"],
                            ratings=form.ratings(), submit=submit, version=data["version"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Assessment submitted.") if submit
                             else _("Draft saved; the scores are recomputed."))
            return redirect("reviews:review", review.pk)
    review = _review(pk)
    return render(request, "reviews/review/review.html",
                  review_context(request, review, form=form), status=400)


@member_required
@require_GET
def explain(request, pk):
    """Every line of services.explain: each objective and KPI with its figures and rule, the
    weights, the adjustment and its reason, the final formula and the grade."""
    review = _review(pk)
    require_perm(request, "reviews.view_result", review)
    context = {"review": review, **explanation(review)}
    template = "reviews/review/_explain.html" if request.htmx else "reviews/review/explain.html"
    return render(request, template, context)


@member_required
@require_POST
def request_feedback(request, pk):
    review = _review(pk)
    require_perm(request, "reviews.assess_manager", review)
    if _is_own(request, review):
        raise PermissionDenied
    form = RequestFeedbackForm(request.POST, review=review)
    if form.is_valid():
        try:
            services.request_feedback(actor=request.actor, review=review,
                                      authors=list(form.cleaned_data["authors"]))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Feedback asked for."))
            return redirect("reviews:review", review.pk)
    return render(request, "reviews/review/review.html",
                  review_context(request, review, request_form=form), status=400)
