"""/api/v1/kpi-assignments/: lists by visibility, one assignee or many, updates, deletion."""

from decimal import Decimal

import pytest
from django_scopes import scope

from tandem.kpis import services
from tandem.kpis.access import READ_ASSIGNMENT
from tandem.kpis.models import Assignment

pytestmark = pytest.mark.django_db

URL = "/api/v1/kpi-assignments/"


def _ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_a_read_shows_figures_rule_explanation_and_what_feeds_it(org, goals, kpis, api_as):
    api = api_as(org.users["lead"])
    row = api.get(f"{URL}{kpis.staff.pk}/").json()
    assert row["indicator_code"] == "DEFECTS"
    assert row["assignee_kind"] == "employee"
    assert row["employee"] == org.employees["staff"].pk
    assert row["assignee_name"] == org.employees["staff"].name
    assert row["target"] == "5.0000" and row["weight"] == "1.0000"
    assert row["actual"] == "4.0000"
    assert row["attainment"] == "1.2000" and row["score"] == "120.00"
    assert row["rule_in_force"]["kind"] == "inverse_ratio"
    assert row["rule_in_force"]["direction"] == "lower"
    assert row["rule_in_force"]["cap"] == "1.2000"
    assert row["actual_source"] == "own" and row["fed_by"] == []
    assert row["explanation"] and all(isinstance(line, str) for line in row["explanation"])
    peer = api_as(org.users["peer"]).get(f"{URL}{kpis.peer.pk}/").json()
    assert peer["actual_source"] == "key_results"
    assert peer["fed_by"] == [{
        "id": kpis.peer_link.pk, "key_result": goals.peer_kr.pk,
        "key_result_title": "New customers", "owner_name": org.employees["peer"].name,
        "mode": "value", "factor": "1.0000"}]


@pytest.mark.parametrize("role", ["owner", "hr", "finance", "lead", "staff", "peer"])
def test_a_list_holds_only_what_the_caller_may_read(org, goals, kpis, api_as, role):
    expected = {getattr(kpis, name).pk for name, roles in READ_ASSIGNMENT.items()
                if role in roles}
    assert _ids(api_as(org.users[role]).get(URL)) == expected


def test_a_person_who_may_not_read_an_assignment_gets_403(org, kpis, api_as):
    assert api_as(org.users["peer"]).get(f"{URL}{kpis.staff.pk}/").status_code == 403
    assert api_as(org.users["staff"]).get(f"{URL}{kpis.peer.pk}/").status_code == 403


def test_mine_team_and_the_other_filters(org, goals, kpis, api_as):
    lead = api_as(org.users["lead"])
    assert _ids(lead.get(URL, {"team": "true"})) == {kpis.staff.pk}
    assert _ids(lead.get(URL, {"mine": "true"})) == set()
    assert _ids(api_as(org.users["staff"]).get(URL, {"mine": "true"})) == {kpis.staff.pk}
    hr = api_as(org.users["hr"])
    assert _ids(hr.get(URL, {"department": org.rnd.pk})) == {kpis.rnd.pk}
    assert _ids(hr.get(URL, {"department": org.platform.pk})) == {kpis.staff.pk}
    assert _ids(hr.get(URL, {"employee": org.employees["peer"].pk})) == {kpis.peer.pk}
    assert _ids(hr.get(URL, {"indicator": kpis.sales.pk})) == {kpis.rnd.pk}
    assert _ids(hr.get(URL, {"cycle": goals.year.pk})) == set()
    assert _ids(hr.get(URL, {"cycle": goals.quarter.pk})) == {kpis.staff.pk, kpis.peer.pk,
                                                                kpis.rnd.pk}
    assert hr.get(URL, {"mine": "maybe"}).status_code == 400


def test_the_list_takes_the_same_queries_for_more_assignments(
        org, goals, kpis, api_as, django_assert_max_num_queries):
    api = api_as(org.users["lead"])
    with django_assert_max_num_queries(40) as few:
        assert len(api.get(URL).json()["results"]) == 2
    counted = len(few.captured_queries)
    with scope(company=org.company.pk):
        for code in ("A", "B", "C", "D"):
            indicator = services.create_indicator(company=org.company, code=code, name=code)
            services.assign(cycle=goals.year, indicator=indicator, target=Decimal("10"),
                            weight=Decimal("0.2"), employee=org.employees["staff"])
            services.assign(cycle=goals.year, indicator=indicator, target=Decimal("10"),
                            weight=Decimal("0.2"), department=org.platform)
    with django_assert_max_num_queries(counted):
        assert len(api.get(URL).json()["results"]) == 10


def test_a_leader_assigns_to_their_people_within_100_percent(org, goals, kpis, api_as):
    api = api_as(org.users["lead"])
    staff = api.get(f"{URL}{kpis.staff.pk}/").json()
    response = api.patch(f"{URL}{kpis.staff.pk}/", {"weight": "0.5",
                                                   "version": staff["version"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["weight"] == "0.5000"
    body = {"cycle": goals.quarter.pk, "indicator": kpis.new_customers.pk,
            "employee": org.employees["staff"].pk, "target": "20", "weight": "0.5",
            "threshold_floor": "10", "threshold_stretch": "30"}
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["threshold_stretch"] == "30.0000"
    assert response.json()["actual"] is None
    response = api.post(URL, {**body, "indicator": kpis.sales.pk, "weight": "0.1"},
                        format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"weight"}


def test_assignment_input_errors_are_400_by_field(org, goals, kpis, api_as):
    api = api_as(org.users["hr"])
    response = api.post(URL, {"cycle": goals.year.pk, "indicator": kpis.sales.pk,
                              "employee": org.employees["peer"].pk, "target": "0",
                              "weight": "0.5"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"target"}
    response = api.post(URL, {"cycle": goals.year.pk, "indicator": kpis.sales.pk,
                              "employee": org.employees["peer"].pk, "target": "10",
                              "weight": "1.5"}, format="json")
    assert set(response.json()["errors"]) == {"weight"}
    response = api.post(URL, {"cycle": goals.year.pk, "indicator": kpis.sales.pk,
                              "target": "10", "weight": "0.5"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"non_field_errors"}
    response = api.post(URL, {"cycle": goals.year.pk, "indicator": kpis.sales.pk,
                              "employee": org.employees["peer"].pk, "target": "10",
                              "weight": "0.5", "pace_plan": [["2027-01-01", "1"]]},
                        format="json")
    assert set(response.json()["errors"]) == {"pace_plan"}
    response = api.post(URL, {"cycle": goals.year.pk, "indicator": 99999,
                              "employee": org.employees["peer"].pk, "target": "10",
                              "weight": "0.5"}, format="json")
    assert set(response.json()["errors"]) == {"indicator"}


def test_nobody_assigns_to_themself_or_outside_their_team(org, goals, kpis, api_as):
    body = {"cycle": goals.year.pk, "indicator": kpis.sales.pk, "target": "10",
            "weight": "0.5"}
    staff = api_as(org.users["staff"])
    assert staff.post(URL, {**body, "employee": org.employees["staff"].pk},
                      format="json").status_code == 403
    lead = api_as(org.users["lead"])
    assert lead.post(URL, {**body, "employee": org.employees["peer"].pk},
                     format="json").status_code == 403
    assert lead.post(URL, {**body, "employee": org.employees["lead"].pk},
                     format="json").status_code == 403
    assert lead.post(URL, {**body, "department": org.platform.pk},
                     format="json").status_code == 201


def test_cycle_indicator_and_assignee_are_fixed_after_creation(org, goals, kpis, api_as):
    api = api_as(org.users["hr"])
    version = api.get(f"{URL}{kpis.peer.pk}/").json()["version"]
    response = api.patch(f"{URL}{kpis.peer.pk}/", {"indicator": kpis.sales.pk,
                                                  "version": version}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"indicator"}
    response = api.patch(f"{URL}{kpis.peer.pk}/", {"target": "12"}, format="json")
    assert set(response.json()["errors"]) == {"version"}
    response = api.patch(f"{URL}{kpis.peer.pk}/", {"target": "12", "version": version},
                         format="json")
    assert response.status_code == 200
    assert response.json()["target"] == "12.0000"


def test_bulk_assignment_is_all_or_nothing(org, goals, kpis, api_as):
    people = [org.employees[key].pk for key in ("staff", "peer", "lead")]
    body = {"cycle": goals.year.pk, "indicator": kpis.sales.pk, "employees": people,
            "target": "100000", "weight": "0.4"}
    lead = api_as(org.users["lead"])
    assert lead.post(f"{URL}bulk/", body, format="json").status_code == 403
    hr = api_as(org.users["hr"])
    response = hr.post(f"{URL}bulk/", body, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(row["employee"] for row in response.json()) == sorted(people)
    assert {row["weight"] for row in response.json()} == {"0.4000"}
    again = hr.post(f"{URL}bulk/", body, format="json")
    assert again.status_code == 400
    assert set(again.json()["errors"]) == {"employees"}
    assert hr.post(f"{URL}bulk/", {**body, "employees": []},
                   format="json").json()["errors"].keys() == {"employees"}
    with scope(company=org.company.pk):
        assert Assignment.objects.filter(cycle=goals.year).count() == 3


def test_deleting_an_assignment(org, kpis, api_as):
    assert api_as(org.users["staff"]).delete(f"{URL}{kpis.staff.pk}/").status_code == 403
    assert api_as(org.users["lead"]).delete(f"{URL}{kpis.staff.pk}/").status_code == 204
    with scope(company=org.company.pk):
        assert not Assignment.objects.filter(pk=kpis.staff.pk).exists()


def test_another_company_s_assignments_are_neither_listed_nor_found(org, other_org, goals,
                                                                     kpis, api_as):
    from tandem.kpis.testing import make_kpis

    theirs = make_kpis(other_org)
    hr = api_as(org.users["hr"])
    assert _ids(hr.get(URL)) == {kpis.staff.pk, kpis.peer.pk, kpis.rnd.pk}
    assert hr.get(f"{URL}{theirs.staff.pk}/").status_code == 404
    assert hr.get(f"{URL}{theirs.staff.pk}/measurements/").status_code == 404
    assert hr.post(f"{URL}{theirs.staff.pk}/measurements/", {"date": "2026-11-01",
                                                             "value": "1"},
                   format="json").status_code == 404
    response = hr.post(URL, {"cycle": goals.quarter.pk, "indicator": theirs.sales.pk,
                             "employee": org.employees["lead"].pk, "target": "1",
                             "weight": "0.1"}, format="json")
    assert set(response.json()["errors"]) == {"indicator"}
