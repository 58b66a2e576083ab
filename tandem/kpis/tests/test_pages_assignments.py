"""Assignment pages: lists per cycle with weight totals, create, bulk (all or nothing), edit,
delete, position KPI sets and applying them to a cycle."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.kpis import services
from tandem.kpis.models import Assignment, PositionIndicator
from tandem.org.models import Position

LIST = "/kpis/assignments/"


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _assignees(html):
    return [int(pk) for pk in re.findall(r'<tr data-assignee="(\d+)">', html)]


def _totals(html):
    return {int(pk): total for pk, total in re.findall(
        r'<tr data-assignee="(\d+)">.*?data-total="([^"]+)"', html, re.S)}


def test_people_with_their_weight_totals_and_a_flag_when_not_100(
        client_as, english, org, kpis, goals):
    with scope(company=org.company.pk):
        services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D(100),
                        weight=D("0.5"), employee=org.employees["lead"])
    html = client_as(org.users["hr"]).get(f"{LIST}?cycle={goals.quarter.pk}").content.decode()
    totals = _totals(html)
    assert D(totals[org.employees["staff"].pk]) == D(1)
    assert D(totals[org.employees["lead"].pk]) == D("0.5")
    assert D(totals[org.employees["finance"].pk]) == D(0)  # nothing yet: flagged too
    assert html.count("td-weight-off") == len(org.employees) - 2  # all but staff and peer


def test_a_leader_sees_only_their_team(client_as, org, kpis, goals):
    html = client_as(org.users["lead"]).get(LIST).content.decode()
    assert _assignees(html) == [org.employees["staff"].pk]
    html = client_as(org.users["lead"]).get(LIST + "?view=department").content.decode()
    assert _assignees(html) == [org.platform.pk]


def test_departments_and_positions(client_as, org, kpis, goals):
    client = client_as(org.users["hr"])
    html = client.get(LIST + "?view=department").content.decode()
    assert f'data-assignment="{kpis.rnd.pk}"' in html
    assert client.get(LIST + "?view=position").status_code == 200


@pytest.mark.parametrize("role", ["staff", "peer", "finance"])
def test_people_who_lead_nothing_are_refused(client_as, org, kpis, role):
    client = client_as(org.users[role])
    for url in (LIST, f"{LIST}new/", f"{LIST}bulk/"):
        assert client.get(url).status_code == 403


def test_the_list_costs_the_same_queries_whatever_the_head_count(
        client_as, org, kpis, goals, django_assert_max_num_queries):
    client = client_as(org.users["hr"])
    client.get(LIST)
    with django_assert_max_num_queries(14) as before:
        client.get(LIST)
    with scope(company=org.company.pk):
        people = [make_employee(org.company, org.sales) for _ in range(6)]
        services.bulk_assign(cycle=goals.quarter, indicator=kpis.sales, target=D(10),
                             weight=D("0.5"), employees=people)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(LIST).content.decode()
    assert len(_assignees(html)) == len(org.employees) + 6


def test_create_for_one_person_and_weight_errors_inline(client_as, english, org, kpis, goals):
    client = client_as(org.users["hr"])
    data = {"cycle": goals.quarter.pk, "indicator": kpis.sales.pk, "assignee_kind": "employee",
            "employee": org.employees["staff"].pk, "target": "1000", "weight": "50"}
    response = client.post(f"{LIST}new/", data)
    assert response.status_code == 200
    assert "would add up to more than 100 % in this cycle" in response.content.decode()
    data["employee"] = org.employees["lead"].pk
    response = client.post(f"{LIST}new/", data)
    with scope(company=org.company.pk):
        created = Assignment.objects.get(employee=org.employees["lead"])
    assert response.status_code == 302
    assert response["Location"] == f"/kpis/assignments/{created.pk}/"
    assert created.weight == D("0.5")
    assert created.target == D(1000)


def test_create_asks_for_the_assignee(client_as, english, org, kpis, goals):
    response = client_as(org.users["hr"]).post(f"{LIST}new/", {
        "cycle": goals.quarter.pk, "indicator": kpis.sales.pk, "assignee_kind": "department",
        "target": "1000", "weight": "50"})
    assert "Choose who gets the indicator." in response.content.decode()


def test_a_leader_is_offered_only_their_team(client_as, org, kpis, goals):
    client = client_as(org.users["lead"])
    html = client.get(f"{LIST}new/").content.decode()
    assert f'<option value="{org.employees["staff"].pk}"' in html
    assert f'<option value="{org.employees["peer"].pk}"' not in html
    assert 'name="position"' not in html
    response = client.post(f"{LIST}new/", {
        "cycle": goals.quarter.pk, "indicator": kpis.sales.pk, "assignee_kind": "employee",
        "employee": org.employees["peer"].pk, "target": "10", "weight": "10"})
    assert response.status_code == 200
    with scope(company=org.company.pk):
        assert not Assignment.objects.filter(employee=org.employees["peer"],
                                             indicator=kpis.sales).exists()


def test_bulk_assign_a_department_all_or_nothing(client_as, english, org, kpis, goals):
    client = client_as(org.users["hr"])
    data = {"cycle": goals.quarter.pk, "indicator": kpis.sales.pk, "department": org.sales.pk,
            "target": "5000", "weight": "40"}
    response = client.post(f"{LIST}bulk/", data)  # peer holds 100 % already
    assert response.status_code == 200
    assert "The weights of peer would add up to more than 100 %" in response.content.decode()
    with scope(company=org.company.pk):
        assert not Assignment.objects.filter(indicator=kpis.sales,
                                             employee__isnull=False).exists()
    data["employees"] = []
    data["department"] = org.rnd.pk
    response = client.post(f"{LIST}bulk/", data)  # lead and staff (Platform is below R&D)
    assert response.status_code == 200  # staff holds 100 % too
    assert "The weights of staff would" in response.content.decode()
    data.pop("department")
    data["employees"] = [org.employees["lead"].pk, org.employees["finance"].pk]
    response = client.post(f"{LIST}bulk/", data)
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert set(Assignment.objects.filter(indicator=kpis.sales, employee__isnull=False)
                   .values_list("employee__name", flat=True)) == {"lead", "finance"}


def test_bulk_assign_needs_people(client_as, english, org, kpis, goals):
    response = client_as(org.users["hr"]).post(f"{LIST}bulk/", {
        "cycle": goals.quarter.pk, "indicator": kpis.sales.pk, "target": "1", "weight": "10"})
    assert "Choose people or a department." in response.content.decode()


def test_edit_and_delete(client_as, english, org, kpis):
    client = client_as(org.users["lead"])
    url = f"{LIST}{kpis.staff.pk}/edit/"
    response = client.post(url, {"target": "8", "weight": "100", "rule": "",
                                 "actual_source": "own", "version": kpis.staff.version})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        staff = Assignment.objects.get(pk=kpis.staff.pk)
    assert staff.target == D(8)
    assert staff.attainment == D("1.2")  # lower is better: 8 / 4, capped at 120 %
    assert staff.score == D(120)  # capped at 120 %
    assert client.get(f"{LIST}{kpis.peer.pk}/edit/").status_code == 403
    response = client.post(f"{LIST}{kpis.staff.pk}/delete/")
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert not Assignment.objects.filter(pk=kpis.staff.pk).exists()


def test_position_sets_editor_and_apply(client_as, english, org, kpis, goals):
    with scope(company=org.company.pk):
        engineer = Position.objects.create(company=org.company, title="工程师",
                                           title_en="Engineer", department=org.platform)
        newcomer = make_employee(org.company, org.platform, name="newcomer", position=engineer)
    client = client_as(org.users["hr"])
    url = f"/kpis/position-sets/{engineer.pk}/"
    response = client.post(url, {"indicator_0": kpis.sales.pk, "target_0": "100",
                                 "weight_0": "60", "indicator_1": kpis.new_customers.pk,
                                 "target_1": "4", "weight_1": "30"})
    assert "The weights add up to 90.0 %, not 100 %." in response.content.decode()
    response = client.post(url, {"indicator_0": kpis.sales.pk, "target_0": "100",
                                 "weight_0": "60", "indicator_1": kpis.new_customers.pk,
                                 "target_1": "", "weight_1": "40"})
    assert "Give a target." in response.content.decode()
    response = client.post(url, {"indicator_0": kpis.sales.pk, "target_0": "100",
                                 "weight_0": "60", "indicator_1": kpis.new_customers.pk,
                                 "target_1": "4", "weight_1": "40"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert PositionIndicator.objects.filter(position=engineer).count() == 2
    html = client.get("/kpis/position-sets/").content.decode()
    assert f'data-position="{engineer.pk}"' in html
    response = client.post("/kpis/position-sets/apply/", {"cycle": goals.quarter.pk})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        mine = Assignment.objects.filter(employee=newcomer, cycle=goals.quarter)
        assert sorted(mine.values_list("weight", flat=True)) == [D("0.4"), D("0.6")]
        assert all(a.inherited_from_id for a in mine)
    # An inherited KPI's target and weight are the position's: not on its edit form.
    html = client.get(f"{LIST}{mine.first().pk}/edit/").content.decode()
    assert 'name="target"' not in html
    assert "comes with the position" in html


@pytest.mark.parametrize("role", ["lead", "staff"])
def test_position_sets_are_for_people_admins(client_as, org, role):
    assert client_as(org.users[role]).get("/kpis/position-sets/").status_code == 403
