"""Pace and alert tracking: the company's settings, the risk state of every tracked item (a key
result or a KPI assignment) as the daily evaluation left it (`kpis.risk`), and the confidence
calibration of each person in each closed cycle (`kpis.calibration`)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyScoped

__all__ = ["TrackingSettings", "ItemKind", "RiskState", "CalibrationScore"]


class TrackingSettings(CompanyScoped):
    """One row per company (missing: the defaults of ../shared/domain/okr-kpi.md)."""

    risk_margin = models.DecimalField(
        _("risk margin"), max_digits=5, decimal_places=4, default=Decimal("0.2"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("At risk when progress is below the expected pace by more than this share "
                    "(0.2 = 20 %)."))
    low_confidence = models.PositiveSmallIntegerField(
        _("low confidence"), default=4, validators=[MaxValueValidator(10)],
        help_text=_("At risk when the latest confidence (0–10) is at most this."))
    stale_days = models.PositiveSmallIntegerField(
        _("days without update"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("At risk when nobody checked in or measured for this many days."))
    weekly_alert_cap = models.PositiveSmallIntegerField(
        _("alerts per person per week"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Alerts beyond this number in 7 days are grouped into one digest."))
    escalation_grace_days = models.PositiveSmallIntegerField(
        _("days before escalation"), default=7,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("An item still at risk with no update this many days after its alert is "
                    "escalated once to the next leader up."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tracking settings")
        verbose_name_plural = _("tracking settings")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="kpi_tracking_settings_once"),
        ]

    def __str__(self) -> str:
        return f"tracking settings of {self.company_id}"


class ItemKind(models.TextChoices):
    KEY_RESULT = "key_result", _("Key result")
    ASSIGNMENT = "assignment", _("KPI assignment")


class RiskState(CompanyScoped):
    """The latest risk verdict on one item; `since` is when it took this state. `reasons`
    ([msgid, params] sentences, rendered when read in the reader's language), `expected` and
    `progress` are as of the last change of verdict or of reasons, not rewritten every day."""

    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    item_id = models.PositiveBigIntegerField(_("item"))
    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("cycle"))
    # Whom it concerns, for the risk list: the owner (a person) and the department whose
    # leaders see it (the owner's, or the owning department).
    owner = models.ForeignKey("org.Employee", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    department = models.ForeignKey("org.Department", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("department"))
    at_risk = models.BooleanField(_("at risk"), default=False)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    expected = models.DecimalField(_("expected progress"), max_digits=7, decimal_places=4,
                                   default=Decimal("0"))
    progress = models.DecimalField(_("progress"), max_digits=7, decimal_places=4,
                                   default=Decimal("0"))
    since = models.DateField(_("since"))
    last_alerted_at = models.DateTimeField(_("last alerted"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk state")
        verbose_name_plural = _("risk states")
        ordering = ["kind", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "item_id"],
                                    name="kpi_risk_state_once"),
        ]
        indexes = [models.Index(fields=["company", "at_risk", "since"],
                                name="kpi_risk_state_list")]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id}: {'at risk' if self.at_risk else 'on track'}"

    @property
    def explanation(self) -> str:
        from tandem.goals.ambition import render_explanation

        return render_explanation(self.reasons)


class CalibrationScore(CompanyScoped):
    """How well a person's check-in confidences foretold their key results in a closed cycle:
    the Brier score (0 perfect, 1 worst; 0.25 is always saying 5/10)."""

    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE,
                              related_name="calibration_scores", verbose_name=_("cycle"))
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE,
                                 related_name="calibration_scores", verbose_name=_("employee"))
    brier = models.DecimalField(_("Brier score"), max_digits=6, decimal_places=4)
    forecasts = models.PositiveIntegerField(_("check-ins scored"))
    key_results = models.PositiveIntegerField(_("key results"))
    reached = models.PositiveIntegerField(_("key results reached"))
    mean_confidence = models.DecimalField(_("mean confidence"), max_digits=5, decimal_places=2)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("confidence calibration")
        verbose_name_plural = _("confidence calibrations")
        ordering = ["cycle", "brier", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="kpi_calibration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} in {self.cycle_id}: {self.brier}"


def _score_closed_cycle(sender, **kwargs) -> None:
    from .services_calibration import on_cycle_saved

    on_cycle_saved(sender, **kwargs)


# A goal cycle saved closed gets its confidence calibration scored (kpis.services_calibration).
models.signals.post_save.connect(_score_closed_cycle, sender="goals.Cycle",
                                 dispatch_uid="kpis_score_closed_cycle")
