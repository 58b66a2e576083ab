"""Improvement plans: generated for every review when its cycle is published, from the company's
rules (`ImprovementRule`; none stored: the built-in `improvement.default_rules()`), with the
open items of the person's previous plan carried in; then edited, agreed by the manager and the
employee, and tracked to done."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.versioning import claim_version
from tandem.goals.models import KeyResult
from tandem.goals.policy import policy_for
from tandem.goals.progress import expectation

from . import improvement
from .models import (
    ImprovementItem,
    ImprovementPlan,
    ImprovementRule,
    ItemStatus,
    PlanStatus,
    Review,
    ReviewCycle,
)

OPEN = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)
ITEM_FIELDS = ("kind", "title", "action", "course", "status", "due", "note")


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.user.has_perm(perm, obj):
        raise PermissionDenied


def rule_data(company) -> list[improvement.RuleData]:
    """The company's active rules, or the built-in ones while it has stored none."""
    stored = list(ImprovementRule.objects.filter(company=company))
    if not stored:
        return list(improvement.default_rules())
    return [improvement.RuleData(
        key=rule.pk, subject=rule.subject, comparison=rule.comparison,
        threshold=rule.threshold, kind=rule.kind, action=rule.action,
        match_category=rule.match_category, match_tag=rule.match_tag,
        match_keyword=rule.match_keyword, priority=rule.priority, course=rule.course)
        for rule in stored if rule.active]


@transaction.atomic
def customise_rules(*, actor, company) -> list[ImprovementRule]:
    """Store the built-in rules (in the active language) so the company can edit them."""
    _require(actor, "reviews.change_improvementrule")
    if ImprovementRule.objects.filter(company=company).exists():
        return list(ImprovementRule.objects.filter(company=company))
    rows = [ImprovementRule(
        company=company, subject=rule.subject, comparison=rule.comparison,
        threshold=rule.threshold, kind=rule.kind, action=rule.action, course=rule.course,
        match_category=rule.match_category, match_tag=rule.match_tag,
        match_keyword=rule.match_keyword, priority=rule.priority)
        for rule in improvement.default_rules()]
    return ImprovementRule.objects.bulk_create(rows)


def validate_rule(rule: ImprovementRule) -> None:
    try:
        improvement.validate_rule(improvement.RuleData(
            key=rule.pk or 0, subject=rule.subject, comparison=rule.comparison,
            threshold=rule.threshold, kind=rule.kind, action=rule.action,
            match_category=rule.match_category, match_tag=rule.match_tag,
            match_keyword=rule.match_keyword, priority=rule.priority, course=rule.course))
    except improvement.RuleError as error:
        raise ValidationError({error.field: [str(error.message)]}) from None


@transaction.atomic
def save_rule(*, actor, rule: ImprovementRule) -> ImprovementRule:
    _require(actor, "reviews.change_improvementrule")
    validate_rule(rule)
    rule.full_clean(exclude=["company"])
    rule.save()
    return rule


def _facts(review: Review, key_results, goals_policy):
    kpis = [improvement.KpiFact(
        key=row["key"], name=row["name"], category=row.get("category", ""),
        tags=tuple(row.get("tags", [])), code=row.get("code", ""),
        attainment=None if row.get("attainment") is None else Decimal(row["attainment"]),
        floor=None if row.get("floor") is None else Decimal(row["floor"]))
        for row in review.inputs.get("kpis", [])]
    krs = [improvement.KeyResultFact(
        key=kr.pk, title=kr.title, progress=kr.progress,
        expectation=expectation(kr.objective.kind, goals_policy))
        for kr in key_results]
    return kpis, krs


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def generate_plans(cycle: ReviewCycle, reviews: Sequence[Review]) -> list[ImprovementPlan]:
    """One plan per review (a constant number of queries): the rules' items, then the open
    items of the person's latest earlier plan, carried in."""
    rules = rule_data(cycle.company)
    goals_policy = policy_for(cycle.company)
    objective_ids = {row["key"] for review in reviews
                     for row in review.inputs.get("objectives", [])}
    krs_by_objective: dict[int, list] = {}
    for kr in (KeyResult.objects.filter(objective_id__in=objective_ids)
               .select_related("objective").order_by("objective_id", "pk")):
        krs_by_objective.setdefault(kr.objective_id, []).append(kr)
    previous = _open_items_before(cycle, [review.employee_id for review in reviews])
    plans = ImprovementPlan.objects.bulk_create([
        ImprovementPlan(company=cycle.company, review=review, employee_id=review.employee_id)
        for review in reviews])
    items = []
    for plan, review in zip(plans, reviews, strict=True):
        key_results = [kr for row in review.inputs.get("objectives", [])
                       for kr in krs_by_objective.get(row["key"], [])]
        kpis, krs = _facts(review, key_results, goals_policy)
        drafts = improvement.generate(kpis, krs, rules)
        order = 0
        for order, draft in enumerate(drafts, start=1):
            items.append(ImprovementItem(
                company=cycle.company, plan=plan, kind=draft.kind,
                title=_clip(draft.title, 200), action=_clip(draft.action, 500),
                course=_clip(draft.course, 200), reason=_clip(draft.reason, 500), order=order,
                rule_id=draft.rule_key if isinstance(draft.rule_key, int) else None,
                source=[draft.subject, draft.subject_key]))
        for carried in previous.get(review.employee_id, []):
            order += 1
            items.append(ImprovementItem(
                company=cycle.company, plan=plan, kind=carried.kind, title=carried.title,
                action=carried.action, course=carried.course, status=carried.status,
                due=carried.due, note=carried.note, order=order, carried_from=carried,
                reason=_clip(_("Carried over from “%(cycle)s”.")
                             % {"cycle": carried.plan.review.cycle.name}, 500)))
    ImprovementItem.objects.bulk_create(items)
    return plans


def _open_items_before(cycle: ReviewCycle, employee_ids) -> dict[int, list[ImprovementItem]]:
    """The open items of each person's latest plan from an earlier cycle."""
    latest: dict[int, int] = {}
    for employee_id, plan_id in (ImprovementPlan.objects
                                 .filter(employee_id__in=employee_ids)
                                 .exclude(review__cycle=cycle)
                                 .order_by("employee_id", "-created_at", "-pk")
                                 .values_list("employee_id", "pk")):
        latest.setdefault(employee_id, plan_id)
    out: dict[int, list[ImprovementItem]] = {}
    for item in (ImprovementItem.objects
                 .filter(plan_id__in=latest.values(), status__in=OPEN)
                 .select_related("plan__review__cycle").order_by("order", "pk")):
        out.setdefault(item.plan.employee_id, []).append(item)
    return out


# ---------------------------------------------------------------------------------------------
# Editing a plan


def _open_plan(actor, plan: ImprovementPlan) -> ImprovementPlan:
    _require(actor, "reviews.change_improvementplan", plan)
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This plan is closed."))
    return plan


def _validate_item(item: ImprovementItem) -> None:
    errors: dict[str, list[str]] = {}
    if not (item.title or "").strip():
        errors["title"] = [_("Say what the item is about.")]
    if not (item.action or "").strip():
        errors["action"] = [_("Describe the action.")]
    if errors:
        raise ValidationError(errors)
    item.full_clean(exclude=["company", "plan", "rule", "carried_from", "updated_by"])


@transaction.atomic
def add_item(*, actor, plan: ImprovementPlan, **fields) -> ImprovementItem:
    plan = _open_plan(actor, plan)
    last = plan.items.order_by("-order").values_list("order", flat=True).first() or 0
    item = ImprovementItem(company=plan.company, plan=plan, order=last + 1,
                           updated_by=actor.user if actor else None)
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    _validate_item(item)
    item.save()
    _reopen(plan)
    return item


@transaction.atomic
def update_item(*, actor, item: ImprovementItem, **fields) -> ImprovementItem:
    """Change an item. Changing what it asks (title, action, due) takes the plan back to
    draft, to be agreed again; tracking its status does not."""
    plan = _open_plan(actor, item.plan)
    changed_terms = False
    for name in ITEM_FIELDS:
        if name in fields and getattr(item, name) != fields[name]:
            changed_terms = changed_terms or name in ("kind", "title", "action", "course", "due")
            setattr(item, name, fields[name])
    _validate_item(item)
    item.updated_by = actor.user if actor else None
    item.save()
    if changed_terms:
        _reopen(plan)
    return item


@transaction.atomic
def delete_item(*, actor, item: ImprovementItem) -> None:
    plan = _open_plan(actor, item.plan)
    item.delete()
    _reopen(plan)


def _reopen(plan: ImprovementPlan) -> None:
    if plan.status == PlanStatus.AGREED:
        plan.status = PlanStatus.DRAFT
        plan.manager_agreed_at = plan.employee_agreed_at = None
        plan.save(update_fields=["status", "manager_agreed_at", "employee_agreed_at"])


@transaction.atomic
def agree(*, actor, plan: ImprovementPlan, version: int | None = None) -> ImprovementPlan:
    """The manager's or the employee's agreement; with both the plan is agreed."""
    plan = _open_plan(actor, plan)
    own = actor is not None and actor.employee is not None and actor.employee.pk == plan.employee_id
    now = timezone.now()
    if own:
        plan.employee_agreed_at = now
    else:
        plan.manager_agreed_at = now
    if plan.employee_agreed_at and plan.manager_agreed_at:
        plan.status = PlanStatus.AGREED
    claim_version(plan, version)
    plan.save()
    return plan


@transaction.atomic
def close_plan(*, actor, plan: ImprovementPlan) -> ImprovementPlan:
    _require(actor, "reviews.change_improvementplan", plan)
    if actor is not None and actor.employee is not None and actor.employee.pk == plan.employee_id:
        raise PermissionDenied
    plan.status = PlanStatus.CLOSED
    claim_version(plan)
    plan.save()
    return plan
