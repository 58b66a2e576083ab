"""Performance bonuses: the company's policies (a formula in `reviews.formula`'s language, the
bonus amounts it may use, a threshold, a cap and a budget, for the whole company or one
department or position) and the awards a review cycle's figures give, which HR approves into
pay items (`pay.PayItem`, source "review")."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.core.models import CompanyScoped, Versioned

__all__ = ["BonusPolicy", "AwardStatus", "BonusAward"]

MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(0)]


class BonusPolicy(CompanyScoped, Versioned):
    name = models.CharField(_("name"), max_length=80)
    formula = models.TextField(_("formula"), max_length=1000)
    base_bonus = models.DecimalField(_("base bonus"), **MONEY, validators=POSITIVE)
    extra_bonus = models.DecimalField(_("extra bonus"), **MONEY, default=0, validators=POSITIVE)
    minimum_final_score = models.DecimalField(
        _("lowest final score paid"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Below this final score there is no bonus; empty: no threshold."))
    cap = models.DecimalField(_("most per person"), **MONEY, null=True, blank=True,
                              validators=POSITIVE)
    budget = models.DecimalField(_("budget"), **MONEY, null=True, blank=True,
                                 validators=POSITIVE)
    # Blank both: the company's policy. Otherwise it applies to one department (and those
    # below it) or one position, the position's first.
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="+", verbose_name=_("department"))
    position = models.ForeignKey("org.Position", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="+", verbose_name=_("position"))
    active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("bonus policy")
        verbose_name_plural = _("bonus policies")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="bonus_policy_unique_name"),
            models.CheckConstraint(condition=Q(department__isnull=True) | Q(position__isnull=True),
                                   name="bonus_policy_one_scope"),
        ]

    def __str__(self) -> str:
        return self.name


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")


class BonusAward(CompanyScoped):
    """The bonus one review gives under one policy. Approving a cycle's awards turns each
    non-zero one into a pay item of the chosen month; the explanation goes with it."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE,
                                  related_name="bonus", verbose_name=_("review"))
    policy = models.ForeignKey(BonusPolicy, on_delete=models.PROTECT, related_name="awards",
                               verbose_name=_("policy"))
    amount = models.DecimalField(_("bonus"), **MONEY)
    raw = models.DecimalField(_("formula result"), **MONEY)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=AwardStatus.choices,
                              default=AwardStatus.PROPOSED)
    month = models.DateField(_("paid in month"), null=True, blank=True)
    annual_bonus = models.BooleanField(_("as the annual one-time bonus"), default=False)
    pay_item = models.OneToOneField("pay.PayItem", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="bonus_award", editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+", editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("bonus award")
        verbose_name_plural = _("bonus awards")
        ordering = ["review__employee__employee_number", "pk"]

    def __str__(self) -> str:
        return f"{self.review} {self.amount}"
