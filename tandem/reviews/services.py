"""Operations on review cycles and reviews: set up, open (freezing settings and shares), self and
manager assessment, calibration, publication and acknowledgement. Each checks what the `actor`
may do when one is given, validates, writes in one transaction and records the step in the
review's history (`ReviewEvent`). Scores always come from `reviews.figures` + `scoring`.
Improvement plans are in `services_plans`, bonuses in `services_bonus`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.core.notifications import notify
from tandem.core.versioning import claim_version
from tandem.kpis.risk import Tree
from tandem.org.models import Employee, EmployeeStatus
from tandem.org.selectors import subtree_ids

from . import figures, notifications, scoring
from .models import (
    CycleStatus,
    EventKind,
    ObjectiveRating,
    Review,
    ReviewCycle,
    ReviewEvent,
    Scope,
    Stage,
)
from .policy import WeightResolver, freeze, frozen_for, settings_for

ASSESSED_STAGES = (Stage.ASSESSED, Stage.PUBLISHED, Stage.ACKNOWLEDGED)
CYCLE_FIELDS = ("name", "scope", "self_assessment", "peer_feedback", "calibration",
                "acknowledgement", "self_deadline", "manager_deadline", "calibration_deadline",
                "acknowledgement_deadline")


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.user.has_perm(perm, obj):
        raise PermissionDenied


def _user(actor):
    return actor.user if actor is not None else None


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: [message]} if field else message)


# ---------------------------------------------------------------------------------------------
# Setting a cycle up


def _validate_cycle(cycle: ReviewCycle, goal_cycles, departments, people) -> None:
    errors: dict[str, list[str]] = {}
    if not cycle.name.strip():
        errors["name"] = [_("Give the review cycle a name.")]
    elif ReviewCycle.objects.filter(company=cycle.company, name=cycle.name).exclude(
            pk=cycle.pk).exists():
        errors["name"] = [_("Another review cycle has this name.")]
    if not goal_cycles:
        errors["goal_cycles"] = [_("Choose at least one goal cycle to review.")]
    if cycle.scope == Scope.DEPARTMENTS and not departments:
        errors["departments"] = [_("Choose the departments to review.")]
    if cycle.scope == Scope.PEOPLE and not people:
        errors["people"] = [_("Choose the people to review.")]
    deadlines = [cycle.self_deadline if cycle.self_assessment else None, cycle.manager_deadline,
                 cycle.calibration_deadline if cycle.calibration else None,
                 cycle.acknowledgement_deadline if cycle.acknowledgement else None]
    given = [day for day in deadlines if day is not None]
    if given != sorted(given):
        errors["manager_deadline"] = [_("The deadlines must follow the order of the steps.")]
    for other in (*goal_cycles, *departments, *people):
        if other.company_id != cycle.company_id:
            raise PermissionDenied
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_cycle(*, actor, company, cycle: ReviewCycle | None = None, goal_cycles: Sequence,
               departments: Sequence = (), people: Sequence = (), version: int | None = None,
               **fields) -> ReviewCycle:
    """Create a cycle (cycle None) or change one still being set up."""
    _require(actor, "reviews.add_reviewcycle" if cycle is None else "reviews.change_reviewcycle",
             cycle)
    if cycle is None:
        cycle = ReviewCycle(company=company, created_by=_user(actor))
    elif cycle.status != CycleStatus.DRAFT:
        _refuse(_("An open review cycle cannot be changed any more."))
    for name in CYCLE_FIELDS:
        if name in fields:
            setattr(cycle, name, fields[name])
    _validate_cycle(cycle, list(goal_cycles), list(departments), list(people))
    if cycle.pk is not None:
        claim_version(cycle, version)
    cycle.save()
    cycle.goal_cycles.set(goal_cycles)
    cycle.departments.set(departments if cycle.scope == Scope.DEPARTMENTS else [])
    cycle.people.set(people if cycle.scope == Scope.PEOPLE else [])
    return cycle


@transaction.atomic
def delete_cycle(*, actor, cycle: ReviewCycle) -> None:
    _require(actor, "reviews.delete_reviewcycle", cycle)
    if cycle.status != CycleStatus.DRAFT:
        _refuse(_("Only a review cycle still being set up can be deleted."))
    cycle.delete()


def people_in_scope(cycle: ReviewCycle) -> list[Employee]:
    """The people the cycle reviews: everyone still employed in its scope."""
    rows = Employee.objects.filter(company=cycle.company).exclude(status=EmployeeStatus.LEFT)
    if cycle.scope == Scope.DEPARTMENTS:
        roots = cycle.departments.values_list("pk", flat=True)
        rows = rows.filter(department_id__in=subtree_ids(cycle.company, roots))
    elif cycle.scope == Scope.PEOPLE:
        rows = rows.filter(pk__in=cycle.people.values_list("pk", flat=True))
    return list(rows.order_by("employee_number"))


@transaction.atomic
def open_cycle(*, actor, cycle: ReviewCycle) -> list[Review]:
    """Freeze the settings and every person's shares, create their reviews, score them from the
    goals and KPIs as they stand, and tell the people reviewed."""
    _require(actor, "reviews.change_reviewcycle", cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.DRAFT:
        _refuse(_("This review cycle is already open."))
    people = people_in_scope(cycle)
    if not people:
        _refuse(_("Nobody is in this review cycle's scope."))
    row = settings_for(cycle.company)
    resolver = WeightResolver(cycle.company, row)
    tree = Tree([cycle.company_id])
    stage = Stage.SELF if cycle.self_assessment else Stage.MANAGER
    reviews = []
    for person in people:
        shares = resolver.shares(person.department_id, person.position_id)
        leaders = tree.leaders_from(person.department_id, person.pk)
        reviews.append(Review(
            company=cycle.company, cycle=cycle, employee=person,
            department_id=person.department_id, reviewer_id=leaders[0] if leaders else None,
            stage=stage, okr_weight=shares.okr_weight, kpi_weight=shares.kpi_weight,
            weight_source=shares.source[:120]))
    Review.objects.bulk_create(reviews)
    reviews = list(Review.objects.filter(cycle=cycle))
    cycle.policy = freeze(row)
    cycle.status = CycleStatus.ASSESSMENT
    cycle.opened_at = timezone.now()
    claim_version(cycle)
    cycle.save()
    rescore(cycle, reviews)
    ReviewEvent.objects.bulk_create([
        ReviewEvent(company=cycle.company, review=review, kind=EventKind.OPENED,
                    by=_user(actor)) for review in reviews])
    kind = notifications.SELF_ASSESSMENT_DUE if cycle.self_assessment else notifications.OPENED
    notify(company=cycle.company, recipients=people, kind=kind.key,
           params={"cycle": cycle.name, "due": _day(cycle.self_deadline)},
           url=f"/reviews/mine/{cycle.pk}/", actor=getattr(actor, "employee", None))
    return reviews


def _day(day) -> str:
    return day.isoformat() if day else "—"


# ---------------------------------------------------------------------------------------------
# Scores


def rescore(cycle: ReviewCycle, reviews: Sequence[Review]) -> None:
    """Recompute the scores of these reviews of `cycle` from the goals and KPIs (a constant
    number of queries whatever their number). A grade moved in calibration stays."""
    if not reviews:
        return
    frozen = frozen_for(cycle)
    goal_cycle_ids = list(cycle.goal_cycles.values_list("pk", flat=True))
    gathered = figures.gather(reviews, goal_cycle_ids)
    now = timezone.now()
    for review in reviews:
        review.inputs = gathered[review.pk]
        _apply(review, frozen.policy)
        review.scored_at = now
    Review.objects.bulk_update(reviews, ["inputs", "okr_score", "kpi_score", "final_score",
                                         "calculated_grade", "grade", "scored_at"])


def _apply(review: Review, policy: scoring.ScoringPolicy) -> None:
    okr, kpi, final = figures.score(review.inputs, policy, review.okr_weight, review.kpi_weight,
                                    review.adjustment, review.adjustment_reason)
    review.okr_score, review.kpi_score, review.final_score = okr.score, kpi.score, final.score
    review.calculated_grade = final.grade
    if not review.grade_reason:
        review.grade = final.grade


def explain(review: Review):
    """(OkrResult, KpiResult, FinalResult) of the review, rebuilt from its stored inputs in the
    active language."""
    return figures.score(review.inputs, frozen_for(review.cycle).policy, review.okr_weight,
                         review.kpi_weight, review.adjustment, review.adjustment_reason)


# ---------------------------------------------------------------------------------------------
# Assessments


def _locked(review: Review) -> Review:
    return Review.objects.select_related("cycle", "employee").select_for_update().get(
        pk=review.pk)


@transaction.atomic
def submit_self(*, actor, review: Review, summary: str, version: int | None = None) -> Review:
    _require(actor, "reviews.assess_self", review)
    review = _locked(review)
    if review.cycle.status != CycleStatus.ASSESSMENT or review.stage != Stage.SELF:
        _refuse(_("The self assessment of this review is not open."))
    if not summary.strip():
        _refuse(_("Write your self assessment before submitting it."), "self_summary")
    claim_version(review, version)
    review.self_summary = summary.strip()
    review.self_submitted_at = timezone.now()
    review.stage = Stage.MANAGER
    review.save()
    _event(actor, review, EventKind.SELF_SUBMITTED)
    if review.reviewer_id:
        notify(company=review.company, recipients=[review.reviewer],
               kind=notifications.MANAGER_ASSESSMENT_DUE.key,
               params={"cycle": review.cycle.name, "employee": review.employee.name,
                       "due": _day(review.cycle.manager_deadline)},
               url=f"/reviews/{review.pk}/", actor=getattr(actor, "employee", None))
    return review


def _decimal(raw, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        _refuse(_("Enter a number."), field)
    if not value.is_finite():
        _refuse(_("Enter a number."), field)
    return value


def _save_ratings(review: Review, ratings: dict, policy: scoring.ScoringPolicy) -> list[dict]:
    """Store the difficulty coefficients; the objective ids must be the review's own."""
    own = {row["key"] for row in review.inputs.get("objectives", [])}
    errors: dict[str, list[str]] = {}
    changes = []
    existing = {row.objective_id: row for row in review.ratings.all()}
    for objective_id, (raw, reason) in ratings.items():
        field = f"difficulty_{objective_id}"
        if int(objective_id) not in own:
            errors[field] = [_("This objective is not part of the review.")]
            continue
        difficulty = _decimal(raw, field)
        try:
            scoring.validate_difficulty(difficulty, reason or "", policy)
        except scoring.ScoringError as error:
            errors[f"{error.field}_{objective_id}"] = [str(error.message)]
            continue
        old = existing.get(int(objective_id))
        if old is None or old.difficulty != difficulty or old.reason != (reason or ""):
            changes.append({"objective": int(objective_id), "difficulty": str(difficulty),
                            "reason": reason or ""})
        ObjectiveRating.objects.update_or_create(
            company=review.company, review=review, objective_id=int(objective_id),
            defaults={"difficulty": difficulty, "reason": (reason or "").strip()})
    if errors:
        raise ValidationError(errors)
    return changes


@transaction.atomic
def assess(*, actor, review: Review, summary: str, adjustment="0", adjustment_reason: str = "",
           ratings: dict | None = None, submit: bool = False,
           version: int | None = None) -> Review:
    """The manager's assessment: difficulty per objective (`ratings`: {objective id:
    (difficulty, reason)}), a bounded adjustment with its reason, and the written assessment.
    Saving keeps it a draft; `submit` hands it to calibration (or publication)."""
    _require(actor, "reviews.assess_manager", review)
    review = _locked(review)
    if review.cycle.status != CycleStatus.ASSESSMENT or review.stage not in (Stage.SELF,
                                                                             Stage.MANAGER):
        _refuse(_("The manager assessment of this review is closed."))
    if submit and review.stage == Stage.SELF:
        _refuse(_("Wait for the self assessment before submitting yours."))
    policy = frozen_for(review.cycle).policy
    value = _decimal(adjustment or "0", "adjustment")
    try:
        scoring.validate_adjustment(value, adjustment_reason or "", policy)
    except scoring.ScoringError as error:
        raise ValidationError({error.field: [str(error.message)]}) from None
    if submit and not summary.strip():
        _refuse(_("Write your assessment before submitting it."), "manager_summary")
    claim_version(review, version)
    changes = _save_ratings(review, ratings or {}, policy)
    adjusted = value != review.adjustment or adjustment_reason != review.adjustment_reason
    review.manager_summary = summary.strip()
    review.adjustment = value
    review.adjustment_reason = (adjustment_reason or "").strip() if value else ""
    if submit:
        review.stage = Stage.ASSESSED
        review.manager_submitted_at = timezone.now()
    review.save()
    rescore(review.cycle, [review])
    for change in changes:
        _event(actor, review, EventKind.DIFFICULTY, reason=change["reason"], data=change)
    if adjusted and value:
        _event(actor, review, EventKind.ADJUSTED, reason=review.adjustment_reason,
               data={"adjustment": str(value)})
    if submit:
        _event(actor, review, EventKind.MANAGER_SUBMITTED,
               data={"final_score": str(review.final_score), "grade": review.grade})
    return review


def _event(actor, review: Review, kind: str, **fields) -> ReviewEvent:
    return ReviewEvent.objects.create(company=review.company, review=review, kind=kind,
                                      by=_user(actor), **fields)


# ---------------------------------------------------------------------------------------------
# Calibration and publication


def _not_submitted(count: int) -> str:
    return ngettext("%(count)s assessment is not submitted yet.",
                    "%(count)s assessments are not submitted yet.", count) % {"count": count}


def _missing(cycle: ReviewCycle) -> int:
    return cycle.reviews.exclude(stage__in=ASSESSED_STAGES).count()


@transaction.atomic
def start_calibration(*, actor, cycle: ReviewCycle) -> ReviewCycle:
    _require(actor, "reviews.change_reviewcycle", cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.calibration:
        _refuse(_("This review cycle has no calibration step."))
    if cycle.status != CycleStatus.ASSESSMENT:
        _refuse(_("Calibration starts after the assessments."))
    missing = _missing(cycle)
    if missing:
        _refuse(_not_submitted(missing))
    cycle.status = CycleStatus.CALIBRATION
    claim_version(cycle)
    cycle.save()
    return cycle


@transaction.atomic
def change_grade(*, actor, review: Review, grade: str, reason: str) -> Review:
    """Move a grade in calibration, with a reason; back to the grade the score gives clears
    the reason. Every move is history."""
    _require(actor, "reviews.calibrate_review", review)
    review = _locked(review)
    if review.cycle.status != CycleStatus.CALIBRATION:
        _refuse(_("Grades move only during calibration."))
    grades = frozen_for(review.cycle).grade_names
    if grade not in grades:
        _refuse(_("Choose one of the grades %(grades)s.") % {"grades": ", ".join(grades)},
                "grade")
    reason = (reason or "").strip()
    if grade != review.calculated_grade and not reason:
        _refuse(_("Say why the grade differs from the score's."), "reason")
    if grade == review.grade:
        return review
    before = review.grade
    review.grade = grade
    review.grade_reason = reason if grade != review.calculated_grade else ""
    claim_version(review)
    review.save()
    _event(actor, review, EventKind.GRADE_CHANGED, from_grade=before, to_grade=grade,
           reason=reason)
    return review


@transaction.atomic
def return_to_manager(*, actor, review: Review, reason: str) -> Review:
    """Send an assessed review back to the manager (before publication), with a reason."""
    _require(actor, "reviews.calibrate_review", review)
    review = _locked(review)
    if review.cycle.status not in (CycleStatus.ASSESSMENT, CycleStatus.CALIBRATION) or (
            review.stage != Stage.ASSESSED):
        _refuse(_("Only an assessed review that is not published can be sent back."))
    if not (reason or "").strip():
        _refuse(_("Say what the manager should look at again."), "reason")
    review.stage = Stage.MANAGER
    review.manager_submitted_at = None
    claim_version(review)
    review.save()
    _event(actor, review, EventKind.RETURNED, reason=reason.strip())
    if review.cycle.status == CycleStatus.CALIBRATION:
        cycle = review.cycle
        cycle.status = CycleStatus.ASSESSMENT
        claim_version(cycle)
        cycle.save()
    return review


@transaction.atomic
def publish(*, actor, cycle: ReviewCycle) -> ReviewCycle:
    """Publish every result: the employees see them, improvement plans are generated and the
    bonus policies' awards proposed."""
    from .services_bonus import propose_awards
    from .services_plans import generate_plans

    _require(actor, "reviews.change_reviewcycle", cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    expected = CycleStatus.CALIBRATION if cycle.calibration else CycleStatus.ASSESSMENT
    if cycle.status != expected:
        _refuse(_("Publish after calibration.") if cycle.calibration
                else _("Publish after the assessments."))
    missing = _missing(cycle)
    if missing:
        _refuse(_not_submitted(missing))
    now = timezone.now()
    reviews = list(cycle.reviews.select_related("employee"))
    for review in reviews:
        review.stage = Stage.PUBLISHED if cycle.acknowledgement else Stage.ACKNOWLEDGED
        review.published_at = now
    Review.objects.bulk_update(reviews, ["stage", "published_at"])
    ReviewEvent.objects.bulk_create([
        ReviewEvent(company=cycle.company, review=review, kind=EventKind.PUBLISHED,
                    to_grade=review.grade, by=_user(actor)) for review in reviews])
    cycle.status = CycleStatus.PUBLISHED
    cycle.published_at = now
    claim_version(cycle)
    cycle.save()
    generate_plans(cycle, reviews)
    propose_awards(cycle)
    notify(company=cycle.company, recipients=[review.employee for review in reviews],
           kind=notifications.PUBLISHED.key,
           params={"cycle": cycle.name, "due": _day(cycle.acknowledgement_deadline)},
           url=f"/reviews/mine/{cycle.pk}/", actor=getattr(actor, "employee", None))
    return cycle


@transaction.atomic
def acknowledge(*, actor, review: Review, comment: str = "") -> Review:
    _require(actor, "reviews.acknowledge_review", review)
    review = _locked(review)
    if review.stage != Stage.PUBLISHED:
        _refuse(_("Only a published result waits for acknowledgement."))
    review.stage = Stage.ACKNOWLEDGED
    review.acknowledged_at = timezone.now()
    review.acknowledgement_comment = (comment or "").strip()
    claim_version(review)
    review.save()
    _event(actor, review, EventKind.ACKNOWLEDGED, reason=review.acknowledgement_comment[:500])
    return review


@transaction.atomic
def close_cycle(*, actor, cycle: ReviewCycle) -> ReviewCycle:
    _require(actor, "reviews.change_reviewcycle", cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.PUBLISHED:
        _refuse(_("Close a review cycle after its results are published."))
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    claim_version(cycle)
    cycle.save()
    return cycle


# ---------------------------------------------------------------------------------------------
# Peer feedback (optional step)


@transaction.atomic
def request_feedback(*, actor, review: Review, authors: Iterable[Employee]):
    from .models import PeerFeedback

    _require(actor, "reviews.assess_manager", review)
    if not review.cycle.peer_feedback:
        _refuse(_("This review cycle has no peer feedback step."))
    if review.cycle.status != CycleStatus.ASSESSMENT:
        _refuse(_("Peer feedback is asked for during the assessments."))
    authors = [person for person in authors if person.pk != review.employee_id]
    for person in authors:
        if person.company_id != review.company_id:
            raise PermissionDenied
    rows = [PeerFeedback(company=review.company, review=review, author=person)
            for person in authors]
    PeerFeedback.objects.bulk_create(rows, ignore_conflicts=True)
    notify(company=review.company, recipients=authors, kind=notifications.FEEDBACK_ASKED.key,
           params={"cycle": review.cycle.name, "employee": review.employee.name},
           url="/reviews/feedback/", actor=getattr(actor, "employee", None))
    return rows


@transaction.atomic
def give_feedback(*, actor, feedback, strengths: str, improvements: str):
    _require(actor, "reviews.give_feedback", feedback)
    if feedback.review.cycle.status != CycleStatus.ASSESSMENT:
        _refuse(_("Peer feedback is closed for this review."))
    if not (strengths or "").strip() and not (improvements or "").strip():
        _refuse(_("Write at least one of the two parts."), "strengths")
    feedback.strengths = strengths.strip()
    feedback.improvements = improvements.strip()
    feedback.submitted_at = timezone.now()
    feedback.save()
    return feedback
