"""The company's improvement rules: the built-in ones read-only until HR customises them (which
stores them), then the stored ones listed, added and edited. `services_plans` validates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.web.decorators import member_required, require_perm

from . import improvement, services_plans
from .forms_plans import RuleForm
from .models import ImprovementRule, ItemKind, RuleComparison, RuleSubject

PERM = "reviews.change_improvementrule"


def _labelled(rule) -> dict:
    """A built-in rule (improvement.RuleData) with the labels its stored twin would show."""
    return {"rule": rule, "subject": RuleSubject(rule.subject).label,
            "comparison": RuleComparison(rule.comparison).label,
            "kind": ItemKind(rule.kind).label}


@require_GET
@member_required
def rules(request):
    require_perm(request, PERM)
    stored = list(ImprovementRule.objects.order_by("priority", "pk"))
    built_in = [] if stored else [_labelled(rule) for rule in improvement.default_rules()]
    return render(request, "reviews/plans/rules.html", {"stored": stored, "built_in": built_in})


@require_POST
@member_required
def rules_customise(request):
    require_perm(request, PERM)
    services_plans.customise_rules(actor=request.actor, company=request.company)
    messages.success(request, _("The rules are now the company's own: edit them below."))
    return redirect("reviews:rules")


def _edit(request, rule: ImprovementRule, template_context: dict):
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    if rule.pk is None:
                        # The first rule of its own: the built-in ones are stored with it, or
                        # the company would be left with this rule alone.
                        services_plans.customise_rules(actor=request.actor,
                                                       company=request.company)
                    services_plans.save_rule(actor=request.actor, rule=form.apply(rule))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("reviews:rules")
        return render(request, "reviews/plans/rule_form.html",
                      {"form": form, **template_context}, status=400)
    return render(request, "reviews/plans/rule_form.html", {"form": form, **template_context})


@member_required
def rule_new(request):
    require_perm(request, PERM)
    return _edit(request, ImprovementRule(company=request.company), {"rule": None})


@member_required
def rule_edit(request, pk):
    rule = get_object_or_404(ImprovementRule, pk=pk)
    require_perm(request, PERM)
    return _edit(request, rule, {"rule": rule})
