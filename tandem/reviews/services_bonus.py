"""Performance bonuses: policies (validated formulas), the figures each review offers the
formula, the what-if simulation, the awards proposed when a cycle is published, and their
approval into pay items of a chosen month (`pay.PayItem`, source "review"), the explanation
carried in the item's note. Everything here reads in a constant number of queries."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.versioning import claim_version
from tandem.org.models import Department
from tandem.pay.models import PayItem, PayItemSource, PayItemType, SalaryProfile
from tandem.pay.services_payroll import RunLocked, refuse_locked_month, validate_pay_item

from . import bonus, formula, scoring
from .models import AwardStatus, BonusAward, BonusPolicy, CycleStatus, Review, ReviewCycle
from .policy import frozen_for

HUNDRED = Decimal(100)
POLICY_FIELDS = ("name", "formula", "base_bonus", "extra_bonus", "minimum_final_score", "cap",
                 "budget", "department", "position", "active")


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.user.has_perm(perm, obj):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Policies


def validate_formula(source: str) -> formula.Formula:
    try:
        return formula.parse(source or "")
    except formula.FormulaError as error:
        message = str(error.message)
        if error.position is not None:
            message = _("%(message)s (at character %(position)s)") % {
                "message": message, "position": error.position + 1}
        raise ValidationError({"formula": [message]}) from None


@transaction.atomic
def save_policy(*, actor, company, policy: BonusPolicy | None = None,
                version: int | None = None, **fields) -> BonusPolicy:
    _require(actor, "reviews.change_bonuspolicy", policy)
    if policy is None:
        policy = BonusPolicy(company=company)
    for name in POLICY_FIELDS:
        if name in fields:
            setattr(policy, name, fields[name])
    errors: dict[str, list[str]] = {}
    try:
        validate_formula(policy.formula)
    except ValidationError as error:
        errors.update(error.message_dict)
    if policy.department_id and policy.position_id:
        errors["position"] = [_("Choose a department or a position, not both.")]
    duplicate = BonusPolicy.objects.filter(company=company, name=policy.name).exclude(
        pk=policy.pk)
    if policy.name and duplicate.exists():
        errors["name"] = [_("Another bonus policy has this name.")]
    try:
        policy.full_clean(exclude=["company", "updated_by", "department", "position"],
                          validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    for other in (policy.department, policy.position):
        if other is not None and other.company_id != company.pk:
            raise PermissionDenied
    if policy.pk is not None:
        claim_version(policy, version)
    policy.updated_by = actor.user if actor else None
    policy.save()
    return policy


@transaction.atomic
def delete_policy(*, actor, policy: BonusPolicy) -> None:
    """Delete a policy no award refers to (awards protect theirs: deactivate it instead)."""
    _require(actor, "reviews.change_bonuspolicy", policy)
    policy.delete()


def policy_data(policy: BonusPolicy, **changes) -> bonus.BonusPolicyData:
    data = bonus.BonusPolicyData(
        formula=policy.formula, base_bonus=policy.base_bonus, extra_bonus=policy.extra_bonus,
        minimum_final_score=policy.minimum_final_score, cap=policy.cap, budget=policy.budget)
    return replace(data, **changes) if changes else data


class PolicyChooser:
    """Which active policy applies to a person: the position's, else the nearest department's
    up the tree, else the company's (2 queries)."""

    def __init__(self, company):
        self.parents = dict(Department.objects.filter(company=company)
                            .values_list("pk", "parent_id"))
        self.company_wide = None
        self.by_department: dict[int, BonusPolicy] = {}
        self.by_position: dict[int, BonusPolicy] = {}
        for policy in BonusPolicy.objects.filter(company=company, active=True).order_by("pk"):
            if policy.position_id:
                self.by_position.setdefault(policy.position_id, policy)
            elif policy.department_id:
                self.by_department.setdefault(policy.department_id, policy)
            elif self.company_wide is None:
                self.company_wide = policy

    def policy(self, department_id, position_id) -> BonusPolicy | None:
        if position_id in self.by_position:
            return self.by_position[position_id]
        seen: set[int] = set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            if department_id in self.by_department:
                return self.by_department[department_id]
            department_id = self.parents.get(department_id)
        return self.company_wide


# ---------------------------------------------------------------------------------------------
# The figures a formula reads


def period(cycle: ReviewCycle) -> tuple[date, date]:
    spans = list(cycle.goal_cycles.values_list("start", "end"))
    return min(start for start, _end in spans), max(end for _start, end in spans)


def _months(start: date, end: date) -> Decimal:
    """Calendar months from `start` to `end` inclusive, a part month counted by its days (a
    quarter: 3.00; joining on 16 November of that quarter: 1.50)."""
    total = Decimal(0)
    day = start.replace(day=1)
    while day <= end:
        length = calendar.monthrange(day.year, day.month)[1]
        last = day.replace(day=length)
        covered = max((min(end, last) - max(start, day)).days + 1, 0)
        total += Decimal(covered) / Decimal(length)
        day = last + timedelta(days=1)
    return total.quantize(Decimal("0.01"))


def base_wages(employee_ids, on: date) -> dict[int, Decimal]:
    """Each person's base monthly wage in force on `on` (one query)."""
    out: dict[int, Decimal] = {}
    rows = (SalaryProfile.objects.filter(employee_id__in=list(employee_ids), effective_from__lte=on)
            .order_by("employee_id", "-effective_from", "-pk")
            .values_list("employee_id", "base_monthly_wage"))
    for employee_id, wage in rows:
        out.setdefault(employee_id, wage)
    return out


@dataclass(frozen=True)
class Scores:
    okr: Decimal | None
    kpi: Decimal | None
    final: Decimal | None
    grade: str


def rescored(review: Review, policy: scoring.ScoringPolicy, okr_weight=None,
             kpi_weight=None) -> Scores:
    """The review's scores, or what they would be with other shares (the what-if)."""
    if okr_weight is None:
        return Scores(review.okr_score, review.kpi_score, review.final_score, review.grade)
    final = scoring.final_score(
        review.okr_score, review.kpi_score,
        replace(policy, okr_weight=okr_weight, kpi_weight=kpi_weight),
        review.adjustment, review.adjustment_reason)
    grade = review.grade if review.grade_reason else final.grade
    return Scores(review.okr_score, review.kpi_score, final.score, grade)


def _rate(score: Decimal | None) -> Decimal:
    return (score or Decimal(0)) / HUNDRED


def values_for(review: Review, scores: Scores, wage: Decimal | None, months: Decimal,
               policy: bonus.BonusPolicyData) -> dict[str, Decimal | str]:
    return {
        "kpi_rate": _rate(scores.kpi), "okr_rate": _rate(scores.okr),
        "kpi_score": scores.kpi or Decimal(0), "okr_score": scores.okr or Decimal(0),
        "final_score": scores.final or Decimal(0), "final_rate": _rate(scores.final),
        "grade": scores.grade, "base_salary": wage or Decimal(0),
        "base_bonus": policy.base_bonus, "extra_bonus": policy.extra_bonus,
        "months_in_cycle": months,
    }


def _employed_months(review: Review, start: date, end: date) -> Decimal:
    employee = review.employee
    first = max(start, employee.hire_date)
    last = min(end, employee.leave_date) if employee.leave_date else end
    return _months(first, last)


def figures_for(cycle: ReviewCycle, reviews: Sequence[Review], data: bonus.BonusPolicyData,
                okr_weight=None, kpi_weight=None) -> list[bonus.PersonFigures]:
    start, end = period(cycle)
    wages = base_wages([review.employee_id for review in reviews], end)
    policy = frozen_for(cycle).policy
    people = []
    for review in reviews:
        scores = rescored(review, policy, okr_weight, kpi_weight)
        people.append(bonus.PersonFigures(
            key=review.pk, name=review.employee.name,
            values=values_for(review, scores, wages.get(review.employee_id),
                              _employed_months(review, start, end), data)))
    return people


def reviews_of(cycle: ReviewCycle, policy: BonusPolicy | None = None) -> list[Review]:
    """The cycle's reviews a policy applies to (all of them when `policy` is None)."""
    reviews = list(cycle.reviews.select_related("employee").order_by(
        "employee__employee_number"))
    if policy is None:
        return reviews
    chooser = PolicyChooser(cycle.company)
    return [review for review in reviews
            if _applies(chooser, review) is not None and _applies(chooser, review).pk == policy.pk]


def _applies(chooser: PolicyChooser, review: Review) -> BonusPolicy | None:
    return chooser.policy(review.department_id, review.employee.position_id)


def simulate(*, actor, policy: BonusPolicy, cycle: ReviewCycle, okr_weight=None,
             kpi_weight=None, **changes) -> bonus.Simulation:
    """The bonuses `policy` (with `changes`: formula, base_bonus, extra_bonus,
    minimum_final_score, cap, budget) would give the people of `cycle` it applies to, with
    other OKR/KPI shares when given. Nothing is written."""
    _require(actor, "reviews.simulate_bonuspolicy", policy)
    if cycle.status == CycleStatus.DRAFT:
        raise ValidationError({"cycle": [_("Open the review cycle first: it has no scores.")]})
    if (okr_weight is None) != (kpi_weight is None):
        raise ValidationError({"okr_weight": [_("Give both shares or neither.")]})
    if okr_weight is not None:
        try:
            scoring.validate_weights(okr_weight, kpi_weight)
        except scoring.ScoringError as error:
            raise ValidationError({error.field: [str(error.message)]}) from None
    if "formula" in changes:
        validate_formula(changes["formula"])
    data = policy_data(policy, **changes)
    reviews = reviews_of(cycle, policy)
    return bonus.compute_bonuses(data, figures_for(cycle, reviews, data, okr_weight, kpi_weight))


# ---------------------------------------------------------------------------------------------
# Awards


def propose_awards(cycle: ReviewCycle) -> list[BonusAward]:
    """The awards of every review under the policy that applies to it, replacing proposed
    ones (approved awards stay). People no active policy covers get none."""
    chooser = PolicyChooser(cycle.company)
    reviews = reviews_of(cycle)
    approved = set(BonusAward.objects.filter(review__cycle=cycle, status=AwardStatus.APPROVED)
                   .values_list("review_id", flat=True))
    BonusAward.objects.filter(review__cycle=cycle, status=AwardStatus.PROPOSED).delete()
    groups: dict[int, tuple[BonusPolicy, list[Review]]] = {}
    for review in reviews:
        policy = _applies(chooser, review)
        if policy is not None and review.pk not in approved:
            groups.setdefault(policy.pk, (policy, []))[1].append(review)
    awards = []
    for policy, members in groups.values():
        data = policy_data(policy)
        try:
            simulation = bonus.compute_bonuses(data, figures_for(cycle, members, data))
        except formula.FormulaError:
            continue  # saved policies are validated; a formula broken since is skipped
        for line in simulation.lines:
            awards.append(BonusAward(
                company=cycle.company, review_id=line.key, policy=policy, amount=line.amount,
                raw=line.raw, explanation=[*line.explanation, *([line.error] if line.error
                                                               else [])]))
    return BonusAward.objects.bulk_create(awards)


@transaction.atomic
def approve_awards(*, actor, cycle: ReviewCycle, month: date,
                   annual_bonus: bool = False) -> list[PayItem]:
    """Approve the cycle's proposed awards: each non-zero one becomes a pay item of `month`
    (a bonus, or the annual one-time bonus taxed the cheaper way)."""
    _require(actor, "reviews.approve_bonus")
    if cycle.status not in (CycleStatus.PUBLISHED, CycleStatus.CLOSED):
        raise ValidationError(_("Bonuses are approved after the results are published."))
    month = month.replace(day=1)
    try:
        refuse_locked_month(month)
    except RunLocked as error:
        raise ValidationError({"month": [str(error.message)]}) from None
    awards = list(BonusAward.objects.filter(review__cycle=cycle, status=AwardStatus.PROPOSED)
                  .select_related("review__employee", "policy"))
    if not awards:
        raise ValidationError(_("There are no proposed bonuses to approve."))
    now = timezone.now()
    kind = PayItemType.ANNUAL_BONUS if annual_bonus else PayItemType.REGULAR_BONUS
    items = []
    for award in awards:
        award.status, award.month, award.annual_bonus = AwardStatus.APPROVED, month, annual_bonus
        award.approved_by, award.approved_at = (actor.user if actor else None), now
        if award.amount <= 0:
            continue
        name = _("Performance bonus: %(cycle)s") % {"cycle": cycle.name}
        item = PayItem(company=cycle.company, employee=award.review.employee, month=month,
                       kind=kind, name=name if len(name) <= 60 else name[:59] + "…",
                       amount=award.amount, source=PayItemSource.REVIEW,
                       note=_note(award), created_by=actor.user if actor else None)
        validate_pay_item(item)
        items.append((award, item))
    PayItem.objects.bulk_create([item for _award, item in items])
    for award, item in items:
        award.pay_item = item
    BonusAward.objects.bulk_update(awards, ["status", "month", "annual_bonus", "approved_by",
                                            "approved_at", "pay_item"])
    return [item for _award, item in items]


def _note(award: BonusAward) -> str:
    text = " ".join(str(line) for line in award.explanation)
    return text if len(text) <= 200 else text[:199] + "…"
