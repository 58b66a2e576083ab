"""Approval pages of the Goals module: the inbox of objectives waiting for the signed-in
person, and the submit / approve / return actions behind the buttons of My OKRs, the objective
detail page and the inbox. Thin: `goals.services` decides and writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from tandem.web.decorators import member_required, require_perm

from . import selectors, services
from .models import Level, ObjectiveStatus
from .views_ambition import attach_eased_targets


def may_approve_something(request) -> bool:
    """Whether the person approves objectives at all: managers, HR and administrators (the
    navigation shows them the inbox)."""
    actor = getattr(request, "actor", None)
    return bool(actor and (actor.is_admin or actor.is_hr or actor.managed_department_ids))


def awaiting_approval(actor):
    """The submitted objectives the actor may approve, in one query: administrators all of
    them, HR all but the company's; a manager the individual objectives of the people of the
    departments they lead (not their own) and the objectives of the departments just below."""
    submitted = (selectors.objectives_with_owners().filter(status=ObjectiveStatus.SUBMITTED)
                 .prefetch_related(selectors.key_results_prefetch())
                 .order_by("cycle__start", "level", "pk"))
    if actor is None:
        return submitted.none()
    if actor.is_admin:
        return submitted
    if actor.is_hr:
        return submitted.exclude(level=Level.COMPANY)
    managed = actor.managed_department_ids
    if not managed:
        return submitted.none()
    people = Q(level=Level.INDIVIDUAL, owner_employee__department_id__in=managed)
    if actor.employee is not None:
        people &= ~Q(owner_employee_id=actor.employee.pk)
    departments = Q(level=Level.DEPARTMENT, owner_department__parent_id__in=managed)
    return submitted.filter(people | departments)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


ACTIONS = {
    "submit": {"perm": "goals.submit_objective", "service": services.submit_objective,
               "title": _("Submit for approval"), "button": _("Submit for approval")},
    "approve": {"perm": "goals.approve_objective", "service": services.approve_objective,
                "title": _("Approve the objective"), "button": _("Approve")},
    "return": {"perm": "goals.approve_objective", "service": services.return_objective,
               "title": _("Return the objective to its owner"), "button": _("Return")},
}


@member_required
def inbox(request):
    require_perm(request, "goals.view_objective")
    rows = [{"objective": objective, "form": ReviewForm(prefix=f"o{objective.pk}")}
            for objective in awaiting_approval(request.actor)]
    attach_eased_targets(kr for row in rows for kr in row["objective"].key_results.all())
    return render(request, "goals/approvals.html", {"rows": rows})


def _next_url(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _act(request, pk: int, action: str):
    """The one page behind each action: GET shows what is about to happen with its form, POST
    does it. From the inbox (htmx) the answer is the inbox row, done or with its errors."""
    spec = ACTIONS[action]
    objective = get_object_or_404(selectors.objectives_with_owners().prefetch_related(
        selectors.key_results_prefetch()), pk=pk)
    require_perm(request, spec["perm"], objective)
    prefix = request.POST.get("prefix", "") if request.method == "POST" else ""
    prefix = prefix if prefix == f"o{objective.pk}" else None
    form = ReviewForm(request.POST if request.method == "POST" else None, prefix=prefix)
    done = False
    if form.is_valid():
        kwargs = {"objective": objective, "by": request.user, "actor": request.actor}
        if action != "submit":
            kwargs["comment"] = form.cleaned_data["comment"]
        try:
            spec["service"](**kwargs)
            done = True
        except ValidationError as error:
            form.add_service_errors(error)
    if request.htmx and request.method == "POST":
        attach_eased_targets(objective.key_results.all())
        # htmx swaps only 2xx answers: the row with its errors comes back as a 200.
        return render(request, "goals/approvals_row.html", {
            "row": {"objective": objective, "form": form}, "done": action if done else None,
        })
    status = 400 if request.method == "POST" and not done else 200
    if done:
        target = _next_url(request)
        return redirect(target) if target else redirect("goals:objective_detail", objective.pk)
    return render(request, "goals/approvals_action.html", {
        "objective": objective, "form": form, "action": action, "spec": spec,
        "next": _next_url(request) or "",
    }, status=status)


@member_required
def submit(request, pk):
    return _act(request, pk, "submit")


@member_required
def approve(request, pk):
    return _act(request, pk, "approve")


@member_required
def return_(request, pk):
    return _act(request, pk, "return")
