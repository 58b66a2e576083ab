"""The calibration board of a review cycle: HR and administrators see everyone, department
leaders the people they lead (`selectors.team_reviews`), by grade, with the headcount per grade
beside the forced distribution's quota, the distribution's suggestions (never applied: a
person decides, with a reason) and the latest moves. Moving a grade and sending a review back
are POSTs to `reviews.services`, whose refusals land on that person's form."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.org.models import Department, Employee
from tandem.org.selectors import subtree_ids
from tandem.web.decorators import member_required, require_perm

from . import charts, scoring, services
from .forms_cycles import BoardFilterForm, GradeMoveForm, ReturnForm
from .models import CycleStatus, EventKind, Review, ReviewCycle, ReviewEvent, Stage
from .policy import frozen_for
from .selectors import team_reviews

LATEST_MOVES = 20
MOVES = (EventKind.GRADE_CHANGED, EventKind.RETURNED)


# Without a grade chosen each grade shows its best-scored people up to GROUP_PREVIEW, with a
# link to all of them (GRADE_PAGE a page): the page stays light for thousands of people.
GROUP_PREVIEW = 25
GRADE_PAGE = 100
SUGGESTIONS_SHOWN = 50


def sees_everyone(request, cycle) -> bool:
    return request.user.has_perm("reviews.change_reviewcycle", cycle)


def may_calibrate(request, cycle) -> bool:
    """HR and administrators, and department leaders (for the people they lead)."""
    return sees_everyone(request, cycle) or bool(request.actor.managed_department_ids)


def _departments(request, cycle):
    if sees_everyone(request, cycle):
        return Department.objects.all()
    return Department.objects.filter(pk__in=sorted(request.actor.managed_department_ids))


def _distribution(rows, frozen):
    """forced_distribution over the scored people; None when the frozen shares are not
    valid for it (the page then shows the headcounts alone)."""
    people = [(row.pk, row.final_score, row.grade) for row in rows
              if row.final_score is not None]
    try:
        return scoring.forced_distribution(people, frozen.distribution)
    except scoring.ScoringError:
        return None


def _moves(reviews):
    """The latest grade moves and returns among these reviews, with who made them."""
    events = list(ReviewEvent.objects.filter(review__in=reviews.order_by().values("pk"),
                                             kind__in=MOVES)
                  .select_related("review__employee").order_by("-at", "-pk")[:LATEST_MOVES])
    names = dict(Employee.objects.filter(user_id__in={e.by_id for e in events if e.by_id})
                 .values_list("user_id", "name"))
    for event in events:
        event.by_name = names.get(event.by_id, "")
    return events


def board(request, cycle: ReviewCycle, params, *, failed=None, status: int = 200):
    """The board; `failed` is (review pk, "move" or "return", the bound form with its
    errors) after a refused POST."""
    filters = BoardFilterForm(params or None, departments=_departments(request, cycle))
    department, ticked = filters.chosen()
    reviews = team_reviews(request.actor).filter(cycle=cycle)
    if department is not None:
        reviews = reviews.filter(department_id__in=sorted(subtree_ids(request.company,
                                                                      [department])))
    rows = list(reviews.defer("inputs").order_by(F("final_score").desc(nulls_last=True),
                                 "employee__employee_number", "pk"))
    frozen = frozen_for(cycle)
    grades = frozen.grade_names
    distribution = _distribution(rows, frozen)
    show = frozen.use_distribution or ticked
    suggestions = {s.key: s for s in distribution.suggestions} if (
        show and distribution is not None) else {}
    moving = cycle.status == CycleStatus.CALIBRATION
    returning = cycle.status in (CycleStatus.ASSESSMENT, CycleStatus.CALIBRATION)
    for row in rows:
        row.suggestion = suggestions.get(row.pk)
    quotas = distribution.quotas if distribution is not None else {}
    by_grade = {grade: [row for row in rows if row.grade == grade] for grade in grades}
    actual = {grade: len(members) for grade, members in by_grade.items()}
    chosen = params.get("grade") if params else None
    chosen = chosen if chosen in by_grade else None
    page = None
    groups = []
    for grade in ([chosen] if chosen else grades):
        members = by_grade[grade]
        if chosen:
            page = Paginator(members, GRADE_PAGE).get_page(params.get("page"))
            shown = list(page.object_list)
        else:
            shown = members[:GROUP_PREVIEW]
        groups.append({"grade": grade, "rows": shown, "total": len(members),
                       "quota": quotas.get(grade), "more": len(members) - len(shown)})
    ungraded = [] if chosen else [row for row in rows if row.grade not in grades]
    # Forms only for the rows shown: a board of thousands renders a page's worth.
    for row in [*[row for group in groups for row in group["rows"]], *ungraded]:
        row.can_move = moving
        row.can_return = returning and row.stage == Stage.ASSESSED
        row.move_form = GradeMoveForm(initial={"grade": row.grade}, grades=grades,
                                      prefix=f"move-{row.pk}")
        row.return_form = ReturnForm(prefix=f"return-{row.pk}")
        if failed is not None and failed[0] == row.pk:
            setattr(row, f"{failed[1]}_form", failed[2])
    figure = charts.grade_distribution(grades, actual, quotas or None)
    suggested = [row for row in rows if row.suggestion is not None]
    return render(request, "reviews/calibration/board.html", {
        "cycle": cycle, "filters": filters, "groups": groups, "ungraded": ungraded,
        "count": len(rows), "frozen": frozen, "show_distribution": show,
        "distribution": distribution if show else None,
        "quotas": quotas,
        "suggestions": suggested[:SUGGESTIONS_SHOWN],
        "more_suggestions": max(len(suggested) - SUGGESTIONS_SHOWN, 0),
        "actual": actual, "chosen_grade": chosen, "page": page,
        "query_page": page.number if page is not None else None,
        "figure": figure.to_json(), "moves": _moves(reviews), "moving": moving,
        "query": _query(department, ticked), "query_department": department,
        "query_show": ticked, "failed_errors": (
            failed[2].non_field_errors() if failed is not None else []),
        "sees_everyone": sees_everyone(request, cycle)}, status=status)


def _query(department, ticked) -> str:
    params = {}
    if department is not None:
        params["department"] = department
    if ticked:
        params["show_distribution"] = "on"
    return urlencode(params)


@require_GET
@member_required
def calibration(request, pk):
    cycle = get_object_or_404(ReviewCycle.objects, pk=pk)
    if not may_calibrate(request, cycle):
        raise PermissionDenied
    return board(request, cycle, request.GET)


def _back(request, review: Review, params):
    """To the board as it was filtered, at the person's row."""
    filters = BoardFilterForm(params or None, departments=_departments(request, review.cycle))
    query = _query(*filters.chosen())
    within = urlencode({name: params[name] for name in ("grade", "page") if params.get(name)})
    query = "&".join(part for part in (query, within) if part)
    url = reverse("reviews:calibration", args=[review.cycle_id])
    return redirect(f"{url}{'?' + query if query else ''}#review-{review.pk}")


def _review(request, pk) -> Review:
    review = get_object_or_404(Review.objects.select_related("cycle", "employee"), pk=pk)
    require_perm(request, "reviews.calibrate_review", review)
    return review


def _board_params(request) -> dict:
    """The board's filter as it was, carried in the POST's hidden fields."""
    return {name: request.POST[name] for name in ("department", "show_distribution", "grade",
                                                  "page")
            if request.POST.get(name)}


@require_POST
@member_required
def change_grade(request, pk):
    """Move a grade in calibration; a grade other than the score's needs a reason."""
    review = _review(request, pk)
    form = GradeMoveForm(request.POST, grades=frozen_for(review.cycle).grade_names,
                         prefix=f"move-{review.pk}")
    if form.is_valid():
        try:
            services.change_grade(actor=request.actor, review=review,
                                  grade=form.cleaned_data["grade"],
                                  reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, _("%(name)s: grade %(grade)s.")
                             % {"name": review.employee.display_name,
                                "grade": form.cleaned_data["grade"]})
            return _back(request, review, _board_params(request))
    return board(request, review.cycle, _board_params(request),
                 failed=(review.pk, "move", form), status=400)


@require_POST
@member_required
def return_review(request, pk):
    """Send an assessed review back to the manager, with what to look at again."""
    review = _review(request, pk)
    form = ReturnForm(request.POST, prefix=f"return-{review.pk}")
    if form.is_valid():
        try:
            services.return_to_manager(actor=request.actor, review=review,
                                       reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, _("%(name)s's review is back with the manager.")
                             % {"name": review.employee.display_name})
            return _back(request, review, _board_params(request))
    return board(request, review.cycle, _board_params(request),
                 failed=(review.pk, "return", form), status=400)
