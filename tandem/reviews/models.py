"""Review cycles: the company's scoring settings, weight overrides, the cycles themselves and one
review per employee with its frozen weights, scores, grade and history. The numbers come from
`reviews.scoring` (pure) through `reviews.services`; nobody types a score. Improvement plans
and bonuses are in `models_plans` and `models_bonus`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.core.models import CompanyScoped, Versioned

from . import scoring

SHARE = {"max_digits": 5, "decimal_places": 4}
SCORE = {"max_digits": 7, "decimal_places": 2}
UNIT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


def default_grades() -> list:
    return [[band.grade, str(band.minimum)] for band in scoring.DEFAULT_GRADES]


def default_distribution() -> list:
    return [[grade, str(share)] for grade, share in scoring.DEFAULT_DISTRIBUTION]


class ReviewSettings(CompanyScoped):
    """One row per company (missing: the defaults of ../shared/domain/okr-kpi.md)."""

    okr_weight = models.DecimalField(_("OKR share"), **SHARE, default=Decimal("0.4"),
                                     validators=UNIT)
    kpi_weight = models.DecimalField(_("KPI share"), **SHARE, default=Decimal("0.6"),
                                     validators=UNIT)
    okr_score_cap = models.DecimalField(
        _("OKR score cap"), **SHARE, default=Decimal("1.2"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("3"))],
        help_text=_("An objective scores at most this share of its expectation."))
    difficulty_min = models.DecimalField(
        _("lowest difficulty"), **SHARE, default=Decimal("0.8"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))])
    difficulty_max = models.DecimalField(
        _("highest difficulty"), **SHARE, default=Decimal("1.3"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("3"))])
    adjustment_limit = models.DecimalField(
        _("largest manager adjustment"), **SCORE, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
        help_text=_("A manager may add or take off at most this many points, with a reason."))
    # [["S", "110"], ["A", "100"], ...]: best grade first, the last minimum 0.
    grades = models.JSONField(_("grade scale"), default=default_grades)
    # [["S", "0.10"], ...]: the forced distribution's shares, in the order of the grades.
    distribution = models.JSONField(_("forced distribution"), default=default_distribution)
    use_distribution = models.BooleanField(
        _("suggest a forced distribution"), default=False,
        help_text=_("Calibration then lists who falls outside the shares; nobody is moved "
                    "without a person deciding it."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="review_settings_once"),
        ]

    def __str__(self) -> str:
        return f"review settings of {self.company_id}"


class WeightOverride(CompanyScoped):
    """OKR and KPI shares for one department (and the departments below it) or one position;
    a position's override beats a department's, the nearest department beats one above."""

    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="+", verbose_name=_("department"))
    position = models.ForeignKey("org.Position", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="+", verbose_name=_("position"))
    okr_weight = models.DecimalField(_("OKR share"), **SHARE, validators=UNIT)
    kpi_weight = models.DecimalField(_("KPI share"), **SHARE, validators=UNIT)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("weight override")
        verbose_name_plural = _("weight overrides")
        constraints = [
            models.CheckConstraint(
                name="review_override_one_target",
                condition=(Q(department__isnull=False, position__isnull=True)
                           | Q(department__isnull=True, position__isnull=False))),
            models.UniqueConstraint(fields=["company", "department"],
                                    condition=Q(department__isnull=False),
                                    name="review_override_department_once"),
            models.UniqueConstraint(fields=["company", "position"],
                                    condition=Q(position__isnull=False),
                                    name="review_override_position_once"),
            models.CheckConstraint(condition=Q(okr_weight__lte=1) & Q(kpi_weight__lte=1),
                                   name="review_override_shares"),
        ]

    def __str__(self) -> str:
        return f"{self.department or self.position}: {self.okr_weight}/{self.kpi_weight}"


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Being set up")
    ASSESSMENT = "assessment", _("Assessments")
    CALIBRATION = "calibration", _("Calibration")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Scope(models.TextChoices):
    COMPANY = "company", _("Whole company")
    DEPARTMENTS = "departments", _("Departments")
    PEOPLE = "people", _("Chosen people")


class ReviewCycle(CompanyScoped, Versioned):
    """A review of one or more goal cycles for a set of people, with the steps the company
    chose. Opening it freezes the weights and the scoring settings it uses (`policy`)."""

    name = models.CharField(_("name"), max_length=80)
    goal_cycles = models.ManyToManyField("goals.Cycle", related_name="review_cycles",
                                         verbose_name=_("goal cycles"))
    scope = models.CharField(_("who is reviewed"), max_length=12, choices=Scope.choices,
                             default=Scope.COMPANY)
    departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                         verbose_name=_("departments"))
    people = models.ManyToManyField("org.Employee", blank=True, related_name="+",
                                    verbose_name=_("people"))
    self_assessment = models.BooleanField(_("self assessment"), default=True)
    peer_feedback = models.BooleanField(_("peer feedback"), default=False)
    calibration = models.BooleanField(_("calibration"), default=True)
    acknowledgement = models.BooleanField(_("employee acknowledgement"), default=True)
    self_deadline = models.DateField(_("self assessment due"), null=True, blank=True)
    manager_deadline = models.DateField(_("manager assessment due"), null=True, blank=True)
    calibration_deadline = models.DateField(_("calibration due"), null=True, blank=True)
    acknowledgement_deadline = models.DateField(_("acknowledgement due"), null=True,
                                                blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CycleStatus.choices,
                              default=CycleStatus.DRAFT)
    # The settings frozen when the cycle opened (`reviews.policy.freeze`).
    policy = models.JSONField(_("frozen settings"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="review_cycle_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    SELF = "self", _("Self assessment")
    MANAGER = "manager", _("Manager assessment")
    ASSESSED = "assessed", _("Assessed")
    PUBLISHED = "published", _("Published")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class Review(CompanyScoped, Versioned):
    """One person's review in a cycle. The weights are frozen when the cycle opens; the scores
    are recomputed from the goals and KPIs until the manager submits, then kept (`inputs` holds
    the figures used, so the explanation reads the same later)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reviews",
                              verbose_name=_("review cycle"))
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT,
                                 related_name="reviews", verbose_name=_("employee"))
    department = models.ForeignKey("org.Department", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("department"))
    reviewer = models.ForeignKey("org.Employee", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="reviews_to_give",
                                 verbose_name=_("reviewer"))
    stage = models.CharField(_("step"), max_length=12, choices=Stage.choices,
                             default=Stage.SELF)
    okr_weight = models.DecimalField(_("OKR share"), **SHARE, validators=UNIT)
    kpi_weight = models.DecimalField(_("KPI share"), **SHARE, validators=UNIT)
    weight_source = models.CharField(_("shares from"), max_length=120, blank=True)
    self_summary = models.TextField(_("self assessment"), blank=True, max_length=4000)
    self_submitted_at = models.DateTimeField(_("self assessment submitted"), null=True,
                                             blank=True)
    manager_summary = models.TextField(_("manager assessment"), blank=True, max_length=4000)
    manager_submitted_at = models.DateTimeField(_("manager assessment submitted"), null=True,
                                                blank=True)
    adjustment = models.DecimalField(_("adjustment"), **SCORE, default=Decimal("0"))
    adjustment_reason = models.CharField(_("reason for the adjustment"), max_length=500,
                                         blank=True)
    okr_score = models.DecimalField(_("OKR score"), **SCORE, null=True, blank=True,
                                    editable=False)
    kpi_score = models.DecimalField(_("KPI score"), **SCORE, null=True, blank=True,
                                    editable=False)
    final_score = models.DecimalField(_("final score"), **SCORE, null=True, blank=True,
                                      editable=False)
    # The grade the score gives, and the grade after calibration (the one that counts).
    calculated_grade = models.CharField(_("grade by score"), max_length=8, blank=True,
                                        editable=False)
    grade = models.CharField(_("grade"), max_length=8, blank=True, editable=False)
    grade_reason = models.CharField(_("reason for the grade"), max_length=500, blank=True,
                                    editable=False)
    inputs = models.JSONField(_("figures used"), default=dict, blank=True, editable=False)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True,
                                           editable=False)
    acknowledgement_comment = models.TextField(_("employee's comment"), blank=True,
                                               max_length=2000)
    history = HistoricalRecords(excluded_fields=["version", "inputs"])

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["cycle", "employee__employee_number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="review_once_per_cycle"),
            models.CheckConstraint(condition=Q(adjustment__gte=-50) & Q(adjustment__lte=50),
                                   name="review_adjustment_bounded"),
        ]
        indexes = [models.Index(fields=["company", "cycle", "stage"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.employee}"


class ObjectiveRating(CompanyScoped):
    """The manager's difficulty coefficient on one objective of the review, with its reason."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings",
                               verbose_name=_("review"))
    objective = models.ForeignKey("goals.Objective", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("objective"))
    difficulty = models.DecimalField(_("difficulty"), **SHARE, default=Decimal("1"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("difficulty rating")
        verbose_name_plural = _("difficulty ratings")
        constraints = [
            models.UniqueConstraint(fields=["review", "objective"], name="review_rating_once"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.objective_id}: {self.difficulty}"


class PeerFeedback(CompanyScoped):
    """Feedback a colleague gives on a review when the cycle asks for it (optional step)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="feedback",
                               verbose_name=_("review"))
    author = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("from"))
    strengths = models.TextField(_("strengths"), blank=True, max_length=2000)
    improvements = models.TextField(_("what to improve"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer feedback")
        verbose_name_plural = _("peer feedback")
        constraints = [
            models.UniqueConstraint(fields=["review", "author"], name="review_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} → {self.review_id}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Review opened")
    SELF_SUBMITTED = "self", _("Self assessment submitted")
    MANAGER_SUBMITTED = "manager", _("Manager assessment submitted")
    ADJUSTED = "adjusted", _("Score adjusted")
    DIFFICULTY = "difficulty", _("Difficulty set")
    GRADE_CHANGED = "grade", _("Grade changed in calibration")
    RETURNED = "returned", _("Sent back to the manager")
    PUBLISHED = "published", _("Result published")
    ACKNOWLEDGED = "acknowledged", _("Result acknowledged")


class ReviewEvent(CompanyScoped):
    """The review's history: every step, every adjustment and every calibration move, with who
    made it and why. Never edited."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("review"))
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    from_grade = models.CharField(_("from grade"), max_length=8, blank=True)
    to_grade = models.CharField(_("to grade"), max_length=8, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.review_id} {self.kind}"


from .models_bonus import *  # noqa: E402,F403
from .models_plans import *  # noqa: E402,F403
