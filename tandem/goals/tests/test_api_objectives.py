"""/api/v1/objectives/: create, filter, tree, approval actions, tenancy."""

import pytest
from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import Objective
from tandem.goals.testing import make_goals


def test_an_employee_creates_their_own_objective(api_as, org, goals):
    response = api_as(org.users["staff"]).post("/api/v1/objectives/", {
        "cycle": goals.quarter.pk, "level": "individual",
        "owner_employee": org.employees["staff"].pk, "title": "Learn Rust",
        "parent": goals.rnd.pk,
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["progress"] == "0.0000"
    assert body["grade"] == "0.0"
    assert body["owner_name"] == "staff"
    assert body["version"] == 1


def test_writing_someone_elses_objective_is_a_field_error(api_as, org, goals):
    response = api_as(org.users["peer"]).post("/api/v1/objectives/", {
        "cycle": goals.quarter.pk, "level": "individual",
        "owner_employee": org.employees["staff"].pk, "title": "Not mine",
    }, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"owner_employee"}


def test_a_misaligned_parent_is_refused(api_as, org, goals):
    response = api_as(org.users["staff"]).post("/api/v1/objectives/", {
        "cycle": goals.quarter.pk, "level": "individual",
        "owner_employee": org.employees["staff"].pk, "title": "Mine", "parent": goals.peer.pk,
    }, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"parent"}


def test_filters(api_as, org, goals):
    api = api_as(org.users["peer"])
    ids = lambda query: {row["id"] for row in api.get(f"/api/v1/objectives/?{query}").json()["results"]}  # noqa: E731
    assert ids("level=company") == {goals.company.pk}
    assert ids(f"owner={org.employees['staff'].pk}") == {goals.staff.pk}
    assert ids(f"department={org.platform.pk}") == {goals.staff.pk}
    assert ids(f"department={org.rnd.pk}") == {goals.rnd.pk}
    assert ids(f"cycle={goals.quarter.pk}&status=draft") == {
        goals.company.pk, goals.rnd.pk, goals.staff.pk, goals.peer.pk}
    assert api.get("/api/v1/objectives/?level=nonsense").status_code == 400


def test_the_tree_lists_nodes_depth_first_and_orphans_apart(api_as, org, goals):
    response = api_as(org.users["peer"]).get(f"/api/v1/objectives/tree/?cycle={goals.quarter.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["cycle"] == goals.quarter.pk
    assert [(n["id"], n["depth"], n["parent"]) for n in body["nodes"]] == [
        (goals.company.pk, 0, None), (goals.rnd.pk, 1, goals.company.pk),
        (goals.staff.pk, 2, goals.rnd.pk)]
    assert [o["id"] for o in body["orphans"]] == [goals.peer.pk]
    assert body["nodes"][1]["owner_name"] == "研发部"


def test_the_tree_costs_the_same_queries_whatever_its_size(api_as, org, goals,
                                                          django_assert_num_queries):
    api = api_as(org.users["peer"])
    url = f"/api/v1/objectives/tree/?cycle={goals.quarter.pk}"
    with django_assert_num_queries(5):
        api.get(url)
    with scope(company=org.company.pk):
        for n in range(6):
            services.create_objective(company=org.company, cycle=goals.quarter,
                                      level="individual", owner_employee=org.employees["staff"],
                                      title=f"More {n}", parent=goals.rnd)
    with django_assert_num_queries(5):
        assert len(api.get(url).json()["nodes"]) == 9


def test_the_tree_refuses_a_malformed_cycle(api_as, org, goals):
    response = api_as(org.users["peer"]).get("/api/v1/objectives/tree/?cycle=abc")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"cycle"}


def test_submit_approve_and_return(api_as, org, goals):
    url = f"/api/v1/objectives/{goals.staff.pk}/"
    assert api_as(org.users["staff"]).post(url + "submit/").json()["status"] == "submitted"
    assert api_as(org.users["peer"]).post(url + "approve/").status_code == 403
    response = api_as(org.users["lead"]).post(url + "return/", {"comment": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"comment"}
    response = api_as(org.users["lead"]).post(url + "approve/", {"comment": "ok"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert api_as(org.users["lead"]).post(url + "approve/").status_code == 409


def test_rewording_an_approved_objective_through_the_api_resubmits_it(api_as, org, goals):
    with scope(company=org.company.pk):
        services.submit_objective(objective=goals.staff)
        services.approve_objective(objective=goals.staff)
        version = Objective.objects.get(pk=goals.staff.pk).version
    response = api_as(org.users["staff"]).patch(
        f"/api/v1/objectives/{goals.staff.pk}/",
        {"title": "Bill every customer", "version": version}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    stale = api_as(org.users["staff"]).patch(
        f"/api/v1/objectives/{goals.staff.pk}/", {"title": "x", "version": version},
        format="json")
    assert stale.status_code == 409


def test_the_owner_and_level_are_fixed_after_creation(api_as, org, goals):
    response = api_as(org.users["hr"]).patch(
        f"/api/v1/objectives/{goals.staff.pk}/",
        {"owner_employee": org.employees["peer"].pk, "version": 1}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"owner_employee"}


@pytest.mark.parametrize("path", ["", "submit/", "approve/", "return/"])
def test_another_companys_objective_is_a_404(api_as, org, other_org, goals, path):
    theirs = make_goals(other_org)
    method = "get" if path == "" else "post"
    response = getattr(api_as(org.users["hr"]), method)(
        f"/api/v1/objectives/{theirs.staff.pk}/{path}")
    assert response.status_code == 404
    tree = api_as(org.users["hr"]).get(f"/api/v1/objectives/tree/?cycle={theirs.quarter.pk}")
    assert tree.status_code == 404


def test_cycles_are_maintained_by_hr(api_as, org, goals):
    body = {"name": "2027-Q1", "kind": "quarter", "start": "2027-01-01", "end": "2027-03-31"}
    assert api_as(org.users["staff"]).post("/api/v1/cycles/", body, format="json").status_code == 403
    response = api_as(org.users["hr"]).post("/api/v1/cycles/", body, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "planning"
    reversed_dates = {**body, "name": "bad", "start": "2027-03-31", "end": "2027-01-01"}
    refused = api_as(org.users["hr"]).post("/api/v1/cycles/", reversed_dates, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"end"}
    assert api_as(org.users["hr"]).delete(f"/api/v1/cycles/{goals.quarter.pk}/").status_code == 409
