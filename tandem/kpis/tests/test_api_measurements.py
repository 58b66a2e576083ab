"""KPI figures over the API: the measurements of an assignment (with their trace), recording
one or many, deleting one, and key-result links (unlinking removes what they brought)."""

from decimal import Decimal

import pytest
import time_machine
from django_scopes import scope

from tandem.goals import services as goals_services
from tandem.kpis.models import Assignment, KeyResultLink, Measurement

pytestmark = pytest.mark.django_db

URL = "/api/v1/kpi-assignments/"


@pytest.fixture
def checked_in(org, goals, kpis):
    """peer checks in 3 new customers on 2026-10-20: a measurement of peer's KPI."""
    with scope(company=org.company.pk), time_machine.travel("2026-10-20 10:00 +0800",
                                                            tick=False):
        return goals_services.check_in(key_result=goals.peer_kr, value=Decimal("3"),
                                       confidence=7, by=org.users["peer"])


def test_measurements_show_their_source_and_trace(org, goals, kpis, checked_in, api_as):
    rows = api_as(org.users["peer"]).get(f"{URL}{kpis.peer.pk}/measurements/").json()
    assert rows["count"] == 1
    row = rows["results"][0]
    assert row["source"] == "key_result"
    assert row["check_in"] == checked_in.pk
    assert row["key_result"] == goals.peer_kr.pk
    assert row["link"] == kpis.peer_link.pk
    assert row["value"] == "3.0000" and row["date"] == "2026-10-20"
    staff = api_as(org.users["lead"]).get(f"{URL}{kpis.staff.pk}/measurements/").json()
    assert [(r["source"], r["value"], r["key_result"]) for r in staff["results"]] == [
        ("manual", "4.0000", None)]


def test_a_leader_records_one_figure_through_the_api(org, kpis, api_as):
    api = api_as(org.users["lead"])
    response = api.post(f"{URL}{kpis.staff.pk}/measurements/",
                        {"date": "2026-11-15", "value": "2", "note": "十一月"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "api" and body["value"] == "2.0000" and body["note"] == "十一月"
    assert body["recorded_by_name"] == org.users["lead"].get_username()
    staff = api.get(f"{URL}{kpis.staff.pk}/").json()
    # DEFECTS aggregates with "last": the newest figure is the actual.
    assert staff["actual"] == "2.0000" and staff["last_measured_on"] == "2026-11-15"


def test_many_figures_are_all_or_nothing_with_errors_by_position(org, kpis, api_as):
    api = api_as(org.users["hr"])
    url = f"{URL}{kpis.rnd.pk}/measurements/"
    response = api.post(url, [{"date": "2026-10-31", "value": "100000"},
                              {"date": "2027-01-05", "value": "1"},
                              {"date": "2026-11-30", "value": "abc"}], format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"2.value"}
    response = api.post(url, [{"date": "2026-10-31", "value": "100000"},
                              {"date": "2027-01-05", "value": "1"}], format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"1.date"}
    with scope(company=org.company.pk):
        assert not Measurement.objects.filter(assignment=kpis.rnd).exists()
    response = api.post(url, [{"date": "2026-10-31", "value": "100000"},
                              {"date": "2026-11-30", "value": "150000.5"}], format="json")
    assert response.status_code == 201
    assert [row["value"] for row in response.json()] == ["100000.0000", "150000.5000"]
    assert api.get(f"{URL}{kpis.rnd.pk}/").json()["actual"] == "250000.5000"
    assert api.post(url, [], format="json").status_code == 400


def test_single_figure_errors_are_by_field(org, kpis, api_as):
    api = api_as(org.users["hr"])
    url = f"{URL}{kpis.staff.pk}/measurements/"
    response = api.post(url, {"value": "1"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date"}
    response = api.post(url, {"date": "2026-09-30", "value": "1"}, format="json")
    assert set(response.json()["errors"]) == {"date"}
    response = api.post(url, {"date": "2026-10-30", "value": 1}, format="json")
    assert set(response.json()["errors"]) == {"value"}  # a number where the schema says text


def test_the_holder_does_not_type_their_own_figures(org, kpis, api_as):
    api = api_as(org.users["staff"])
    response = api.post(f"{URL}{kpis.staff.pk}/measurements/",
                        {"date": "2026-11-15", "value": "2"}, format="json")
    assert response.status_code == 403
    assert api_as(org.users["peer"]).get(f"{URL}{kpis.staff.pk}/measurements/"
                                         ).status_code == 403


def test_deleting_a_figure(org, kpis, checked_in, api_as):
    url = f"/api/v1/kpi-measurements/{kpis.staff_measurement.pk}/"
    assert api_as(org.users["staff"]).delete(url).status_code == 403
    assert api_as(org.users["staff"]).get(url).json()["value"] == "4.0000"
    assert api_as(org.users["lead"]).delete(url).status_code == 204
    with scope(company=org.company.pk):
        assert Assignment.objects.get(pk=kpis.staff.pk).actual is None
        from_kr = Measurement.objects.get(check_in=checked_in)
    response = api_as(org.users["hr"]).delete(f"/api/v1/kpi-measurements/{from_kr.pk}/")
    assert response.status_code == 409


def test_linking_and_unlinking_a_key_result(org, goals, kpis, checked_in, api_as):
    peer = api_as(org.users["peer"])
    links = peer.get("/api/v1/kr-kpi-links/").json()
    assert [row["id"] for row in links["results"]] == [kpis.peer_link.pk]
    assert api_as(org.users["staff"]).get("/api/v1/kr-kpi-links/").json()["results"] == []
    assert [row["id"] for row in api_as(org.users["hr"]).get(
        "/api/v1/kr-kpi-links/", {"assignment": kpis.staff.pk}).json()["results"]] == []
    assert peer.get(f"{URL}{kpis.peer.pk}/").json()["actual"] == "3.0000"
    assert api_as(org.users["staff"]).delete(
        f"/api/v1/kr-kpi-links/{kpis.peer_link.pk}/").status_code == 403
    assert peer.delete(f"/api/v1/kr-kpi-links/{kpis.peer_link.pk}/").status_code == 204
    with scope(company=org.company.pk):
        assert not Measurement.objects.filter(assignment=kpis.peer).exists()
    after = peer.get(f"{URL}{kpis.peer.pk}/").json()
    assert after["actual"] is None and after["fed_by"] == [] and after["actual_source"] == "own"
    response = peer.post("/api/v1/kr-kpi-links/", {"key_result": goals.peer_kr.pk,
                                                   "assignment": kpis.peer.pk,
                                                   "mode": "increment"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["mode"] == "increment"
    assert peer.get(f"{URL}{kpis.peer.pk}/").json()["actual"] == "3.0000"


def test_link_input_errors_are_400_by_field(org, goals, kpis, api_as):
    hr = api_as(org.users["hr"])
    response = hr.post("/api/v1/kr-kpi-links/", {"key_result": goals.peer_kr.pk,
                                                 "assignment": kpis.peer.pk}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"assignment"}  # already feeds it
    response = hr.post("/api/v1/kr-kpi-links/", {"key_result": goals.staff_kr.pk,
                                                 "assignment": kpis.rnd.pk, "factor": "-1"},
                       format="json")
    assert set(response.json()["errors"]) == {"factor"}
    response = hr.post("/api/v1/kr-kpi-links/", {"assignment": kpis.rnd.pk}, format="json")
    assert set(response.json()["errors"]) == {"key_result"}
    with scope(company=org.company.pk):
        assert KeyResultLink.objects.count() == 1


def test_figure_and_link_lists_take_the_same_queries_for_more_rows(
        org, goals, kpis, api_as, django_assert_max_num_queries):
    from tandem.goals.models import KeyResult
    from tandem.kpis import links, services

    hr = api_as(org.users["hr"])
    url = f"{URL}{kpis.rnd.pk}/measurements/"
    hr.post(url, {"date": "2026-10-31", "value": "1"}, format="json")
    with django_assert_max_num_queries(30) as counted:
        assert hr.get(url).json()["count"] == 1
    figures = len(counted.captured_queries)  # now: the next request clears the log
    with django_assert_max_num_queries(30) as counted:
        assert hr.get("/api/v1/kr-kpi-links/").json()["count"] == 1
    link_rows = len(counted.captured_queries)
    hr.post(url, [{"date": "2026-11-01", "value": "2"}, {"date": "2026-11-02", "value": "3"}],
            format="json")
    with scope(company=org.company.pk):
        for kr in KeyResult.objects.filter(pk__in=[goals.staff_kr.pk, goals.rnd_kr.pk]):
            links.link(key_result=kr, assignment=kpis.rnd, factor=Decimal("1"))
        services.record_measurement(assignment=kpis.staff, date=goals.quarter.end,
                                    value=Decimal("1"))
    with django_assert_max_num_queries(figures):
        assert hr.get(url).json()["count"] == 3
    with django_assert_max_num_queries(link_rows):
        assert hr.get("/api/v1/kr-kpi-links/").json()["count"] == 3
    staff = api_as(org.users["staff"])
    with django_assert_max_num_queries(link_rows + 3):
        assert staff.get("/api/v1/kr-kpi-links/").json()["count"] == 2  # R&D's: shared
