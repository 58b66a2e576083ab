"""The company's review settings as `scoring.ScoringPolicy`, frozen into a cycle when it opens,
and the OKR/KPI shares each person gets: a position's override, else the nearest department's
(walking up the tree), else the company's (../shared/domain/okr-kpi.md, "Final score")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.org.models import Department

from . import scoring
from .models import ReviewSettings, WeightOverride


@dataclass(frozen=True)
class Frozen:
    """What a cycle scores with: the policy, the forced distribution and whether to use it."""

    policy: scoring.ScoringPolicy
    distribution: tuple[tuple[str, Decimal], ...]
    use_distribution: bool

    @property
    def grade_names(self) -> list[str]:
        return [band.grade for band in self.policy.grades]


def settings_for(company) -> ReviewSettings:
    """The company's settings row, or an unsaved one with the defaults."""
    row = ReviewSettings.objects.filter(company=company).first()
    return row if row is not None else ReviewSettings(company=company)


def _bands(rows) -> tuple[scoring.GradeBand, ...]:
    return tuple(scoring.GradeBand(str(grade), Decimal(str(minimum))) for grade, minimum in rows)


def _shares(rows) -> tuple[tuple[str, Decimal], ...]:
    return tuple((str(grade), Decimal(str(share))) for grade, share in rows)


def from_settings(row: ReviewSettings) -> Frozen:
    policy = scoring.ScoringPolicy(
        okr_weight=row.okr_weight, kpi_weight=row.kpi_weight,
        okr_score_cap=row.okr_score_cap, difficulty_min=row.difficulty_min,
        difficulty_max=row.difficulty_max, adjustment_limit=row.adjustment_limit,
        grades=_bands(row.grades))
    return Frozen(policy=policy, distribution=_shares(row.distribution),
                  use_distribution=row.use_distribution)


def freeze(row: ReviewSettings) -> dict:
    """The settings as JSON, stored on the cycle when it opens."""
    return {
        "okr_weight": str(row.okr_weight), "kpi_weight": str(row.kpi_weight),
        "okr_score_cap": str(row.okr_score_cap), "difficulty_min": str(row.difficulty_min),
        "difficulty_max": str(row.difficulty_max),
        "adjustment_limit": str(row.adjustment_limit),
        "grades": [[str(grade), str(minimum)] for grade, minimum in row.grades],
        "distribution": [[str(grade), str(share)] for grade, share in row.distribution],
        "use_distribution": bool(row.use_distribution),
    }


def thaw(data: dict) -> Frozen:
    """The frozen settings of a cycle; a cycle still being set up reads the defaults."""
    if not data:
        return from_settings(ReviewSettings())
    policy = scoring.ScoringPolicy(
        okr_weight=Decimal(data["okr_weight"]), kpi_weight=Decimal(data["kpi_weight"]),
        okr_score_cap=Decimal(data["okr_score_cap"]),
        difficulty_min=Decimal(data["difficulty_min"]),
        difficulty_max=Decimal(data["difficulty_max"]),
        adjustment_limit=Decimal(data["adjustment_limit"]), grades=_bands(data["grades"]))
    return Frozen(policy=policy, distribution=_shares(data["distribution"]),
                  use_distribution=bool(data["use_distribution"]))


def frozen_for(cycle) -> Frozen:
    return thaw(cycle.policy)


@dataclass(frozen=True)
class Shares:
    okr_weight: Decimal
    kpi_weight: Decimal
    source: str


class WeightResolver:
    """Every person's shares from the overrides and the department tree, read once (2
    queries)."""

    def __init__(self, company, row: ReviewSettings):
        self.default = Shares(row.okr_weight, row.kpi_weight, _("company setting"))
        self.parents: dict[int, int | None] = dict(
            Department.objects.filter(company=company).values_list("pk", "parent_id"))
        self.by_department: dict[int, WeightOverride] = {}
        self.by_position: dict[int, WeightOverride] = {}
        overrides = WeightOverride.objects.filter(company=company).select_related(
            "department", "position")
        for override in overrides:
            if override.position_id is not None:
                self.by_position[override.position_id] = override
            else:
                self.by_department[override.department_id] = override

    def shares(self, department_id: int | None, position_id: int | None) -> Shares:
        override = self.by_position.get(position_id)
        if override is not None:
            return Shares(override.okr_weight, override.kpi_weight,
                          _("position “%(name)s”") % {"name": override.position})
        seen: set[int] = set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            override = self.by_department.get(department_id)
            if override is not None:
                return Shares(override.okr_weight, override.kpi_weight,
                              _("department “%(name)s”") % {"name": override.department})
            department_id = self.parents.get(department_id)
        return self.default
