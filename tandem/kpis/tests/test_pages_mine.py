"""My KPIs (every employee) and My team's KPIs (leaders; HR and administrators pick any
department), with pace, at-risk flags and the weighted KPI score."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.kpis import services

MINE = "/kpis/"
TEAM = "/kpis/team/"


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _cards(html):
    return [int(pk) for pk in re.findall(r'id="assignment-(\d+)"', html)]


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_my_kpis_with_score_pace_and_department_kpis(client_as, english, org, kpis):
    html = client_as(org.users["staff"]).get(MINE).content.decode()
    assert _cards(html) == [kpis.staff.pk]  # R&D's KPI is not Platform's
    text = _text(html)
    assert "Weighted KPI score 120" in text
    assert "Weights add up to 100.0 %" in text
    # Nothing measured for 14 days (last figure 2026-10-15): at risk, with the reason.
    assert "No measurement for 14 days" in text
    assert 'hx-get="/kpis/explain/?cycle=' in html


def test_the_weighted_score_explains_itself(client_as, english, org, goals, kpis):
    with scope(company=org.company.pk):
        services.update_assignment(assignment=kpis.staff, weight=D("0.6"))
        services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D(100),
                        weight=D("0.4"), employee=org.employees["staff"])
    client = client_as(org.users["staff"])
    text = _text(client.get(MINE).content.decode())
    assert "Weights add up to 100.0 %" in text
    panel = client.get(f"/kpis/explain/?cycle={goals.quarter.pk}",
                       headers={"HX-Request": "true"}).content.decode()
    assert "Measured weight 60.0 % → score 120." in _text(panel)
    assert "not measured" in panel


def test_my_kpis_without_an_employee_record_or_a_cycle(client_as, english, org, goals):
    html = client_as(org.users["staff"]).get(MINE).content.decode()
    assert "You have no KPIs in this cycle." in html


def test_nobody_sees_another_persons_kpis_on_my_kpis(client_as, org, kpis):
    html = client_as(org.users["peer"]).get(MINE).content.decode()
    assert kpis.staff.pk not in _cards(html)
    assert kpis.peer.pk in _cards(html)


def test_a_leader_sees_their_team_with_at_risk_flags(client_as, english, org, kpis):
    html = client_as(org.users["lead"]).get(TEAM).content.decode()
    people = [int(pk) for pk in re.findall(r'data-person="(\d+)"', html)]
    assert people == [org.employees["staff"].pk]  # not the leader themself, not Sales
    assert kpis.staff.pk in _cards(html)
    assert "td-person-at-risk" in html
    assert "KPIs of your team" in html or "KPI of your team is at risk" in html


def test_hr_picks_a_department_and_a_leader_only_theirs(client_as, org, kpis):
    html = client_as(org.users["hr"]).get(f"{TEAM}?department={org.sales.pk}").content.decode()
    assert kpis.peer.pk in _cards(html)
    assert client_as(org.users["lead"]).get(
        f"{TEAM}?department={org.sales.pk}").status_code == 403


@pytest.mark.parametrize("role", ["staff", "peer", "finance"])
def test_people_who_lead_nothing_have_no_team_page(client_as, org, role):
    assert client_as(org.users[role]).get(TEAM).status_code == 403


def test_the_team_page_costs_the_same_queries_whatever_the_team(
        client_as, org, goals, kpis, django_assert_max_num_queries):
    client = client_as(org.users["lead"])
    client.get(TEAM)
    with django_assert_max_num_queries(20) as before:
        client.get(TEAM)
    with scope(company=org.company.pk):
        people = [make_employee(org.company, org.platform) for _ in range(5)]
        services.bulk_assign(cycle=goals.quarter, indicator=kpis.sales, target=D(10),
                             weight=D(1), employees=people)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(TEAM).content.decode()
    assert len(_cards(html)) == 7  # R&D's KPI, staff's and the five newcomers'



def test_my_kpis_shows_my_departments_kpis(client_as, english, org, goals, kpis):
    with scope(company=org.company.pk):
        platform = services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D(10),
                                   weight=D(1), department=org.platform)
    html = client_as(org.users["staff"]).get(MINE).content.decode()
    assert _cards(html) == [kpis.staff.pk, platform.pk]
    assert "My department's KPIs" in html


def test_my_kpis_costs_the_same_queries_whatever_the_number(
        client_as, org, goals, kpis, django_assert_max_num_queries):
    client = client_as(org.users["staff"])
    client.get(MINE)
    with django_assert_max_num_queries(14) as before:
        client.get(MINE)
    with scope(company=org.company.pk):
        services.update_assignment(assignment=kpis.staff, weight=D("0.2"))
        for code in ("A", "B", "C", "D"):
            indicator = services.create_indicator(company=org.company, code=code, name=code)
            services.assign(cycle=goals.quarter, indicator=indicator, target=D(10),
                            weight=D("0.2"), employee=org.employees["staff"])
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(MINE).content.decode()
    assert len(_cards(html)) == 5
