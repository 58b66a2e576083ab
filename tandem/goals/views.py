"""Pages of the Goals module: My OKRs (with check-ins in place), objective detail, and the
objective and key result forms (the alignment tree is in `views_tree`). Thin: forms check
input, `goals.services` decides and writes, `goals.selectors` reads in a constant number of
queries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from tandem.web.decorators import member_required, require_perm

from . import pace, selectors, services
from .forms import CheckInForm, KeyResultForm, ObjectiveForm
from .models import CheckIn, Cycle, KeyResult, Objective
from .policy import policy_for
from .views_ambition import warn_low_ambition


def _posted(request):
    return request.POST if request.method == "POST" else None


def _run(form, service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_service_errors(error)
        return None


def _chosen_cycle(request) -> Cycle | None:
    raw = request.GET.get("cycle", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
        return get_object_or_404(Cycle.objects, pk=int(raw))
    return selectors.current_cycle(timezone.localdate())


def _card(request, objective: Objective, confidences: dict[int, int], forms=None):
    """What one objective card of My OKRs needs: its key results with their check-in forms."""
    forms = forms or {}
    rows = []
    for kr in objective.key_results.all():
        rows.append({
            "kr": kr,
            "confidence": confidences.get(kr.pk),
            "form": forms.get(kr.pk) or (
                CheckInForm(key_result=kr) if kr.driven_by_objective_id is None else None),
            "can_check_in": request.user.has_perm("goals.check_in_keyresult", kr),
        })
    return {"objective": objective, "rows": rows,
            "can_change": request.user.has_perm("goals.change_objective", objective)}


def _with_pace(card: dict, row: pace.ObjectiveRow) -> dict:
    """The card's key result rows, each with its pace and risk (`goals/_risk_badge.html`)."""
    by_kr = {kr_row.kr.pk: kr_row for kr_row in row.krs}
    for kr_row in card["rows"]:
        kr_row["pace"] = by_kr[kr_row["kr"].pk]
    return card


def _cards_with_pace(request, objectives, forms=None) -> list[dict]:
    """Cards of My OKRs: each key result with its check-in form and its pace by today, the
    same rule and wording as My team's OKRs. One query for the check-in facts."""
    rows = pace.objective_rows(objectives, timezone.localdate(), policy_for(request.company))
    confidences = {kr_row.kr.pk: kr_row.confidence for row in rows for kr_row in row.krs}
    return [_with_pace(_card(request, row.objective, confidences, forms), row) for row in rows]


def _card_with_pace(request, objective: Objective, forms=None) -> dict:
    """One card of My OKRs (the answer to a check-in posted from it)."""
    (card,) = _cards_with_pace(request, [objective], forms)
    return card


@member_required
def my_okrs(request):
    require_perm(request, "goals.view_objective")
    cycle = _chosen_cycle(request)
    cards = []
    if cycle is not None:
        cards = _cards_with_pace(request, selectors.my_objectives(request.actor, cycle))
    return render(request, "goals/my_okrs.html", {
        "cycle": cycle, "cards": cards,
        "cycles": Cycle.objects.order_by("-start"),
        "can_add": request.user.has_perm("goals.add_objective"),
    })


@member_required
def check_in(request, pk):
    """The check-in form of one key result. Posted with htmx from My OKRs, the answer is the
    objective's card with the new progress; without htmx, the page itself."""
    kr = get_object_or_404(KeyResult.objects.select_related("objective", "owner"), pk=pk)
    require_perm(request, "goals.check_in_keyresult", kr)
    form = CheckInForm(_posted(request), key_result=kr)
    saved = False
    if form.is_valid():
        saved = _run(form, services.check_in, key_result=kr, by=request.user,
                     actor=request.actor, **form.service_kwargs()) is not None
    if request.htmx and request.method == "POST":
        objective = (selectors.objectives_with_owners()
                     .prefetch_related(selectors.key_results_prefetch()).get(pk=kr.objective_id))
        card = _card_with_pace(request, objective, forms={} if saved else {kr.pk: form})
        return render(request, "goals/_objective_card.html", {"card": card, "saved_kr": kr.pk
                                                              if saved else None})
    if saved:
        return redirect("goals:objective_detail", kr.objective_id)
    return render(request, "goals/check_in.html", {"kr": kr, "form": form})


@member_required
def objective_detail(request, pk):
    objective = get_object_or_404(
        selectors.objectives_with_owners().prefetch_related(
            selectors.key_results_prefetch(),
            Prefetch("children", queryset=selectors.objectives_with_owners().order_by("pk"))),
        pk=pk)
    require_perm(request, "goals.view_objective", objective)
    check_ins = (CheckIn.objects.filter(key_result__objective=objective)
                 .select_related("key_result", "milestone", "author"))
    confidences = selectors.latest_confidence(kr.pk for kr in objective.key_results.all())
    return render(request, "goals/objective_detail.html", {
        "objective": objective,
        "card": _card(request, objective, confidences),
        "check_ins": check_ins,
        "history": objective.history.select_related("history_user")[:20],
    })


@member_required
def objective_create(request):
    require_perm(request, "goals.add_objective")
    form = ObjectiveForm(_posted(request), actor=request.actor, cycle=_chosen_cycle(request))
    if form.is_valid():
        objective = _run(form, services.create_objective, company=request.company,
                         by=request.user, actor=request.actor, **form.cleaned_data)
        if objective is not None:
            return redirect("goals:key_result_create", objective.pk)
    return render(request, "goals/objective_form.html", {"form": form, "objective": None})


@member_required
def objective_edit(request, pk):
    objective = get_object_or_404(selectors.objectives_with_owners(), pk=pk)
    require_perm(request, "goals.change_objective", objective)
    form = ObjectiveForm(_posted(request), instance=objective, actor=request.actor)
    if form.is_valid():
        version = form.cleaned_data["version"]
        saved = _run(form, services.update_objective, objective=objective, by=request.user,
                     actor=request.actor, version=version, **form.changes())
        if saved is not None:
            return redirect("goals:objective_detail", objective.pk)
    return render(request, "goals/objective_form.html", {"form": form, "objective": objective})


@member_required
def key_result_create(request, pk):
    objective = get_object_or_404(selectors.objectives_with_owners(), pk=pk)
    require_perm(request, "goals.change_objective", objective)
    form = KeyResultForm(_posted(request), objective=objective)
    if form.is_valid():
        kr = _run(form, services.create_key_result, objective=objective, by=request.user,
                  actor=request.actor, **form.service_kwargs())
        if kr is not None:
            warn_low_ambition(request, kr)
            return redirect("goals:objective_detail", objective.pk)
    return render(request, "goals/key_result_form.html", {
        "form": form, "objective": objective, "kr": None})


@member_required
def key_result_edit(request, pk):
    kr = get_object_or_404(KeyResult.objects.select_related("objective"), pk=pk)
    require_perm(request, "goals.change_keyresult", kr)
    form = KeyResultForm(_posted(request), instance=kr, objective=kr.objective)
    if form.is_valid():
        changes = form.service_kwargs()
        changes = {name: value for name, value in changes.items()
                   if getattr(kr, name) != value}
        saved = _run(form, services.update_key_result, key_result=kr, by=request.user,
                     actor=request.actor, version=form.cleaned_data["version"],
                     reason=form.cleaned_data.get("reason", ""), **changes)
        if saved is not None:
            if changes.keys() & {"target_value", "start_value", "due", "cascade_share"}:
                warn_low_ambition(request, saved)
            return redirect("goals:objective_detail", kr.objective_id)
    return render(request, "goals/key_result_form.html", {
        "form": form, "objective": kr.objective, "kr": kr})
