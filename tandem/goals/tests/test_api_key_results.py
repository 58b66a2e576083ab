"""/api/v1/key-results/: cascade fields, check-ins, tenancy."""

from decimal import Decimal as D

from django_scopes import scope

from tandem.goals.models import KeyResult
from tandem.goals.testing import make_goals


def test_a_cascaded_key_result_takes_its_target_from_the_parent(api_as, org, goals):
    response = api_as(org.users["staff"]).post("/api/v1/key-results/", {
        "objective": goals.staff.pk, "title": "My revenue", "measure_type": "currency",
        "parent_key_result": goals.company_kr.pk, "cascade_share": "0.1",
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["target_value"] == "100000.0000"
    assert body["cascade_share"] == "0.100000"
    assert body["direction"] == "increase"
    assert body["owner"] == org.employees["staff"].pk


def test_a_new_parent_target_flows_down_through_the_api(api_as, org, goals):
    response = api_as(org.users["hr"]).patch(
        f"/api/v1/key-results/{goals.company_kr.pk}/",
        {"target_value": "800000", "reason": "revised plan", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    with scope(company=org.company.pk):
        child = KeyResult.objects.get(pk=goals.rnd_kr.pk)
    assert child.target_value == D("400000.0000")
    assert child.history.first().history_change_reason == (
        "cascade: Revenue 1000000 → 800000: revised plan")


def test_target_equal_to_start_is_a_field_error(api_as, org, goals):
    response = api_as(org.users["staff"]).post("/api/v1/key-results/", {
        "objective": goals.staff.pk, "title": "Nothing", "start_value": "5",
        "target_value": "5"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"target_value"}


def test_someone_elses_objective_gets_no_key_results(api_as, org, goals):
    response = api_as(org.users["peer"]).post("/api/v1/key-results/", {
        "objective": goals.staff.pk, "title": "Sneaky", "target_value": "3"}, format="json")
    assert response.status_code == 403


def test_check_in_and_list_the_check_ins(api_as, org, goals):
    api = api_as(org.users["staff"])
    url = f"/api/v1/key-results/{goals.staff_kr.pk}/check-ins/"
    response = api.post(url, {"value": "25", "confidence": 8, "comment": "on it"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["progress"] == "0.2500"
    assert response.json()["author_name"] == "staff"
    api.post(url, {"value": "30", "confidence": 6}, format="json")
    listed = api.get(url).json()
    assert [row["value"] for row in listed["results"]] == ["30.0000", "25.0000"]
    objective = api.get(f"/api/v1/objectives/{goals.staff.pk}/").json()
    assert objective["progress"] == "0.3000"
    assert objective["grade"] == "0.3"


def test_bad_check_ins_are_400_with_field_errors(api_as, org, goals):
    api = api_as(org.users["staff"])
    url = f"/api/v1/key-results/{goals.staff_kr.pk}/check-ins/"
    response = api.post(url, {"value": "25", "confidence": 11}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"confidence"}
    response = api.post(url, {"value": 25, "confidence": "8"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"value", "confidence"}
    response = api.post(url, {"confidence": 5}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"value"}


def test_a_manager_does_not_check_in_for_their_report(api_as, org, goals):
    response = api_as(org.users["lead"]).post(
        f"/api/v1/key-results/{goals.staff_kr.pk}/check-ins/",
        {"value": "1", "confidence": 5}, format="json")
    assert response.status_code == 403


def test_another_companys_key_result_is_a_404(api_as, org, other_org, goals):
    theirs = make_goals(other_org)
    api = api_as(org.users["hr"])
    assert api.get(f"/api/v1/key-results/{theirs.staff_kr.pk}/").status_code == 404
    assert api.get(f"/api/v1/key-results/{theirs.staff_kr.pk}/check-ins/").status_code == 404
    response = api.post(f"/api/v1/key-results/{theirs.staff_kr.pk}/check-ins/",
                        {"value": "1", "confidence": 5}, format="json")
    assert response.status_code == 404
    response = api.post("/api/v1/key-results/", {
        "objective": theirs.staff.pk, "title": "x", "target_value": "3"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"objective"}
