"""Position KPI sets over the API (/api/v1/positions/{id}/kpi-set/) and applying them to a
cycle (/api/v1/cycles/{id}/apply-position-kpis/)."""

import pytest
from django_scopes import scope

from tandem.kpis.models import Assignment
from tandem.org import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(org):
    """A position of Platform held by staff."""
    with scope(company=org.company.pk):
        position = org_services.create_position(company=org.company, title="工程师",
                                                title_en="Engineer", department=org.platform)
        staff = org.employees["staff"]
        staff.position = position
        staff.save()
    return position


def test_hr_sets_a_position_s_kpis_and_everyone_reads_them(org, kpis, engineer, api_as):
    url = f"/api/v1/positions/{engineer.pk}/kpi-set/"
    assert api_as(org.users["staff"]).get(url).json() == {"position": engineer.pk, "lines": []}
    body = {"lines": [
        {"indicator": kpis.sales.pk, "target": "100000", "weight": "0.6"},
        {"indicator": kpis.new_customers.pk, "target": "8", "weight": "0.4",
         "threshold_floor": "4"}]}
    assert api_as(org.users["lead"]).put(url, body, format="json").status_code == 403
    response = api_as(org.users["hr"]).put(url, body, format="json")
    assert response.status_code == 200, response.json()
    lines = api_as(org.users["staff"]).get(url).json()["lines"]
    assert [(line["indicator_code"], line["weight"], line["threshold_floor"])
            for line in lines] == [("NEW_CUST", "0.4000", "4.0000"),
                                   ("SALES", "0.6000", None)]


def test_a_position_s_weights_add_up_to_100_percent(org, kpis, engineer, api_as):
    url = f"/api/v1/positions/{engineer.pk}/kpi-set/"
    response = api_as(org.users["hr"]).put(url, {"lines": [
        {"indicator": kpis.sales.pk, "target": "100000", "weight": "0.6"}]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"weight"}
    response = api_as(org.users["hr"]).put(url, {"lines": [
        {"indicator": kpis.sales.pk, "target": "x", "weight": "1"}]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"lines"}
    assert api_as(org.users["hr"]).put(url, {}, format="json").status_code == 400
    assert api_as(org.users["hr"]).get("/api/v1/positions/999999/kpi-set/").status_code == 404
    assert api_as(org.users["hr"]).get("/api/v1/positions/x/kpi-set/").status_code == 404


def test_applying_position_sets_to_a_cycle(org, goals, kpis, engineer, api_as):
    hr = api_as(org.users["hr"])
    hr.put(f"/api/v1/positions/{engineer.pk}/kpi-set/", {"lines": [
        {"indicator": kpis.sales.pk, "target": "100000", "weight": "1"}]}, format="json")
    url = f"/api/v1/cycles/{goals.year.pk}/apply-position-kpis/"
    assert api_as(org.users["lead"]).post(url, {}, format="json").status_code == 403
    response = hr.post(url, {"positions": [engineer.pk]}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()["created"]
    assert [(row["assignee_kind"], row["position"], row["indicator_code"])
            for row in created] == [("position", engineer.pk, "SALES")]
    with scope(company=org.company.pk):
        inherited = Assignment.objects.get(cycle=goals.year, employee=org.employees["staff"])
    assert inherited.inherited_from_id == created[0]["id"]
    assert hr.post(url, {}, format="json").json() == {"created": []}
    assert set(hr.post(url, {"positions": [999999]}, format="json").json()["errors"]) == {
        "positions"}
