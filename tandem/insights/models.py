"""What the reports keep: the synergy trend's figures of each ended week (`TrendWeek`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyScoped


class TrendWeek(CompanyScoped):
    """The synergy trend's figures at the end of one week of a cycle, for the whole company:
    each company objective's completion and each department's weighted KPI attainment, as
    `insights.synergy_trend` rebuilds them. Recorded the night after the week ends
    (`insights.services.record_trend_weeks`), so that the report reads the weeks gone by
    instead of rebuilding them on every request; forgotten again when figures dated in the
    week or before are entered or removed later (`kpis.signals.figures_backdated`), and then
    rebuilt. Decimals are kept as their text."""

    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("cycle"))
    week_end = models.DateField(_("end of the week"))
    # Company objective id (text) → completion ("0.4500").
    completion = models.JSONField(_("completion"), default=dict)
    # Department id (text) → weighted KPI attainment ("0.8123"), or None without figures.
    kpi_attainment = models.JSONField(_("KPI attainment"), default=dict)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("trend week")
        verbose_name_plural = _("trend weeks")
        ordering = ["cycle", "week_end"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "week_end"], name="insights_trend_week_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.week_end}"
