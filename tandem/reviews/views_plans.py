"""Improvement plan pages: the plans one may read (mine, my team's, everyone's for HR), a plan
with its items grouped into "improve" and "keep doing", adding, editing, tracking and deleting
items, and the agreement of the manager and the employee. Thin: `services_plans` decides.
Finance gets none of these pages: a plan is not pay."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.web.decorators import member_required, require_perm

from . import services_plans
from .forms_plans import AgreeForm, ItemForm, ItemStatusForm, PlanFilterForm
from .models import ImprovementItem, ImprovementPlan, ItemKind, PlanStatus
from .selectors import visible_plans

PAGE_SIZE = 50


def _plan(request, pk):
    # Found first (another company's plan is a 404 for everyone), then refused (403).
    plan = get_object_or_404(ImprovementPlan.objects.select_related(
        "review", "review__cycle", "employee__department", "review__department"), pk=pk)
    require_perm(request, "reviews.view_improvementplan", plan)
    return plan


def _item(request, pk) -> ImprovementItem:
    item = get_object_or_404(ImprovementItem.objects.select_related(
        "plan", "plan__review", "plan__review__cycle", "plan__employee"), pk=pk)
    require_perm(request, "reviews.change_improvementplan", item.plan)
    return item


@require_GET
@member_required
def plans(request):
    filters = PlanFilterForm(request.GET or None)
    rows = visible_plans(request.actor).select_related("employee__department").annotate(
        item_count=Count("items"),
        open_count=Count("items", filter=Q(items__status__in=services_plans.OPEN)))
    if filters.is_valid() and filters.cleaned_data["cycle"] is not None:
        rows = rows.filter(review__cycle=filters.cleaned_data["cycle"])
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "reviews/plans/plans.html", {
        "filters": filters, "page_obj": page, "plans": page.object_list,
        "can_edit_rules": request.user.has_perm("reviews.change_improvementrule")})


def plan_context(request, plan, *, item_form=None) -> dict:
    items = list(plan.items.select_related("carried_from__plan__review__cycle", "updated_by")
                 .order_by("order", "pk"))
    editable = (plan.status != PlanStatus.CLOSED
                and request.user.has_perm("reviews.change_improvementplan", plan))
    own = request.actor.employee is not None and request.actor.employee.pk == plan.employee_id
    for item in items:
        item.status_form = ItemStatusForm(initial={"status": item.status},
                                          auto_id=f"id_item{item.pk}_%s") if editable else None
    agreed_by_me = plan.employee_agreed_at if own else plan.manager_agreed_at
    return {
        "plan": plan, "review": plan.review, "cycle": plan.review.cycle,
        "improve": [item for item in items if item.kind == ItemKind.IMPROVE],
        "keep": [item for item in items if item.kind == ItemKind.KEEP],
        "editable": editable, "own": own,
        "can_agree": editable and agreed_by_me is None,
        "agree_form": AgreeForm(initial={"version": plan.version}),
        "item_form": item_form if item_form is not None else (
            ItemForm(initial={"kind": ItemKind.IMPROVE}) if editable else None),
    }


@require_GET
@member_required
def plan(request, pk):
    plan = _plan(request, pk)
    return render(request, "reviews/plans/plan.html", plan_context(request, plan))


def _run(form, service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@member_required
def item_new(request, pk):
    plan = _plan(request, pk)
    require_perm(request, "reviews.change_improvementplan", plan)
    form = ItemForm(request.POST or None, initial={"kind": ItemKind.IMPROVE})
    if request.method == "POST":
        if form.is_valid():
            item = _run(form, services_plans.add_item, actor=request.actor, plan=plan,
                        **form.cleaned_data)
            if item is not None:
                messages.success(request, _("Item added."))
                return redirect("reviews:plan", plan.pk)
        return render(request, "reviews/plans/item_form.html", {"form": form, "plan": plan},
                      status=400)
    return render(request, "reviews/plans/item_form.html", {"form": form, "plan": plan})


@member_required
def item_edit(request, pk):
    """The whole item, or (from the plan page) its status alone."""
    item = _item(request, pk)
    plan = item.plan
    if request.method == "POST" and request.POST.get("form") == "status":
        form = ItemStatusForm(request.POST)
        if form.is_valid() and _run(form, services_plans.update_item, actor=request.actor,
                                    item=item, status=form.cleaned_data["status"]):
            messages.success(request, _("Status changed."))
        else:
            messages.error(request, " ".join(str(error) for errors in form.errors.values()
                                             for error in errors))
        return redirect("reviews:plan", plan.pk)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST":
        if form.is_valid() and _run(form, services_plans.update_item, actor=request.actor,
                                    item=item, **form.cleaned_data):
            messages.success(request, _("Item saved."))
            return redirect("reviews:plan", plan.pk)
        return render(request, "reviews/plans/item_form.html",
                      {"form": form, "plan": plan, "item": item}, status=400)
    return render(request, "reviews/plans/item_form.html",
                  {"form": form, "plan": plan, "item": item})


@member_required
def item_delete(request, pk):
    item = _item(request, pk)
    plan = item.plan
    if request.method == "POST":
        try:
            services_plans.delete_item(actor=request.actor, item=item)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Item deleted."))
        return redirect("reviews:plan", plan.pk)
    return render(request, "reviews/plans/item_delete.html", {"item": item, "plan": plan})


@require_POST
@member_required
def plan_agree(request, pk):
    plan = _plan(request, pk)
    require_perm(request, "reviews.change_improvementplan", plan)
    form = AgreeForm(request.POST)
    if not form.is_valid():
        return render(request, "reviews/plans/plan.html", plan_context(request, plan),
                      status=400)
    try:
        services_plans.agree(actor=request.actor, plan=plan,
                             version=form.cleaned_data["version"])
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("You agreed to the plan."))
    return redirect("reviews:plan", plan.pk)
