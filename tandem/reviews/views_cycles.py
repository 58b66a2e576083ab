"""The review cycle set-up pages of HR and administrators (reviews.change_reviewcycle): the
list with each cycle's progress per step, the new/edit form while a cycle is a draft, its
detail (steps and deadlines, counts per step, the people table) and the step actions, each
confirmed on a page of its own. Thin: `reviews.services` validates and writes; its refusals
come back as messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from tandem.web.decorators import member_required, require_perm

from . import services
from .forms_cycles import CycleForm
from .models import CycleStatus, Review, ReviewCycle, Stage
from .policy import frozen_for

PAGE_SIZE = 50
MANAGE = "reviews.change_reviewcycle"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _cycle(request, pk) -> ReviewCycle:
    cycle = get_object_or_404(ReviewCycle.objects, pk=pk)
    require_perm(request, MANAGE, cycle)
    return cycle


def _stage_counts(prefix: str = "reviews__") -> dict:
    return {f"n_{stage}": Count("reviews", filter=Q(**{f"{prefix}stage": stage}))
            for stage in Stage.values}


def _progress(counts: dict) -> list[dict]:
    """Each step with its headcount, in the order reviews pass through them."""
    return [{"stage": stage, "label": label, "count": counts.get(stage, 0)}
            for stage, label in Stage.choices]


@require_GET
@member_required
def cycles(request):
    require_perm(request, MANAGE)
    rows = list(ReviewCycle.objects.annotate(headcount=Count("reviews"), **_stage_counts())
                .prefetch_related("goal_cycles"))
    for row in rows:
        row.progress = _progress({stage: getattr(row, f"n_{stage}") for stage in Stage.values})
    return render(request, "reviews/cycles/list.html", {
        "cycles": rows, "can_add": request.user.has_perm("reviews.add_reviewcycle")})


def _save(request, form, cycle):
    try:
        return services.save_cycle(actor=request.actor, company=request.company, cycle=cycle,
                                   version=form.cleaned_data.get("version"),
                                   **form.service_kwargs())
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@member_required
def cycle_new(request):
    require_perm(request, "reviews.add_reviewcycle")
    form = CycleForm(_posted(request))
    if form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("Review cycle “%(name)s” created as a draft.")
                             % {"name": saved.name})
            return redirect("reviews:cycle", saved.pk)
    return render(request, "reviews/cycles/form.html", {"form": form, "cycle": None})


@member_required
def cycle_edit(request, pk):
    cycle = _cycle(request, pk)
    if cycle.status != CycleStatus.DRAFT:
        messages.error(request, _("An open review cycle cannot be changed any more."))
        return redirect("reviews:cycle", cycle.pk)
    form = CycleForm(_posted(request), instance=cycle)
    if form.is_valid():
        saved = _save(request, form, cycle)
        if saved is not None:
            messages.success(request, _("Review cycle “%(name)s” saved.") % {"name": saved.name})
            return redirect("reviews:cycle", saved.pk)
        cycle.refresh_from_db()
    return render(request, "reviews/cycles/form.html", {"form": form, "cycle": cycle})


@member_required
def cycle_delete(request, pk):
    cycle = _cycle(request, pk)
    if request.method == "POST":
        try:
            services.delete_cycle(actor=request.actor, cycle=cycle)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("reviews:cycle", cycle.pk)
        messages.success(request, _("Review cycle “%(name)s” deleted.") % {"name": cycle.name})
        return redirect("reviews:cycles")
    return render(request, "reviews/cycles/confirm.html", {
        "cycle": cycle, "action": "delete", "available": cycle.status == CycleStatus.DRAFT,
        "title": _("Delete review cycle “%(name)s”") % {"name": cycle.name},
        "explanation": _("Only a review cycle still being set up can be deleted; nothing "
                         "else refers to it yet."),
        "button": _("Delete"), "danger": True})


def steps(cycle: ReviewCycle) -> list[dict]:
    """The steps the cycle runs, in order, each with its deadline (None: none set)."""
    rows = [
        (cycle.self_assessment, _("Self assessment"), cycle.self_deadline),
        (cycle.peer_feedback, _("Peer feedback"), None),
        (True, _("Manager assessment"), cycle.manager_deadline),
        (cycle.calibration, _("Calibration"), cycle.calibration_deadline),
        (True, _("Publication"), None),
        (cycle.acknowledgement, _("Employee acknowledgement"), cycle.acknowledgement_deadline),
    ]
    return [{"label": label, "deadline": deadline} for used, label, deadline in rows if used]


# The step actions by name; `next_action` says which one a cycle's status allows.
ACTIONS = {
    "open": services.open_cycle,
    "calibrate": services.start_calibration,
    "publish": services.publish,
    "close": services.close_cycle,
}


def next_action(cycle: ReviewCycle) -> str | None:
    """The step the cycle takes next, by its status and the steps it has."""
    if cycle.status == CycleStatus.DRAFT:
        return "open"
    if cycle.status == CycleStatus.ASSESSMENT:
        return "calibrate" if cycle.calibration else "publish"
    if cycle.status == CycleStatus.CALIBRATION:
        return "publish"
    if cycle.status == CycleStatus.PUBLISHED:
        return "close"
    return None


def _texts(action: str, cycle: ReviewCycle) -> dict:
    name = {"name": cycle.name}
    if action == "open":
        count = len(services.people_in_scope(cycle))
        return {"title": _("Open review cycle “%(name)s”") % name,
                "explanation": ngettext(
                    "Opening freezes the review settings and everyone's OKR and KPI shares, "
                    "creates the review of the %(count)s person in scope, scores it from the "
                    "goals and KPIs as they stand and tells them. The cycle can then no "
                    "longer be changed.",
                    "Opening freezes the review settings and everyone's OKR and KPI shares, "
                    "creates the reviews of the %(count)s people in scope, scores them from "
                    "the goals and KPIs as they stand and tells them. The cycle can then no "
                    "longer be changed.", count) % {"count": count},
                "button": _("Open the cycle")}
    if action == "calibrate":
        return {"title": _("Start the calibration of “%(name)s”") % name,
                "explanation": _("Every assessment must be submitted. Grades can then be "
                                 "moved, with a reason, on the calibration board."),
                "button": _("Start calibration")}
    if action == "publish":
        return {"title": _("Publish the results of “%(name)s”") % name,
                "explanation": _("Everyone sees their score and grade, improvement plans are "
                                 "generated and the bonus policies' awards proposed. Grades "
                                 "cannot move any more."),
                "button": _("Publish")}
    return {"title": _("Close review cycle “%(name)s”") % name,
            "explanation": _("Closing ends the cycle; its results stay as published."),
            "button": _("Close the cycle")}


def _done(action: str, cycle: ReviewCycle, result) -> str:
    if action == "open":
        return ngettext("Review cycle “%(name)s” opened: %(count)s review created.",
                        "Review cycle “%(name)s” opened: %(count)s reviews created.",
                        len(result)) % {"name": cycle.name, "count": len(result)}
    return {"calibrate": _("Calibration of “%(name)s” started."),
            "publish": _("The results of “%(name)s” are published."),
            "close": _("Review cycle “%(name)s” closed.")}[action] % {"name": cycle.name}


def _step(request, pk, action: str):
    """GET: what the step does, and a button to confirm it. POST: the step; the service's
    refusal (e.g. assessments missing) comes back as a message on the cycle's page."""
    cycle = _cycle(request, pk)
    if request.method == "POST":
        try:
            result = ACTIONS[action](actor=request.actor, cycle=cycle)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _done(action, cycle, result))
        return redirect("reviews:cycle", cycle.pk)
    return render(request, "reviews/cycles/confirm.html", {
        "cycle": cycle, "action": action, "available": next_action(cycle) == action,
        **_texts(action, cycle)})


@member_required
def cycle_open(request, pk):
    return _step(request, pk, "open")


@member_required
def cycle_calibrate(request, pk):
    return _step(request, pk, "calibrate")


@member_required
def cycle_publish(request, pk):
    return _step(request, pk, "publish")


@member_required
def cycle_close(request, pk):
    return _step(request, pk, "close")


@require_GET
@member_required
def cycle(request, pk):
    """Steps and deadlines, headcount per step, the people table (paged: a constant number of
    queries whatever the head count) and the next step's button."""
    cycle = _cycle(request, pk)
    counts = dict(Review.objects.filter(cycle=cycle).order_by().values_list("stage")
                  .annotate(n=Count("pk")))
    stage = request.GET.get("stage")
    rows = Review.objects.filter(cycle=cycle).select_related(
        "employee", "department", "reviewer").order_by("employee__employee_number", "pk")
    if stage in Stage.values:
        rows = rows.filter(stage=stage)
    else:
        stage = None
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    frozen = frozen_for(cycle) if cycle.policy else None
    return render(request, "reviews/cycles/detail.html", {
        "cycle": cycle, "steps": steps(cycle), "progress": _progress(counts),
        "people": sum(counts.values()), "page_obj": page, "reviews": page.object_list,
        "stage": stage, "next_action": next_action(cycle), "frozen": frozen,
        "frozen_distribution": frozen.distribution if frozen else (),
        "is_draft": cycle.status == CycleStatus.DRAFT,
        "has_board": cycle.status != CycleStatus.DRAFT})
