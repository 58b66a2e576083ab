"""The report is set-based: the same number of queries for one department and a few people
as for many (the report, the page, the API and the export)."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.testing import make_department, make_employee
from tandem.goals import services as goal_services
from tandem.goals.models import Level
from tandem.insights import synergy
from tandem.kpis import links
from tandem.kpis import services as kpi_services

from .conftest import TODAY


def _grow(org, goals, kpis, departments=3, people=4):
    """More departments under R&D, each with a department objective aligned to the company
    objective, people with an aligned objective, a key result and a linked KPI."""
    company = org.company
    for d in range(departments):
        department = make_department(company, f"组{d}", parent=org.rnd)
        with scope(company=company.pk):
            unit = goal_services.create_objective(
                company=company, cycle=goals.quarter, level=Level.DEPARTMENT,
                owner_department=department, title=f"Unit {d}", parent=goals.company)
        for p in range(people):
            person = make_employee(company, department)
            with scope(company=company.pk):
                objective = goal_services.create_objective(
                    company=company, cycle=goals.quarter, level=Level.INDIVIDUAL,
                    owner_employee=person, title=f"Person {d}.{p}", parent=unit)
                kr = goal_services.create_key_result(objective=objective, title="Deals",
                                                     target_value=Decimal("10"))
                assignment = kpi_services.assign(
                    cycle=goals.quarter, indicator=kpis.new_customers, target=Decimal("10"),
                    weight=Decimal("1"), employee=person)
                links.link(key_result=kr, assignment=assignment)
                goal_services.check_in(key_result=kr, value=Decimal(p), confidence=6)


def _count(callable_):
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_the_report_counts_the_same_queries_for_few_and_many(org, goals, kpis):
    with scope(company=org.company.pk):
        few = _count(lambda: synergy.build(goals.quarter, today=TODAY))
    _grow(org, goals, kpis)
    with scope(company=org.company.pk):
        many = _count(lambda: synergy.build(goals.quarter, today=TODAY))
        report = synergy.build(goals.quarter, today=TODAY)
    assert len(report.employees) == 14
    # 11 once the weeks gone by are recorded; two more once the weeks' activity is read
    assert few == many == 15


def test_page_api_and_export_count_the_same_queries_for_few_and_many(org, goals, kpis,
                                                                     client_as, api_as):
    hr = org.users["hr"]
    urls = [f"/insights/synergy/?cycle={goals.quarter.pk}",
            f"/insights/synergy/export/?cycle={goals.quarter.pk}",
            f"/insights/synergy/explain/?cycle={goals.quarter.pk}&figure=kpi&key={org.rnd.pk}"]
    api_url = f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}"
    client = client_as(hr)
    api = api_as(hr)

    def counts():
        out = []
        for url in urls:
            client.get(url)  # warm the session and the caches
            out.append(_count(lambda url=url: client.get(url)))
        api.get(api_url)
        out.append(_count(lambda: api.get(api_url)))
        return out

    few = counts()
    _grow(org, goals, kpis)
    assert counts() == few
