"""OKR fixtures for tests and the access matrix, built on `core.testing.Org` through the
services, the way production code writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django_scopes import scope

from . import services
from .models import Cycle, KeyResult, Level, Objective


@dataclass
class Goals:
    """One active quarter inside its year. company (O) ← rnd (department O of R&D, led by
    lead) ← staff (individual O of staff); peer's objective is an orphan. Each objective has
    one number key result; the R&D key result is cascaded from the company one (share 0.5)."""

    year: Cycle
    quarter: Cycle
    company: Objective
    rnd: Objective
    staff: Objective
    peer: Objective
    company_kr: KeyResult
    rnd_kr: KeyResult
    staff_kr: KeyResult
    peer_kr: KeyResult


def make_goals(org, *, quarter_start: date = date(2026, 10, 1)) -> Goals:
    company = org.company
    with scope(company=company.pk):
        year = services.create_cycle(company=company, name=f"{quarter_start.year}", kind="year",
                                     start=date(quarter_start.year, 1, 1),
                                     end=date(quarter_start.year, 12, 31), status="active")
        month = quarter_start.month + 3
        quarter_end = date(quarter_start.year + (month > 12), (month - 1) % 12 + 1, 1) \
            - timedelta(days=1)
        quarter = services.create_cycle(
            company=company, name=f"{quarter_start.year}-Q{(quarter_start.month - 1) // 3 + 1}",
            kind="quarter", start=quarter_start, end=quarter_end,
            status="active", parent=year)
        top = services.create_objective(company=company, cycle=quarter, level=Level.COMPANY,
                                        title="Grow revenue")
        rnd = services.create_objective(company=company, cycle=quarter, level=Level.DEPARTMENT,
                                        owner_department=org.rnd, title="Ship the platform",
                                        parent=top)
        staff = services.create_objective(company=company, cycle=quarter,
                                          level=Level.INDIVIDUAL,
                                          owner_employee=org.employees["staff"],
                                          title="Build the billing service", parent=rnd)
        peer = services.create_objective(company=company, cycle=quarter, level=Level.INDIVIDUAL,
                                         owner_employee=org.employees["peer"],
                                         title="Win new customers")
        company_kr = services.create_key_result(objective=top, title="Revenue",
                                                target_value=Decimal("1000000"), unit="CNY",
                                                measure_type="currency")
        rnd_kr = services.create_key_result(objective=rnd, title="Platform revenue",
                                            measure_type="currency", unit="CNY",
                                            parent_key_result=company_kr,
                                            cascade_share=Decimal("0.5"))
        staff_kr = services.create_key_result(objective=staff, title="Invoices sent",
                                              target_value=Decimal("100"))
        peer_kr = services.create_key_result(objective=peer, title="New customers",
                                             target_value=Decimal("10"))
    return Goals(year=year, quarter=quarter, company=top, rnd=rnd, staff=staff, peer=peer,
                 company_kr=company_kr, rnd_kr=rnd_kr, staff_kr=staff_kr, peer_kr=peer_kr)
