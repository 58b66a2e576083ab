"""A Shanghai employee's month as calculation inputs, for tests and the benchmark: the city
figures of 2025-07-01 → 2026-06-30 (domain reference §3.2; in production they come from the
`CityPolicy` rows, never from here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from tandem.pay.social import Rounding, Scheme, SchemeRule

from .inputs import PayMonth, PayslipInput, SocialInsurance, TaxInputs

SHANGHAI_SI_FLOOR = Decimal("7460")
SHANGHAI_SI_CEILING = Decimal("37302")
SHANGHAI_MINIMUM_WAGE = Decimal("2740")  # from 2025-07-01


def shanghai_rules(housing_fund_rate: Decimal = Decimal("0.07")) -> tuple[SchemeRule, ...]:
    """Pension 8/16, medical 2/9, unemployment 0.5/0.5, work injury class I 0/0.2 % on
    7,460 – 37,302; housing fund at `housing_fund_rate` both sides on 2,690 – 37,302, rounded
    to the yuan (§3.3)."""
    def insurance(scheme, employee, employer):
        return SchemeRule(scheme, Decimal(employee), Decimal(employer), SHANGHAI_SI_FLOOR,
                          SHANGHAI_SI_CEILING)
    return (
        insurance(Scheme.PENSION, "0.08", "0.16"),
        insurance(Scheme.MEDICAL, "0.02", "0.09"),
        insurance(Scheme.UNEMPLOYMENT, "0.005", "0.005"),
        insurance(Scheme.WORK_INJURY, "0", "0.002"),
        SchemeRule(Scheme.HOUSING_FUND, housing_fund_rate, housing_fund_rate, Decimal("2690"),
                   SHANGHAI_SI_CEILING, rounding=Rounding.HALF_UP_YUAN),
    )


def shanghai_month(year: int = 2026, month: int = 5, *, base_wage: Decimal = Decimal("20000"),
                   declared_base: Decimal | None = None, months_employed: int | None = None,
                   join_date: date = date(2020, 3, 1), **overrides) -> PayslipInput:
    """A full month of a long-serving Shanghai employee: base wage, contributions on the same
    declared base, housing fund due, no earlier tax figures (override `tax` for them)."""
    data = PayslipInput(
        month=PayMonth(year, month), join_date=join_date, base_wage=base_wage,
        social=SocialInsurance(declared_base=base_wage if declared_base is None
                               else declared_base, rules=shanghai_rules()),
        tax=TaxInputs(months_employed=month if months_employed is None else months_employed),
        minimum_wage=SHANGHAI_MINIMUM_WAGE,
    )
    return replace(data, **overrides)
