"""Bonus pages: the policies (HR and administrators edit, finance reads), the formula editor
with its variables and functions listed beside it, the what-if panel (an htmx POST answered
with a partial: nothing is saved), and a review cycle's awards with recomputing, approval into
a pay month and the Excel export (a background job, `reviews.export_jobs`). Thin:
`services_bonus` decides."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.web import views_exports
from tandem.web.decorators import member_required, require_perm

from . import export_jobs, exports, formula, services_bonus
from .forms_bonus import ApproveForm, PolicyForm, SimulationForm
from .models import AwardStatus, BonusPolicy, CycleStatus, ReviewCycle

VIEW, CHANGE = "reviews.view_bonuspolicy", "reviews.change_bonuspolicy"
SIMULATE, APPROVE = "reviews.simulate_bonuspolicy", "reviews.approve_bonus"
ZERO = Decimal("0.00")


def _reference() -> dict:
    return {"variables": list(formula.VARIABLES.items()),
            "functions": list(formula.FUNCTIONS.items())}


@require_GET
@member_required
def policies(request):
    require_perm(request, VIEW)
    rows = BonusPolicy.objects.select_related("department", "position").order_by("name", "pk")
    return render(request, "reviews/bonus/policies.html", {
        "policies": rows, "can_change": request.user.has_perm(CHANGE),
        "cycles": ReviewCycle.objects.filter(
            status__in=(CycleStatus.PUBLISHED, CycleStatus.CLOSED)).order_by("-created_at")})


def _save(request, form, policy):
    try:
        return services_bonus.save_policy(
            actor=request.actor, company=request.company, policy=policy,
            version=form.cleaned_data.get("version"), **form.service_fields())
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@member_required
def policy_new(request):
    require_perm(request, CHANGE)
    form = PolicyForm(request.POST or None)
    if request.method == "POST":
        saved = _save(request, form, None) if form.is_valid() else None
        if saved is not None:
            messages.success(request, _("Bonus policy saved."))
            return redirect("reviews:bonus_policy", saved.pk)
        return render(request, "reviews/bonus/policy_new.html", {"form": form, **_reference()},
                      status=400)
    return render(request, "reviews/bonus/policy_new.html", {"form": form, **_reference()})


def policy_context(request, policy, *, form=None, what_if=None, simulation=None) -> dict:
    can_change = request.user.has_perm(CHANGE, policy)
    if form is None:
        form = PolicyForm(instance=policy)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    return {"policy": policy, "form": form, "can_change": can_change,
            "what_if": what_if or SimulationForm(policy=policy), "simulation": simulation,
            **_reference()}


def _policy(request, pk) -> BonusPolicy:
    policy = get_object_or_404(BonusPolicy.objects.select_related("department", "position"),
                               pk=pk)
    require_perm(request, VIEW, policy)
    return policy


@member_required
def policy(request, pk):
    policy = _policy(request, pk)
    if request.method == "POST":
        require_perm(request, CHANGE, policy)
        form = PolicyForm(request.POST, instance=policy)
        saved = _save(request, form, policy) if form.is_valid() else None
        if saved is not None:
            messages.success(request, _("Bonus policy saved."))
            return redirect("reviews:bonus_policy", saved.pk)
        policy = _policy(request, pk)  # the form changed nothing: show the stored one
        return render(request, "reviews/bonus/policy.html",
                      policy_context(request, policy, form=form), status=400)
    return render(request, "reviews/bonus/policy.html", policy_context(request, policy))


def _simulated(request, policy, form):
    changes = form.changes()
    okr_weight, kpi_weight = changes.pop("okr_weight"), changes.pop("kpi_weight")
    try:
        return services_bonus.simulate(actor=request.actor, policy=policy,
                                       cycle=form.cleaned_data["cycle"], okr_weight=okr_weight,
                                       kpi_weight=kpi_weight, **changes)
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@require_POST
@member_required
def simulate(request, pk):
    """The what-if: every person's bonus under the changed policy, the total against the
    budget. For htmx only the result panel (form errors in it, so that htmx swaps them in);
    otherwise the policy page with the result."""
    policy = _policy(request, pk)
    require_perm(request, SIMULATE, policy)
    form = SimulationForm(request.POST, policy=policy)
    simulation = _simulated(request, policy, form) if form.is_valid() else None
    if request.htmx:
        return render(request, "reviews/bonus/_simulation.html",
                      {"what_if": form, "simulation": simulation, "policy": policy})
    return render(request, "reviews/bonus/policy.html",
                  policy_context(request, policy, what_if=form, simulation=simulation),
                  status=200 if simulation is not None else 400)


def _cycle(request, pk) -> ReviewCycle:
    cycle = get_object_or_404(ReviewCycle, pk=pk)
    require_perm(request, VIEW)
    return cycle


def awards_context(request, cycle, *, approve_form=None, recompute_errors=()) -> dict:
    awards = list(exports.awards_of(cycle).select_related("pay_item"))
    proposed = [award for award in awards if award.status == AwardStatus.PROPOSED]
    approved = [award for award in awards if award.status == AwardStatus.APPROVED]
    can_act = request.user.has_perm(APPROVE)
    return {
        "cycle": cycle, "awards": awards, "can_act": can_act,
        "published": cycle.status in (CycleStatus.PUBLISHED, CycleStatus.CLOSED),
        "proposed_total": sum((award.amount for award in proposed), ZERO),
        "approved_total": sum((award.amount for award in approved), ZERO),
        "proposed_count": len(proposed), "approved_count": len(approved),
        "approve_form": approve_form or (ApproveForm() if can_act else None),
        "recompute_errors": recompute_errors,
    }


@member_required
def awards(request, pk):
    """GET: the awards. POST `action=recompute`: propose them again (approved ones stay);
    `action=approve`: approve the proposed ones into a pay month."""
    cycle = _cycle(request, pk)
    if request.method != "POST":
        return render(request, "reviews/bonus/awards.html", awards_context(request, cycle))
    require_perm(request, APPROVE)
    action = request.POST.get("action")
    if action == "recompute":
        if cycle.status not in (CycleStatus.PUBLISHED, CycleStatus.CLOSED):
            return render(request, "reviews/bonus/awards.html", awards_context(
                request, cycle, recompute_errors=[
                    _("Bonuses are computed once the results are published.")]), status=400)
        services_bonus.propose_awards(cycle)
        messages.success(request, _("Proposed bonuses recomputed; approved ones kept."))
        return redirect("reviews:awards", cycle.pk)
    form = ApproveForm(request.POST)
    if action == "approve" and form.is_valid():
        try:
            items = services_bonus.approve_awards(
                actor=request.actor, cycle=cycle, month=form.cleaned_data["month"],
                annual_bonus=form.cleaned_data["annual_bonus"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Bonuses approved: %(count)s pay items in %(month)s.")
                             % {"count": len(items),
                                "month": form.cleaned_data["month"].strftime("%Y-%m")})
            return redirect("reviews:awards", cycle.pk)
    return render(request, "reviews/bonus/awards.html",
                  awards_context(request, cycle, approve_form=form), status=400)


@require_http_methods(["GET", "POST"])
@member_required
def awards_export(request, pk):
    """Starts the Excel export of the cycle's awards, a background job: the button's htmx
    POST gets the progress bar, a plain GET is redirected to the file (or the job's page)."""
    cycle = _cycle(request, pk)
    return views_exports.start(request, export_jobs.AWARDS, {"cycle": cycle.pk})
