"""My team's OKRs: a leader's subtree of people and objectives, with pace and risk."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.testing import make_org
from tandem.goals import services
from tandem.org.models import Department

TEAM = "/goals/team/"


@pytest.fixture(autouse=True)
def today_in_the_quarter(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _people(html):
    return [int(pk) for pk in re.findall(r'data-person="(\d+)"', html)]


def _objectives(html):
    return [int(pk) for pk in re.findall(r'id="team-objective-(\d+)"', html)]


def test_a_leader_sees_exactly_their_subtree(client_as, english, org, goals):
    response = client_as(org.users["lead"]).get(TEAM)
    assert response.status_code == 200
    html = response.content.decode()
    # R&D (led by lead) and Platform below it: lead and staff, not Sales.
    assert sorted(_people(html)) == sorted([org.employees["lead"].pk, org.employees["staff"].pk])
    assert _objectives(html) == [goals.rnd.pk, goals.staff.pk]


def test_hr_picks_any_department(client_as, english, org, goals):
    response = client_as(org.users["hr"]).get(f"{TEAM}?department={org.sales.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    expected = {org.employees[name].pk for name in ("owner", "hr", "finance", "peer")}
    assert set(_people(html)) == expected
    assert _objectives(html) == [goals.peer.pk]
    assert f'<option value="{org.rnd.pk}"' in html


def test_a_leader_cannot_pick_a_department_they_do_not_lead(client_as, org, goals):
    client = client_as(org.users["lead"])
    assert client.get(f"{TEAM}?department={org.sales.pk}").status_code == 403
    assert client.get(f"{TEAM}?department={org.platform.pk}").status_code == 200


def test_another_companys_department_is_a_404(client_as, org, goals):
    other = make_org(prefix="o-", name="别家", name_en="Other")
    with scope(company=other.company.pk):
        department = Department.objects.get(pk=other.rnd.pk)
    assert client_as(org.users["hr"]).get(f"{TEAM}?department={department.pk}").status_code \
        == 404


@pytest.mark.parametrize("role", ["staff", "peer", "finance"])
def test_people_who_lead_nothing_are_refused(client_as, org, goals, role):
    assert client_as(org.users[role]).get(TEAM).status_code == 403


@pytest.mark.parametrize(("role", "shown"), [
    ("owner", True), ("hr", True), ("lead", True),
    ("staff", False), ("peer", False), ("finance", False),
])
def test_the_navigation_shows_the_team_page_to_leaders_and_people_admins(
        client_as, org, goals, role, shown):
    assert (f'href="{TEAM}"' in client_as(org.users[role]).get("/goals/").content.decode()) \
        is shown


def test_pace_and_risk_reasons(client_as, english, org, goals):
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=D(30), confidence=3)
    html = client_as(org.users["lead"]).get(TEAM).content.decode()
    staff_block = html.split(f'id="team-objective-{goals.staff.pk}"')[1].split("</ul>")[0]
    # 2026-10-01 .. 2026-12-31, on 11-26: 56 of 91 days.
    assert "expected 62 % by today" in staff_block
    assert "confidence 3/10" in staff_block
    assert "At risk" in staff_block
    assert "Progress 30 % is more than 20 % behind the expected 62 % (risk_margin)" in staff_block
    assert "Latest confidence 3 is at most 4" in staff_block
    assert "No check-in for" not in staff_block
    rnd_block = html.split(f'id="team-objective-{goals.rnd.pk}"')[1].split("</ul>")[0]
    assert "No check-in for 14 days (stale_days)" in rnd_block
    assert 'data-at-risk="true"' in html


def test_a_key_result_on_pace_is_on_track(client_as, english, org, goals):
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=D(70), confidence=8)
    html = client_as(org.users["lead"]).get(TEAM).content.decode()
    staff_block = html.split(f'id="team-objective-{goals.staff.pk}"')[1].split("</ul>")[0]
    assert "On track" in staff_block
    assert "At risk" not in staff_block
    assert f'id="team-objective-{goals.staff.pk}" data-objective="{goals.staff.pk}" ' \
           'data-at-risk="false"' in html


def test_the_team_page_costs_the_same_queries_whatever_the_team(
        client_as, org, goals, django_assert_max_num_queries):
    client = client_as(org.users["lead"])
    client.get(TEAM)
    with django_assert_max_num_queries(20) as before:
        client.get(TEAM)
    with scope(company=org.company.pk):
        for n in range(5):
            extra = services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["staff"], title=f"Extra {n}", parent=goals.rnd)
            kr = services.create_key_result(objective=extra, title=f"KR {n}", target_value=D(4))
            services.check_in(key_result=kr, value=D(1), confidence=5)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(TEAM).content.decode()
    assert len(_objectives(html)) == 7
