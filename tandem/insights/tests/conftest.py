"""A small hand-built company for the synergy report, on the fixtures of goals and kpis
(`goals.testing.make_goals`, `kpis.testing.make_kpis`), on 2026-11-15 (day 45 of the 91-day
quarter: the linear pace expects 45/91 = 0.4945).

- check-ins: company KR 250,000 of 1,000,000 (company objective 0.25), R&D KR 100,000 of
  500,000 (R&D objective 0.2), staff's KR 40 of 100 (0.4), peer's KR 4 of 10 (0.4);
- peer's NEW_CUST (target 10) takes its actual from peer's KR: 4, attainment 0.4;
- Platform holds INVOICES (target 200, weight 1) with its own figure 30 (2026-10-20) and
  staff's KR linked: own 0.15, KRs imply 40 → 0.2;
- staff's DEFECTS: 4 against 5, lower is better: 1.25, capped 1.2; R&D's SALES unmeasured."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scope

from tandem.goals import services as goal_services
from tandem.kpis import links
from tandem.kpis import services as kpi_services

TODAY = date(2026, 11, 15)


@dataclass
class Synergy:
    invoices: object  # Platform's assignment


@pytest.fixture
def synergy_company(org, goals, kpis, time_machine):
    time_machine.move_to("2026-11-15 10:00 +08:00", tick=False)
    with scope(company=org.company.pk):
        indicator = kpi_services.create_indicator(company=org.company, code="INVOICES",
                                                  name="开票数", name_en="Invoices")
        invoices = kpi_services.assign(cycle=goals.quarter, indicator=indicator,
                                       target=Decimal("200"), weight=Decimal("1"),
                                       department=org.platform)
        kpi_services.record_measurement(assignment=invoices, date=date(2026, 10, 20),
                                        value=Decimal("30"))
        links.link(key_result=goals.staff_kr, assignment=invoices)
        for kr, value in ((goals.company_kr, "250000"), (goals.rnd_kr, "100000"),
                          (goals.staff_kr, "40"), (goals.peer_kr, "4")):
            goal_services.check_in(key_result=kr, value=Decimal(value), confidence=7)
        invoices.refresh_from_db()
    return Synergy(invoices=invoices)
