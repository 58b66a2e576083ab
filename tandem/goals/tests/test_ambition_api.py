"""/api/v1/key-results/ and the ambition guard: the reason for an eased approved target, the
low-ambition flag and the target changes, at a constant cost for the list."""

from decimal import Decimal as D

from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import KeyResult


def _approve(org, objective):
    with scope(company=org.company.pk):
        services.submit_objective(objective=objective)
        services.approve_objective(objective=objective)


def _version(org, kr):
    with scope(company=org.company.pk):
        return KeyResult.objects.get(pk=kr.pk).version


def test_easing_an_approved_target_without_a_reason_is_a_400_on_reason(api_as, org, goals):
    _approve(org, goals.staff)
    api = api_as(org.users["staff"])
    url = f"/api/v1/key-results/{goals.staff_kr.pk}/"
    response = api.patch(url, {"target_value": "80", "version": _version(org, goals.staff_kr)},
                         format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    response = api.patch(url, {"target_value": "80", "reason": "scope cut",
                               "version": _version(org, goals.staff_kr)}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["target_value"] == "80.0000"
    assert body["low_ambition"] is False
    assert body["low_ambition_explanation"] == ""
    (change,) = body["target_changes"]
    assert {key: change[key] for key in ("old_target", "new_target", "change", "source",
                                         "reason", "by", "by_name", "low_ambition")} == {
        "old_target": "100.0000", "new_target": "80.0000", "change": "eased",
        "source": "manual", "reason": "scope cut", "by": org.users["staff"].pk,
        "by_name": org.users["staff"].get_username(), "low_ambition": False}


def test_the_flag_and_changes_are_read_only(api_as, org, goals):
    response = api_as(org.users["staff"]).patch(
        f"/api/v1/key-results/{goals.staff_kr.pk}/",
        {"low_ambition": True, "version": _version(org, goals.staff_kr)}, format="json")
    assert response.status_code == 200
    assert response.json()["low_ambition"] is False
    assert response.json()["target_changes"] == []


def test_a_cascade_shows_in_the_childs_target_changes(api_as, org, goals):
    api = api_as(org.users["hr"])
    response = api.patch(f"/api/v1/key-results/{goals.company_kr.pk}/", {
        "target_value": "800000", "reason": "revised plan",
        "version": _version(org, goals.company_kr)}, format="json")
    assert response.status_code == 200, response.json()
    child = api.get(f"/api/v1/key-results/{goals.rnd_kr.pk}/").json()
    (change,) = child["target_changes"]
    assert (change["source"], change["change"], change["reason"], change["new_target"]) == (
        "cascade", "eased", "revised plan", "400000.0000")


def test_the_list_costs_the_same_queries_whatever_the_changes(
        api_as, org, goals, django_assert_max_num_queries):
    api = api_as(org.users["hr"])
    api.get("/api/v1/key-results/")
    with django_assert_max_num_queries(30) as before:
        api.get("/api/v1/key-results/")
    with scope(company=org.company.pk):
        for target in (D(90), D(80), D(120)):
            for kr in (goals.staff_kr, goals.peer_kr, goals.company_kr):
                kr = KeyResult.objects.get(pk=kr.pk)
                services.update_key_result(key_result=kr, target_value=target)
    with django_assert_max_num_queries(len(before.captured_queries)):
        body = api.get("/api/v1/key-results/").json()
    counts = {row["id"]: len(row["target_changes"]) for row in body["results"]}
    assert counts[goals.staff_kr.pk] == 3
    assert counts[goals.rnd_kr.pk] == 3
