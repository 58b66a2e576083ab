"""Social insurance and housing fund contributions (五险一金): pure functions over dataclasses
and Decimals, no ORM. The figures (rates, base floor and ceiling, fixed amounts, rounding) are
city data with effective dates kept by `pay.models.CityPolicy`, which hands them here as
`SchemeRule`s; this module only applies them. Rules: ../shared/domain/china-payroll-labour.md §3.

Explanations are plain data (figure name -> value) that the pages label and translate; no
sentence is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from enum import StrEnum

ZERO = Decimal(0)
FEN = Decimal("0.01")
JIAO = Decimal("0.1")
YUAN = Decimal("1")


class Rounding(StrEnum):
    """How a city rounds each contribution. National law is silent, so this is per city and
    per scheme (§3.3): 0.01 half-up is common; Shanghai historically rounded social insurance
    up to the jiao (见分进角) and rounds the housing fund to the whole yuan, half-up."""

    HALF_UP_FEN = "half_up_fen"
    UP_JIAO = "up_jiao"
    HALF_UP_JIAO = "half_up_jiao"
    HALF_UP_YUAN = "half_up_yuan"
    UP_YUAN = "up_yuan"


_ROUNDING_STEPS: dict[Rounding, tuple[Decimal, str]] = {
    Rounding.HALF_UP_FEN: (FEN, ROUND_HALF_UP),
    Rounding.UP_JIAO: (JIAO, ROUND_UP),
    Rounding.HALF_UP_JIAO: (JIAO, ROUND_HALF_UP),
    Rounding.HALF_UP_YUAN: (YUAN, ROUND_HALF_UP),
    Rounding.UP_YUAN: (YUAN, ROUND_UP),
}


def round_amount(amount: Decimal, rounding: Rounding | str) -> Decimal:
    """`amount` rounded to the unit of `rounding`, always returned with two decimal places
    (money is stored to the fen). "Up" rounds away from zero: 12.301 -> 12.40 (up_jiao)."""
    unit, mode = _ROUNDING_STEPS[Rounding(rounding)]
    return amount.quantize(unit, rounding=mode).quantize(FEN)


class Scheme(StrEnum):
    # Social Insurance Law Art. 10/12 (pension), 23 (medical), 33 (work injury, employer
    # only), 44 (unemployment), 53 (maternity, employer only); 住房公积金管理条例 (housing fund).
    PENSION = "pension"
    MEDICAL = "medical"
    UNEMPLOYMENT = "unemployment"
    WORK_INJURY = "work_injury"
    MATERNITY = "maternity"
    HOUSING_FUND = "housing_fund"
    SUPPLEMENTARY_HOUSING_FUND = "supplementary_housing_fund"


@dataclass(frozen=True)
class SchemeRule:
    """One scheme's rule in one city for one period. Rates are Decimal fractions (0.08).
    Who pays is data: work injury and maternity carry `employee_rate=0` (Social Insurance Law
    Art. 33, 53). `base_floor` / `base_ceiling` None means no bound on that side. The fixed
    amounts are added after the rate, e.g. Beijing's 3 CNY/month serious-illness medical
    insurance (大病) on the employee side. For the housing fund the rates are the rate the
    employer chose inside the legal band (validated where the policy is stored)."""

    scheme: Scheme
    employee_rate: Decimal
    employer_rate: Decimal
    base_floor: Decimal | None
    base_ceiling: Decimal | None
    employee_fixed: Decimal = ZERO
    employer_fixed: Decimal = ZERO
    rounding: Rounding = Rounding.HALF_UP_FEN


@dataclass(frozen=True)
class Contribution:
    """One scheme's contribution for one month. `declared_base` is the wage base the employee
    declared (previous-year average monthly wage, or the first month's wage for a new hire);
    `base` is that base clamped to the scheme's floor and ceiling (国办发〔2019〕13号: 60 %
    to 300 % of the local average wage, published by each city)."""

    scheme: Scheme
    declared_base: Decimal
    base: Decimal
    employee_amount: Decimal
    employer_amount: Decimal
    explanation: dict[str, object] = field(default_factory=dict, compare=False)


class BaseClamp(StrEnum):
    NONE = "none"
    FLOOR = "floor"
    CEILING = "ceiling"


def clamp_base(declared_base: Decimal, rule: SchemeRule) -> tuple[Decimal, BaseClamp]:
    """The contribution base inside [floor, ceiling] and which bound, if any, applied."""
    if rule.base_floor is not None and declared_base < rule.base_floor:
        return rule.base_floor, BaseClamp.FLOOR
    if rule.base_ceiling is not None and declared_base > rule.base_ceiling:
        return rule.base_ceiling, BaseClamp.CEILING
    return declared_base, BaseClamp.NONE


def contribution(*, base: Decimal, rule: SchemeRule) -> Contribution:
    """base -> clamped base -> each side's share = clamped base × rate + fixed amount, rounded
    by the scheme's rounding (each side rounded on its own, §3.3)."""
    clamped, clamp = clamp_base(base, rule)
    employee_exact = clamped * rule.employee_rate + rule.employee_fixed
    employer_exact = clamped * rule.employer_rate + rule.employer_fixed
    employee_amount = round_amount(employee_exact, rule.rounding)
    employer_amount = round_amount(employer_exact, rule.rounding)
    explanation: dict[str, object] = {
        "declared_base": base,
        "base_floor": rule.base_floor,
        "base_ceiling": rule.base_ceiling,
        "clamp": clamp.value,
        "base": clamped,
        "employee_rate": rule.employee_rate,
        "employee_fixed": rule.employee_fixed,
        "employee_exact": employee_exact,
        "employer_rate": rule.employer_rate,
        "employer_fixed": rule.employer_fixed,
        "employer_exact": employer_exact,
        "rounding": Rounding(rule.rounding).value,
        "employee_amount": employee_amount,
        "employer_amount": employer_amount,
    }
    return Contribution(
        scheme=Scheme(rule.scheme),
        declared_base=base,
        base=clamped,
        employee_amount=employee_amount,
        employer_amount=employer_amount,
        explanation=explanation,
    )


def contributions(*, base: Decimal, rules: Sequence[SchemeRule]) -> list[Contribution]:
    """Every scheme's contribution on the same declared base, in the order of `rules`. A city
    whose schemes use different bases (Guangdong/Shenzhen) gives each rule its own floor and
    ceiling; callers with different declared bases per scheme call `contribution` per rule."""
    if base < ZERO:
        raise ValueError("a contribution base cannot be negative")
    return [contribution(base=base, rule=rule) for rule in rules]


def housing_fund_due(*, join_date: date, month_start: date, transferred_account: bool) -> bool:
    """Whether the housing fund is paid for the month that starts on `month_start`.

    住房公积金管理条例 Art. 17 (新参加工作的职工从参加工作的第二个月开始缴存住房公积金; 单位
    新调入的职工从调入单位发放工资之日起缴存): a new starter pays from the second month of
    work; a worker who transfers in with an existing account pays from the first month.
    """
    join_month = date(join_date.year, join_date.month, 1)
    month = date(month_start.year, month_start.month, 1)
    if month < join_month:
        return False
    if transferred_account:
        return True
    return month > join_month
