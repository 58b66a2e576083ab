"""The synergy report's own rules: pure functions over Decimals, no ORM (the figures they
combine come from `kpis.attainment`, `kpis.compute` and `goals.progress`).

- `expected_share`: how far along its target a KPI is expected to be on a day, by
  `kpis.pace.expected` (the rule of the daily risk evaluation): the owner's pace plan
  (cumulative shares by date, straight lines between the plan's points from 0 at the cycle
  start, the last share from its date on), or linear over the cycle without a plan.
- `support_verdict`: "KR progress supports KPI". The KPI's actual that its linked key results
  imply (the actual itself when the KPI takes it from its key results, else the figure the
  key results alone add up to, `linked_actual`) is turned into progress towards the target
  with `kpis.attainment.progress_towards`. With `p` that progress, `e` the expected share on
  the day and `m` the company's risk margin (the KPI tracking settings' `risk_margin`,
  default 0.2, as `kpis.risk` uses it):
  yes when `p ≥ e`; at risk when `e × (1 − m) ≤ p < e`; no when `p < e × (1 − m)`;
  "no link" when no key result feeds the KPI.
- `worst`: a person's verdict is the worst of their linked KPIs' (no, then at risk, then yes);
  "no link" when none of their KPIs has a linked key result.
- `weighted_mean`: Σ wᵢ·aᵢ / Σ wᵢ over the figures that exist, four places half-up; None when
  there is none (`mean_of` divides sums kept elsewhere by the same rule).
- `attainment_of`: `kpis.attainment.evaluate(...).attainment` without building the explanation
  sentences, for the many figures the report reads but does not explain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tandem.kpis import attainment as kpi_rules
from tandem.kpis import pace

ZERO = Decimal(0)
ONE = Decimal(1)
PLACES = Decimal("0.0001")

YES = "yes"
AT_RISK = "at_risk"
NO = "no"
NO_LINK = "no_link"
VERDICTS = (YES, AT_RISK, NO, NO_LINK)
# Worst first: a person's verdict is the first of these any of their linked KPIs has.
_SEVERITY = {NO: 0, AT_RISK: 1, YES: 2}


def quantize(value: Decimal) -> Decimal:
    return Decimal(value).quantize(PLACES, rounding=ROUND_HALF_UP)


def expected_share(plan: Sequence[Sequence], start: date, end: date, at: date) -> Decimal:
    """The share of the target expected by `at`: `kpis.pace.expected`, the one pace rule the
    daily risk evaluation uses too (the owner's plan interpolated between its points, else
    linear over the cycle)."""
    return pace.expected(start, end, at, plan=plan)


def support_verdict(progress: Decimal | None, expected: Decimal, margin: Decimal) -> str:
    """yes / at_risk / no for a KPI with linked key results; `progress` None means no link."""
    if progress is None:
        return NO_LINK
    if progress >= expected:
        return YES
    if progress >= expected * (ONE - margin):
        return AT_RISK
    return NO


def worst(verdicts: Iterable[str]) -> str:
    linked = [verdict for verdict in verdicts if verdict != NO_LINK]
    if not linked:
        return NO_LINK
    return min(linked, key=_SEVERITY.__getitem__)


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Σ w·a / Σ w over the (weight, figure) pairs whose figure is not None."""
    total = ZERO
    weighted = ZERO
    for weight, figure in pairs:
        if figure is None:
            continue
        total += weight
        weighted += weight * figure
    return mean_of(weighted, total)


def mean_of(weighted: Decimal, total: Decimal) -> Decimal | None:
    """Σ w·a / Σ w from the two sums, four places half-up; None when no weight is counted."""
    if total == ZERO:
        return None
    return quantize(weighted / total)


def attainment_of(actual: Decimal | None, target: Decimal, rule: kpi_rules.Rule
                  ) -> Decimal | None:
    """The attainment `kpis.attainment.evaluate` gives, without its explanation: for the ratio
    family and the banded rule it is the raw attainment (`progress_towards`, already kept at
    0 and above and rounded to four places) capped at the rule's cap, which has four places
    itself, so rounding before or after the cap is the same; other cases ask `evaluate`."""
    if actual is None:
        return None
    if rule.kind == kpi_rules.RuleKind.PENALTY or target == ZERO:
        return kpi_rules.evaluate(actual, target, rule).attainment
    raw = kpi_rules.progress_towards(actual, target, rule)
    return quantize(min(raw, rule.cap)) if rule.capped else raw
