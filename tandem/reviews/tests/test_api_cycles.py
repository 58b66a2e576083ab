"""/api/v1/review-cycles/: set-up, the steps from opening to closing through the API, the
distribution of the calibration board, and constant queries."""

import pytest
from django_scopes import scope

from tandem.reviews.models import ReviewCycle
from tandem.reviews.testing import make_reviews

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/v1/review-cycles/"
REVIEWS = "/api/v1/reviews/"


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


def _ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def test_every_member_reads_the_cycles(org, reviews, api_as):
    every = {reviews.draft.pk, reviews.open.pk, reviews.published.pk}
    for role in ("staff", "peer", "finance", "hr"):
        assert _ids(api_as(org.users[role]).get(URL)) == every
    hr = api_as(org.users["hr"])
    assert _ids(hr.get(URL, {"status": "published"})) == {reviews.published.pk}
    assert hr.get(URL, {"status": "nowhere"}).status_code == 400
    row = _ok(api_as(org.users["staff"]).get(f"{URL}{reviews.published.pk}/"))
    assert set(row["people"]) == {org.employees["staff"].pk, org.employees["peer"].pk}
    assert row["scope"] == "people" and row["status"] == "published"
    assert row["self_assessment"] is False and row["calibration"] is False


def test_hr_sets_a_cycle_up_and_changes_it_while_a_draft(org, goals, reviews, api_as):
    hr = api_as(org.users["hr"])
    body = {"name": "2026-Q4 R&D", "goal_cycles": [goals.quarter.pk], "scope": "departments",
            "departments": [org.rnd.pk], "peer_feedback": True,
            "manager_deadline": "2027-01-10", "calibration_deadline": "2027-01-20"}
    row = _ok(hr.post(URL, body, format="json"), 201)
    assert row["status"] == "draft" and row["departments"] == [org.rnd.pk]
    assert row["goal_cycles"] == [goals.quarter.pk] and row["version"] == 1
    assert row["manager_deadline"] == "2027-01-10"
    changed = _ok(hr.patch(f"{URL}{row['id']}/", {"name": "2026-Q4 R&D review",
                                                   "version": row["version"]}, format="json"))
    assert changed["name"] == "2026-Q4 R&D review" and changed["departments"] == [org.rnd.pk]
    assert changed["version"] == 2
    response = hr.patch(f"{URL}{row['id']}/", {"name": "Late", "version": 1}, format="json")
    assert response.status_code == 409
    response = hr.patch(f"{URL}{row['id']}/", {"name": "No version"}, format="json")
    assert set(response.json()["errors"]) == {"version"}
    response = hr.put(f"{URL}{row['id']}/", {**body, "scope": "company", "version": 2},
                      format="json")
    assert _ok(response)["departments"] == [] and response.json()["scope"] == "company"
    assert hr.delete(f"{URL}{row['id']}/").status_code == 204
    with scope(company=org.company.pk):
        assert not ReviewCycle.objects.filter(pk=row["id"]).exists()


def test_cycle_input_errors(org, goals, reviews, api_as):
    hr = api_as(org.users["hr"])

    def errors(data):
        response = hr.post(URL, data, format="json")
        assert response.status_code == 400, response.json()
        return response.json()["errors"]

    assert set(errors({})) == {"name", "goal_cycles"}
    quarter = [goals.quarter.pk]
    assert errors({"name": "2026-Q4 review", "goal_cycles": quarter}) == {
        "name": ["Another review cycle has this name."]}
    assert set(errors({"name": "X", "goal_cycles": quarter, "scope": "departments"})) == {
        "departments"}
    assert set(errors({"name": "X", "goal_cycles": quarter, "scope": "people"})) == {"people"}
    assert set(errors({"name": "X", "goal_cycles": quarter, "manager_deadline": "2027-02-01",
                       "calibration_deadline": "2027-01-01"})) == {"manager_deadline"}
    assert set(errors({"name": "X", "goal_cycles": [1.5]})) == {"goal_cycles"}
    assert set(errors({"name": "X", "goal_cycles": [999999]})) == {"goal_cycles"}
    assert set(errors({"name": "X", "goal_cycles": quarter, "scope": "all"})) == {"scope"}


def test_an_open_cycle_is_not_changed_nor_deleted(org, reviews, api_as):
    hr = api_as(org.users["hr"])
    response = hr.patch(f"{URL}{reviews.open.pk}/", {"name": "Renamed",
                                                      "version": reviews.open.version},
                        format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "An open review cycle cannot be changed any more."
    response = hr.delete(f"{URL}{reviews.open.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Only a review cycle still being set up can be deleted."


def test_only_hr_and_administrators_run_cycles(org, goals, reviews, api_as):
    for role in ("staff", "lead", "finance"):
        api = api_as(org.users[role])
        assert api.post(URL, {"name": "X", "goal_cycles": [goals.quarter.pk]},
                        format="json").status_code == 403
        assert api.patch(f"{URL}{reviews.draft.pk}/", {"name": "X", "version": 1},
                         format="json").status_code == 403
        assert api.delete(f"{URL}{reviews.draft.pk}/").status_code == 403
        for step in ("open", "start-calibration", "publish", "close"):
            assert api.post(f"{URL}{reviews.draft.pk}/{step}/").status_code == 403


def test_another_companys_cycle_is_404(org, other_org, reviews, api_as):
    theirs = make_reviews(other_org)
    hr = api_as(org.users["hr"])
    assert hr.get(f"{URL}{theirs.open.pk}/").status_code == 404
    assert hr.post(f"{URL}{theirs.draft.pk}/open/").status_code == 404
    assert hr.get(f"{URL}{theirs.published.pk}/distribution/").status_code == 404
    assert theirs.open.pk not in _ids(hr.get(URL))


def test_the_steps_from_opening_to_closing(org, goals, reviews, api_as):
    hr, lead = api_as(org.users["hr"]), api_as(org.users["lead"])
    staff = api_as(org.users["staff"])
    cycle = _ok(hr.post(URL, {"name": "Staff only", "goal_cycles": [goals.quarter.pk],
                              "scope": "people", "people": [org.employees["staff"].pk],
                              "self_assessment": False}, format="json"), 201)
    pk = cycle["id"]
    response = hr.post(f"{URL}{pk}/start-calibration/")
    assert response.status_code == 400
    assert response.json()["detail"] == "Calibration starts after the assessments."
    assert _ok(hr.post(f"{URL}{pk}/open/"))["status"] == "assessment"
    response = hr.post(f"{URL}{pk}/open/")
    assert response.json()["detail"] == "This review cycle is already open."
    [review] = _ok(hr.get(REVIEWS, {"cycle": pk}))["results"]
    assert review["stage"] == "manager" and review["employee"] == org.employees["staff"].pk
    response = hr.post(f"{URL}{pk}/start-calibration/")
    assert response.json()["detail"] == "1 assessment is not submitted yet."
    url = f"{REVIEWS}{review['id']}/"
    version = _ok(lead.post(f"{url}assessment/", {"summary": "Good.", "submit": True,
                                                  "version": review["version"]},
                            format="json"))["version"]
    assert _ok(hr.post(f"{URL}{pk}/start-calibration/"))["status"] == "calibration"
    # Calibration: a grade other than the score's needs a reason.
    response = lead.post(f"{url}grade/", {"grade": "S"}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"reason"}
    response = lead.post(f"{url}grade/", {"grade": "Z", "reason": "x"}, format="json")
    assert set(response.json()["errors"]) == {"grade"}
    row = _ok(lead.post(f"{url}grade/", {"grade": "S", "reason": "Carried the launch."},
                        format="json"))
    assert (row["grade"], row["calculated_grade"]) == ("S", "A")
    assert row["grade_reason"] == "Carried the launch."
    # Sent back: the cycle returns to the assessments.
    row = _ok(hr.post(f"{url}return/", {"reason": "Check the KPI figures."}, format="json"))
    assert row["stage"] == "manager"
    assert _ok(hr.get(f"{URL}{pk}/"))["status"] == "assessment"
    version = row["version"]
    _ok(lead.post(f"{url}assessment/", {"summary": "Checked.", "submit": True,
                                        "version": version}, format="json"))
    response = hr.post(f"{URL}{pk}/publish/")
    assert response.json()["detail"] == "Publish after calibration."
    _ok(hr.post(f"{URL}{pk}/start-calibration/"))
    before = _ok(staff.get(url))
    assert before["grade"] is None and before["result_visible"] is False
    assert _ok(hr.post(f"{URL}{pk}/publish/"))["status"] == "published"
    after = _ok(staff.get(url))
    assert after["grade"] == "S" and after["grade_reason"] == "Carried the launch."
    assert after["manager_summary"] == "Checked." and after["stage"] == "published"
    assert _ok(staff.post(f"{url}acknowledge/", {"comment": "Thanks."},
                          format="json"))["stage"] == "acknowledged"
    closed = _ok(hr.post(f"{URL}{pk}/close/"))
    assert closed["status"] == "closed" and closed["closed_at"] is not None
    response = hr.post(f"{URL}{pk}/close/")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Close a review cycle after its results are published.")


def test_the_distribution_of_the_published_cycle(org, reviews, api_as):
    data = _ok(api_as(org.users["hr"]).get(f"{URL}{reviews.published.pk}/distribution/"))
    assert data["use_distribution"] is False
    # Default shares 10/20/50/15/5 % of 2 people, largest remainder.
    assert data["quotas"] == {"S": 0, "A": 1, "B": 1, "C": 0, "D": 0}
    assert data["actual"] == {"S": 1, "A": 1, "B": 0, "C": 0, "D": 0}
    assert [(s["review"], s["employee"], s["current"], s["suggested"])
            for s in data["suggestions"]] == [
        (reviews.peer_done.pk, org.employees["peer"].pk, "S", "A"),
        (reviews.staff_done.pk, org.employees["staff"].pk, "A", "B")]
    assert all(s["reason"].startswith("Ranked ") for s in data["suggestions"])
    departments = {row["department"]: row for row in data["departments"]}
    assert departments[org.platform.pk]["counts"] == {"S": 0, "A": 1, "B": 0, "C": 0, "D": 0}
    assert departments[org.sales.pk]["total"] == 1
    assert departments[org.sales.pk]["counts"]["S"] == 1
    assert data["explanation"][0] == "2 people in the distribution; quotas by largest remainder."
    assert _ok(api_as(org.users["finance"]).get(
        f"{URL}{reviews.published.pk}/distribution/")) == data


def test_a_leader_sees_the_distribution_of_their_people_only(org, reviews, api_as):
    lead = api_as(org.users["lead"])
    data = _ok(lead.get(f"{URL}{reviews.published.pk}/distribution/"))
    assert data["actual"] == {"S": 0, "A": 1, "B": 0, "C": 0, "D": 0}
    assert data["quotas"] == {"S": 0, "A": 0, "B": 1, "C": 0, "D": 0}
    assert [s["review"] for s in data["suggestions"]] == [reviews.staff_done.pk]
    # The open cycle: the leader's own review is left out, staff's (no submission yet) has a
    # final score from the figures.
    data = _ok(lead.get(f"{URL}{reviews.open.pk}/distribution/"))
    assert sum(data["actual"].values()) == 1
    empty = _ok(lead.get(f"{URL}{reviews.draft.pk}/distribution/"))
    assert empty["quotas"] == {"S": 0, "A": 0, "B": 0, "C": 0, "D": 0}
    assert empty["suggestions"] == [] and empty["departments"] == []
    for role in ("staff", "peer"):
        response = api_as(org.users[role]).get(f"{URL}{reviews.published.pk}/distribution/")
        assert response.status_code == 403


def test_the_cycle_list_takes_the_same_queries_for_more_cycles(
        org, goals, reviews, api_as, django_assert_max_num_queries):
    hr = api_as(org.users["hr"])
    with django_assert_max_num_queries(30) as few:
        assert len(_ok(hr.get(URL))["results"]) == 3
    counted = len(few.captured_queries)
    for n in range(20):
        _ok(hr.post(URL, {"name": f"Extra {n}", "goal_cycles": [goals.quarter.pk],
                          "scope": "people", "people": [org.employees["staff"].pk]},
                    format="json"), 201)
    with django_assert_max_num_queries(counted):
        assert len(_ok(hr.get(URL, {"page_size": 50}))["results"]) == 23
