"""The OKR defaults Tandem ships (../shared/domain/okr-kpi.md). Each number is a named company
setting; the explanations shown to users print the value used."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class GoalsPolicy:
    # Progress above 1 is overachievement, counted up to this cap.
    kr_progress_cap: Decimal = Decimal("1.5")
    # Committed objectives are expected to reach 1.0, aspirational ones 0.7 (Google re:Work).
    committed_expectation: Decimal = Decimal("1.0")
    aspirational_expectation: Decimal = Decimal("0.7")
    # At risk when progress < expected × (1 − risk_margin) ...
    risk_margin: Decimal = Decimal("0.2")
    # ... or the latest confidence is at most this (0–10 scale) ...
    low_confidence: int = 4
    # ... or nobody checked in for this many days.
    stale_days: int = 14


DEFAULT_POLICY = GoalsPolicy()

SETTING_EXPLANATIONS = {
    "kr_progress_cap": _("Key result progress may exceed 1 (overachievement) up to this cap."),
    "committed_expectation": _("Progress a committed objective is expected to reach."),
    "aspirational_expectation": _("Progress an aspirational objective is expected to reach."),
    "risk_margin": _("A key result is at risk when its progress is below the expected pace "
                     "by more than this share."),
    "low_confidence": _("A key result is at risk when the latest confidence is at most this."),
    "stale_days": _("A key result is at risk when nobody checked in for this many days."),
}


def policy_for(company) -> GoalsPolicy:
    """The company's OKR settings: the risk rule from its tracking settings (kpis, one query
    the first time, then kept on the company object for the rest of the request or task), the
    other numbers the shipped defaults."""
    if company is None:
        return DEFAULT_POLICY
    cached = getattr(company, _CACHE, None)
    if cached is None:
        cached = _read(company)
        setattr(company, _CACHE, cached)
    return cached


def forget_policy(company) -> None:
    """Drop the policy kept on this company object (after its settings changed)."""
    if company is not None and hasattr(company, _CACHE):
        delattr(company, _CACHE)


_CACHE = "_tandem_goals_policy"


def _read(company) -> GoalsPolicy:
    from tandem.kpis.models_tracking import TrackingSettings

    row = (TrackingSettings.objects.with_scope(company=company.pk)
           .filter(company_id=company.pk)
           .values("risk_margin", "low_confidence", "stale_days").first())
    if row is None:
        return DEFAULT_POLICY
    return replace(DEFAULT_POLICY, **row)
