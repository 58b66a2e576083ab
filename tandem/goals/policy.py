"""The OKR defaults Tandem ships (../shared/domain/okr-kpi.md). Each number is a named company
setting; the explanations shown to users print the value used."""

from dataclasses import dataclass
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
    """The company's OKR settings; every company uses the shipped defaults for now."""
    return DEFAULT_POLICY
