"""Improvement plans: the company's rules (editable; the defaults of `reviews.improvement` are
seeded on first use), one plan per published review, and its items, which the manager and the
employee edit, agree and track to done. Open items carry into the next cycle's plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyScoped, Versioned

__all__ = ["RuleSubject", "RuleComparison", "ItemKind", "ImprovementRule", "PlanStatus",
           "ImprovementPlan", "ItemStatus", "ImprovementItem"]


class RuleSubject(models.TextChoices):
    KPI = "kpi", _("KPI")
    KEY_RESULT = "key_result", _("Key result")


class RuleComparison(models.TextChoices):
    BELOW = "below", _("below")
    AT_LEAST = "at_least", _("at least")
    BELOW_FLOOR = "below_floor", _("below its floor")


class ItemKind(models.TextChoices):
    IMPROVE = "improve", _("Improve")
    KEEP = "keep", _("Keep doing")


class ImprovementRule(CompanyScoped):
    subject = models.CharField(_("looks at"), max_length=12, choices=RuleSubject.choices)
    comparison = models.CharField(_("when the figure is"), max_length=12,
                                  choices=RuleComparison.choices)
    threshold = models.DecimalField(
        _("threshold"), max_digits=7, decimal_places=4, null=True, blank=True,
        help_text=_("KPIs: attainment (0.8 = 80 %). Key results: progress against what the "
                    "objective expects (0.5 = half of it)."))
    kind = models.CharField(_("item"), max_length=8, choices=ItemKind.choices)
    action = models.CharField(
        _("suggested action"), max_length=500,
        help_text=_("{name} is replaced by the KPI or key result, {value} by its figure."))
    course = models.CharField(_("suggested course"), max_length=200, blank=True)
    match_category = models.CharField(_("only KPIs of category"), max_length=40, blank=True)
    match_tag = models.CharField(_("only KPIs tagged"), max_length=40, blank=True)
    match_keyword = models.CharField(_("only names containing"), max_length=60, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100,
        help_text=_("Lower runs first; the first rule that matches a KPI or key result wins."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("improvement rule")
        verbose_name_plural = _("improvement rules")
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return self.action[:60]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    CLOSED = "closed", _("Closed")


class ImprovementPlan(CompanyScoped, Versioned):
    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE,
                                  related_name="plan", verbose_name=_("review"))
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE,
                                 related_name="improvement_plans", verbose_name=_("employee"))
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    manager_agreed_at = models.DateTimeField(_("agreed by the manager"), null=True,
                                             blank=True, editable=False)
    employee_agreed_at = models.DateTimeField(_("agreed by the employee"), null=True,
                                              blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.review)


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ImprovementItem(CompanyScoped):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="items",
                             verbose_name=_("plan"))
    kind = models.CharField(_("item"), max_length=8, choices=ItemKind.choices)
    title = models.CharField(_("about"), max_length=200)
    action = models.CharField(_("action"), max_length=500)
    course = models.CharField(_("suggested course"), max_length=200, blank=True)
    reason = models.CharField(_("why"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices,
                              default=ItemStatus.OPEN)
    due = models.DateField(_("due"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    rule = models.ForeignKey(ImprovementRule, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", editable=False)
    # The figure the item came from: ["kpi", assignment id, "0.8"] or ["key_result", id, ...].
    source = models.JSONField(_("from"), default=list, blank=True, editable=False)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="carried_to", editable=False,
                                     verbose_name=_("carried from"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("improvement item")
        verbose_name_plural = _("improvement items")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title

