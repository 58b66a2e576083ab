"""Alignment coverage (okr-kpi.md): objective coverage and people coverage, for the company and
each department, in a constant number of queries; in the API and on the tree page."""

from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.goals import alignment, services
from tandem.goals.models import Level


@pytest.fixture
def built(org, goals):
    """On top of make_goals (rnd → company, staff → rnd, peer orphan): lead aligned to the
    year's company objective, a second orphan of peer, Sales aligned to nothing, and an
    objective of another cycle that must not count."""
    with scope(company=org.company.pk):
        new = services.create_objective
        c = org.company
        yearly = new(company=c, cycle=goals.year, level=Level.COMPANY, title="Year")
        new(company=c, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["lead"], title="Lead's", parent=yearly)
        new(company=c, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["peer"], title="Peer's second")
        sales = new(company=c, cycle=goals.quarter, level=Level.DEPARTMENT,
                    owner_department=org.sales, title="Sales'")
        new(company=c, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["hr"], title="HR's", parent=sales)
        new(company=c, cycle=goals.year, level=Level.INDIVIDUAL,
            owner_employee=org.employees["peer"], title="Peer's yearly", parent=yearly)
    return goals


def _figures(coverage):
    return (coverage.objectives, coverage.aligned_objectives, len(coverage.people),
            len(coverage.aligned_people), coverage.objective_coverage, coverage.people_coverage)


def test_coverage_of_the_company_and_each_department(org, built, scoped):
    report = alignment.coverage(built.quarter)
    # rnd, staff, lead's aligned; peer ×2, Sales', HR's (under Sales') not.
    assert _figures(report.company) == (7, 3, 4, 2, D("0.4286"), D("0.5000"))
    rows = {row.department.name_en: _figures(row.coverage) for row in report.departments}
    assert rows == {
        # R&D counts its own, lead's and Platform's people (staff).
        "R&D": (3, 3, 2, 2, D("1.0000"), D("1.0000")),
        "Platform": (1, 1, 1, 1, D("1.0000"), D("1.0000")),
        "Sales": (4, 0, 2, 0, D("0.0000"), D("0.0000")),
    }
    assert [row.department.name_en for row in report.departments] == ["R&D", "Platform",
                                                                      "Sales"]


def test_an_empty_cycle_has_no_ratios(org, goals, scoped):
    empty = services.create_cycle(company=org.company, name="2026-11", kind="month",
                                  start=goals.quarter.start.replace(month=11),
                                  end=goals.quarter.start.replace(month=11, day=30),
                                  status="active", parent=goals.quarter)
    report = alignment.coverage(empty)
    assert _figures(report.company) == (0, 0, 0, 0, None, None)
    assert report.departments == []


def test_coverage_costs_the_same_queries_whatever_the_size(org, built, scoped,
                                                           django_assert_num_queries):
    with django_assert_num_queries(3):
        alignment.coverage(built.quarter)
    for n in range(5):
        services.create_objective(company=org.company, cycle=built.quarter,
                                  level=Level.INDIVIDUAL, owner_employee=org.employees["staff"],
                                  title=f"More {n}", parent=built.rnd)
    with django_assert_num_queries(3):
        report = alignment.coverage(built.quarter)
    assert _figures(report.company)[:2] == (12, 8)


def test_the_coverage_api(api_as, org, built):
    body = api_as(org.users["peer"]).get(
        f"/api/v1/objectives/coverage/?cycle={built.quarter.pk}").json()
    assert body["cycle"] == built.quarter.pk
    assert body["company"] == {"objectives": 7, "aligned_objectives": 3,
                               "objective_coverage": "0.4286", "people": 4,
                               "aligned_people": 2, "people_coverage": "0.5000"}
    assert [(d["name"], d["coverage"]["aligned_objectives"]) for d in body["departments"]] == [
        ("研发部", 3), ("平台组", 1), ("销售部", 0)]


def test_the_coverage_api_refuses_bad_cycles_and_other_companies(api_as, org, other_org,
                                                                 built):
    api = api_as(org.users["peer"])
    assert api.get("/api/v1/objectives/coverage/?cycle=abc").status_code == 400
    assert api.get("/api/v1/objectives/coverage/?cycle=999999").status_code == 404
    other = api_as(other_org.users["owner"]).get(
        f"/api/v1/objectives/coverage/?cycle={built.quarter.pk}")
    assert other.status_code == 404


def test_the_coverage_api_without_an_active_cycle(api_as, org):
    assert api_as(org.users["peer"]).get("/api/v1/objectives/coverage/").json() == {
        "cycle": None, "company": None, "departments": []}


def test_the_tree_page_shows_coverage(client_as, org, built):
    page = client_as(org.users["peer"]).get(
        f"/goals/tree/?cycle={built.quarter.pk}").content.decode()
    assert "td-alignment-coverage" in page
    assert "3/7 · 43 %" in page
    assert "2/4 · 50 %" in page
    assert f'<tr data-department="{org.sales.pk}">' in page


def test_the_coverage_api_query_count(api_as, org, built, django_assert_num_queries):
    api = api_as(org.users["peer"])
    url = f"/api/v1/objectives/coverage/?cycle={built.quarter.pk}"
    with django_assert_num_queries(6):
        api.get(url)
