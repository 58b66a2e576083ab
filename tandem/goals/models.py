"""OKR: cycles, objectives, key results, milestones and check-ins. Progress is cached on key
results and objectives and recomputed by `goals.services` with the rules of `goals.progress`;
nobody types it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.core.models import CompanyScoped, Versioned

from .ambition import render_explanation
from .progress import MeasureType as Measure


class CycleKind(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("Half year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class CycleStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Cycle(CompanyScoped):
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=8, choices=CycleKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=8, choices=CycleStatus.choices,
                              default=CycleStatus.PLANNING)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("enclosing cycle"))

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="cycle_unique_name"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="cycle_ends_after_start"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="cycle_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    COMPANY = "company", _("Company")
    DEPARTMENT = "department", _("Department")
    INDIVIDUAL = "individual", _("Individual")


class ObjectiveKind(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    ASPIRATIONAL = "aspirational", _("Aspirational")


class ObjectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


WEIGHT = {"max_digits": 7, "decimal_places": 2, "default": Decimal("1")}
PROGRESS = {"max_digits": 7, "decimal_places": 4, "default": Decimal("0")}
VALUE = {"max_digits": 18, "decimal_places": 4}


class Objective(CompanyScoped, Versioned):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="objectives",
                              verbose_name=_("cycle"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    # A department or employee record is deleted only when it was entered by mistake (people
    # who worked here are marked as left); their objectives go with it, kept in the history.
    owner_department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, null=True, blank=True,
        related_name="objectives", verbose_name=_("owning department"))
    owner_employee = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, null=True, blank=True,
        related_name="objectives", verbose_name=_("owner"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    kind = models.CharField(_("kind"), max_length=12, choices=ObjectiveKind.choices,
                            default=ObjectiveKind.COMMITTED)
    weight = models.DecimalField(_("weight"), **WEIGHT,
                                 help_text=_("Weight among the owner's objectives."))
    status = models.CharField(_("status"), max_length=10, choices=ObjectiveStatus.choices,
                              default=ObjectiveStatus.DRAFT)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="children", verbose_name=_("aligned to"))
    progress = models.DecimalField(_("progress"), **PROGRESS, editable=False)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=2000,
                                      editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["cycle", "level", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level=Level.COMPANY, owner_department__isnull=True,
                             owner_employee__isnull=True)
                           | Q(level=Level.DEPARTMENT, owner_department__isnull=False,
                               owner_employee__isnull=True)
                           | Q(level=Level.INDIVIDUAL, owner_department__isnull=True,
                               owner_employee__isnull=False)),
                name="objective_owner_matches_level"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="objective_weight_positive"),
            models.CheckConstraint(condition=Q(progress__gte=0),
                                   name="objective_progress_not_negative"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="objective_not_own_parent"),
        ]
        indexes = [models.Index(fields=["company", "cycle", "level"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        if self.level == Level.INDIVIDUAL and self.owner_employee is not None:
            return self.owner_employee.display_name
        if self.level == Level.DEPARTMENT and self.owner_department is not None:
            return self.owner_department.display_name
        return str(self.company)


class MeasureType(models.TextChoices):
    NUMBER = Measure.NUMBER, _("Number")
    PERCENT = Measure.PERCENT, _("Percent")
    CURRENCY = Measure.CURRENCY, _("Currency")
    MILESTONE = Measure.MILESTONE, _("Milestones")
    BOOLEAN = Measure.BOOLEAN, _("Done / not done")


class KeyResult(CompanyScoped, Versioned):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE,
                                  related_name="key_results", verbose_name=_("objective"))
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey("org.Employee", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="key_results", verbose_name=_("owner"))
    measure_type = models.CharField(_("measure"), max_length=10, choices=MeasureType.choices,
                                    default=MeasureType.NUMBER)
    start_value = models.DecimalField(_("start"), **VALUE, default=Decimal("0"))
    target_value = models.DecimalField(_("target"), **VALUE, default=Decimal("1"))
    current_value = models.DecimalField(_("current"), **VALUE, default=Decimal("0"),
                                        editable=False)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight"), **WEIGHT)
    due = models.DateField(_("due date"), null=True, blank=True)
    progress = models.DecimalField(_("progress"), **PROGRESS, editable=False)
    parent_key_result = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="cascaded_key_results", verbose_name=_("cascaded from"))
    cascade_share = models.DecimalField(
        _("cascade share"), max_digits=7, decimal_places=6, null=True, blank=True,
        help_text=_("Share of the parent key result's target: target = parent target × share."))
    driven_by_objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="driven_key_results", verbose_name=_("progress from objective"),
        help_text=_("Take the progress of this aligned child objective instead of check-ins."))
    # The owner's plan of cumulative shares by date: [["2026-10-31", "0.25"], ...] (last share
    # 1); empty: linear over the cycle, or the milestones' due dates (kpis.pace).
    pace_plan = models.JSONField(_("pace plan"), default=list, blank=True)
    # The ambition guard (goals.ambition), assessed whenever the target is set: is the target
    # already promised by the key result's trend or its owner's past results?
    low_ambition = models.BooleanField(_("low ambition"), default=False, editable=False)
    # Why, as sentences put into words when read (`goals.ambition.render_explanation`).
    low_ambition_reasons = models.JSONField(_("why low ambition"), default=list, blank=True,
                                            editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["objective", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(target_value=F("start_value")),
                                   name="key_result_target_differs_from_start"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="key_result_weight_positive"),
            models.CheckConstraint(condition=Q(progress__gte=0),
                                   name="key_result_progress_not_negative"),
            models.CheckConstraint(
                condition=(Q(parent_key_result__isnull=True, cascade_share__isnull=True)
                           | Q(parent_key_result__isnull=False, cascade_share__gt=0,
                               cascade_share__lte=1)),
                name="key_result_cascade_share_with_parent"),
            models.CheckConstraint(condition=~Q(parent_key_result=F("id")),
                                   name="key_result_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def direction(self) -> str:
        """increase or decrease, from start and target."""
        return "decrease" if self.target_value < self.start_value else "increase"

    @property
    def low_ambition_explanation(self) -> str:
        """Why the target is flagged, in the reader's language; empty when it is not."""
        return render_explanation(self.low_ambition_reasons)


class TargetChangeKind(models.TextChoices):
    EASED = "eased", _("Eased")
    RAISED = "raised", _("Raised")


class TargetChangeSource(models.TextChoices):
    MANUAL = "manual", _("Changed by hand")
    CASCADE = "cascade", _("Cascaded from above")


class TargetChange(CompanyScoped):
    """One change of a key result's target, by hand or cascaded from the parent key result,
    with its reason and the ambition assessment of the new target: what a lead lists to see
    who eased what and why. Never edited."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE,
                                   related_name="target_changes", verbose_name=_("key result"))
    old_target = models.DecimalField(_("old target"), **VALUE)
    new_target = models.DecimalField(_("new target"), **VALUE)
    change = models.CharField(_("change"), max_length=8, choices=TargetChangeKind.choices)
    source = models.CharField(_("source"), max_length=8, choices=TargetChangeSource.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("changed by"))
    at = models.DateTimeField(_("time"), auto_now_add=True)
    low_ambition = models.BooleanField(_("low ambition"), default=False)
    low_ambition_reasons = models.JSONField(_("why low ambition"), default=list, blank=True)

    class Meta:
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(old_target=F("new_target")),
                                   name="target_change_changes_the_target"),
        ]
        indexes = [models.Index(fields=["key_result", "at"])]

    def __str__(self) -> str:
        return f"{self.key_result_id}: {self.old_target} → {self.new_target}"

    @property
    def low_ambition_explanation(self) -> str:
        """Why the target is flagged, in the reader's language; empty when it is not."""
        return render_explanation(self.low_ambition_reasons)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("target changes are never edited")
        super().save(*args, **kwargs)


class Milestone(CompanyScoped):
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="milestones",
                                   verbose_name=_("key result"))
    title = models.CharField(_("title"), max_length=200)
    weight = models.DecimalField(_("weight"), **WEIGHT)
    due = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="milestone_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class CheckIn(CompanyScoped):
    """A key result's new value (or a milestone's new state). Never edited: a correction is a
    new check-in."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins",
                                   verbose_name=_("key result"))
    value = models.DecimalField(_("value"), **VALUE, null=True, blank=True)
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="check_ins", verbose_name=_("milestone"))
    milestone_done = models.BooleanField(_("milestone done"), null=True, blank=True)
    progress = models.DecimalField(_("progress after"), **PROGRESS)
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("0 (no chance) to 10 (certain)."))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(confidence__lte=10),
                                   name="check_in_confidence_at_most_10"),
            models.CheckConstraint(
                condition=(Q(value__isnull=False, milestone__isnull=True,
                             milestone_done__isnull=True)
                           | Q(value__isnull=True, milestone__isnull=False,
                               milestone_done__isnull=False)),
                name="check_in_value_or_milestone"),
        ]
        indexes = [models.Index(fields=["key_result", "created_at"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("check-ins are never edited; record a new one")
        super().save(*args, **kwargs)


class Industry(models.TextChoices):
    SAAS = "saas", _("SaaS")
    ECOMMERCE = "ecommerce", _("E-commerce")
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")
    CUSTOMER_SUCCESS = "customer_success", _("Customer success")
    RND = "rnd", _("R&D")
    RECRUITING = "recruiting", _("Recruiting")
    FINANCE = "finance", _("Finance")
    GENERAL = "general", _("General")


class OkrTemplate(CompanyScoped):
    """An objective with its key results, ready to apply. The built-in library is copied into
    every company (`builtin_key` names the entry of `goals.template_library`); HR saves the
    company's own from existing objectives."""

    builtin_key = models.CharField(_("built-in key"), max_length=40, blank=True, editable=False)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices,
                                default=Industry.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    description_en = models.TextField(_("English description"), blank=True, max_length=4000)
    kind = models.CharField(_("kind"), max_length=12, choices=ObjectiveKind.choices,
                            default=ObjectiveKind.COMMITTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("OKR template")
        verbose_name_plural = _("OKR templates")
        ordering = ["industry", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "builtin_key"],
                                    condition=~Q(builtin_key=""),
                                    name="okr_template_unique_builtin_key"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def builtin(self) -> bool:
        return bool(self.builtin_key)

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def display_description(self) -> str:
        return _bilingual(self.description, self.description_en)


def _bilingual(chinese: str, english: str) -> str:
    """The English text when English is active and there is one, else the Chinese."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese or english


class OkrTemplateKeyResult(CompanyScoped):
    template = models.ForeignKey(OkrTemplate, on_delete=models.CASCADE,
                                 related_name="key_results", verbose_name=_("template"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    measure_type = models.CharField(_("measure"), max_length=10, choices=MeasureType.choices,
                                    default=MeasureType.NUMBER)
    start_value = models.DecimalField(_("start"), **VALUE, default=Decimal("0"))
    target_value = models.DecimalField(_("target"), **VALUE, default=Decimal("1"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_en = models.CharField(_("English unit"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight"), **WEIGHT)
    # Milestone key results: [{"title": ..., "title_en": ...}, ...] in order.
    milestones = models.JSONField(_("milestones"), default=list, blank=True)

    class Meta:
        verbose_name = _("template key result")
        verbose_name_plural = _("template key results")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(target_value=F("start_value")),
                                   name="template_key_result_target_differs_from_start"),
            models.CheckConstraint(condition=Q(weight__gt=0),
                                   name="template_key_result_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def display_unit(self) -> str:
        return _bilingual(self.unit, self.unit_en)

    def milestone_titles(self) -> list[str]:
        return [_bilingual(m.get("title", ""), m.get("title_en", "")) for m in self.milestones]
