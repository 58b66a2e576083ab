"""KPI fixtures for tests and the access matrix, built on `core.testing.Org` and
`goals.testing.Goals` through the services, the way production code writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django_scopes import scope

from . import links, services
from .models import Assignment, Indicator, KeyResultLink, Measurement


@dataclass
class Kpis:
    """In the goals fixture's quarter (2026-Q4):

    - sales (SALES, CNY, sum, ratio), defects (DEFECTS, lower is better, inverse ratio, last),
      new_customers (NEW_CUST, no unit, sum, ratio);
    - staff holds defects (weight 1; measured 4 on 2026-10-15); peer holds new_customers
      (weight 1), fed by peer's key result "New customers" (link `peer_link`); R&D (the
      department) holds sales (weight 1)."""

    sales: Indicator
    defects: Indicator
    new_customers: Indicator
    staff: Assignment
    peer: Assignment
    rnd: Assignment
    peer_link: KeyResultLink
    staff_measurement: Measurement


def make_kpis(org, goals=None) -> Kpis:
    if goals is None:
        goals = getattr(org, "goals", None)
    if goals is None:
        from tandem.goals.testing import make_goals

        goals = make_goals(org)
    company = org.company
    with scope(company=company.pk):
        sales = services.create_indicator(company=company, code="SALES", name="销售额",
                                          name_en="Sales", unit="CNY", aggregation="sum")
        defects = services.create_indicator(company=company, code="DEFECTS", name="缺陷数",
                                            name_en="Defects", direction="lower",
                                            rule="inverse_ratio", aggregation="last")
        new_customers = services.create_indicator(company=company, code="NEW_CUST",
                                                  name="新客户数", name_en="New customers",
                                                  aggregation="sum")
        quarter = goals.quarter
        staff = services.assign(cycle=quarter, indicator=defects, target=Decimal("5"),
                                weight=Decimal("1"), employee=org.employees["staff"])
        peer = services.assign(cycle=quarter, indicator=new_customers, target=Decimal("10"),
                               weight=Decimal("1"), employee=org.employees["peer"])
        rnd = services.assign(cycle=quarter, indicator=sales, target=Decimal("500000"),
                              weight=Decimal("1"), department=org.rnd)
        peer_link = links.link(key_result=goals.peer_kr, assignment=peer)
        staff_measurement = services.record_measurement(
            assignment=staff, date=date(2026, 10, 15), value=Decimal("4"))
    return Kpis(sales=sales, defects=defects, new_customers=new_customers, staff=staff,
                peer=peer, rnd=rnd, peer_link=peer_link, staff_measurement=staff_measurement)
