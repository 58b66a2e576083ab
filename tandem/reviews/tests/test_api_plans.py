"""/api/v1/improvement-plans/ and /api/v1/improvement-items/: lists by visibility, adding,
changing and deleting items, agreement, and constant queries."""

import pytest
from django_scopes import scope

from tandem.reviews.access import PLAN
from tandem.reviews.models import ImprovementItem, PlanStatus
from tandem.reviews.testing import make_reviews

pytestmark = pytest.mark.django_db

URL = "/api/v1/improvement-plans/"
ITEMS = "/api/v1/improvement-items/"


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


def _ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


@pytest.mark.parametrize("role", ["owner", "hr", "finance", "lead", "staff", "peer"])
def test_a_list_holds_only_what_the_caller_may_read(org, reviews, api_as, role):
    expected = {getattr(reviews, name).pk for name, roles in PLAN.items() if role in roles}
    assert _ids(api_as(org.users[role]).get(URL)) == expected


def test_a_plan_carries_its_items(org, reviews, api_as):
    row = _ok(api_as(org.users["staff"]).get(f"{URL}{reviews.staff_plan.pk}/"))
    assert row["review"] == reviews.staff_done.pk and row["cycle"] == reviews.published.pk
    assert row["employee"] == org.employees["staff"].pk and row["status"] == "draft"
    [item] = row["items"]
    assert item["id"] == reviews.staff_item.pk and item["kind"] == "keep"
    assert item["status"] == "open" and item["reason"]
    hr = api_as(org.users["hr"])
    assert _ids(hr.get(URL, {"employee": org.employees["peer"].pk})) == {reviews.peer_plan.pk}
    assert _ids(hr.get(URL, {"cycle": reviews.open.pk})) == set()
    assert api_as(org.users["finance"]).get(f"{URL}{reviews.staff_plan.pk}/").status_code == 403
    assert api_as(org.users["peer"]).get(f"{URL}{reviews.staff_plan.pk}/").status_code == 403


def test_items_are_added_changed_and_deleted_and_the_plan_agreed(org, reviews, api_as):
    staff, lead = api_as(org.users["staff"]), api_as(org.users["lead"])
    url = f"{URL}{reviews.staff_plan.pk}/"
    item = _ok(lead.post(f"{url}items/", {"kind": "improve", "title": "Code review",
                                          "action": "Review two pull requests a week.",
                                          "due": "2027-03-31"}, format="json"), 201)
    assert item["plan"] == reviews.staff_plan.pk and item["order"] == 2
    assert item["status"] == "open" and item["due"] == "2027-03-31"
    plan = _ok(staff.post(f"{url}agree/", {}, format="json"))
    assert plan["employee_agreed_at"] is not None and plan["status"] == "draft"
    plan = _ok(lead.post(f"{url}agree/", {"version": plan["version"]}, format="json"))
    assert plan["status"] == "agreed" and plan["manager_agreed_at"] is not None
    # Tracking the status keeps the agreement; changing what the item asks does not.
    row = _ok(staff.patch(f"{ITEMS}{item['id']}/", {"status": "done"}, format="json"))
    assert row["status"] == "done"
    assert _ok(staff.get(url))["status"] == "agreed"
    row = _ok(staff.patch(f"{ITEMS}{item['id']}/", {"title": "Code reviews"}, format="json"))
    assert row["title"] == "Code reviews"
    assert _ok(staff.get(url))["status"] == PlanStatus.DRAFT
    assert _ok(staff.get(f"{ITEMS}{item['id']}/"))["title"] == "Code reviews"
    assert lead.delete(f"{ITEMS}{item['id']}/").status_code == 204
    with scope(company=org.company.pk):
        assert not ImprovementItem.objects.filter(pk=item["id"]).exists()
    assert staff.post(f"{url}agree/", {"version": 1}, format="json").status_code == 409


def test_item_errors_and_refusals(org, reviews, api_as):
    staff = api_as(org.users["staff"])
    url = f"{URL}{reviews.staff_plan.pk}/items/"
    response = staff.post(url, {"kind": "improve"}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"title", "action"}
    response = staff.post(url, {"kind": "better", "title": "x", "action": "y"}, format="json")
    assert set(response.json()["errors"]) == {"kind"}
    response = staff.patch(f"{ITEMS}{reviews.staff_item.pk}/", {"title": " "}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"title"}
    response = staff.patch(f"{ITEMS}{reviews.staff_item.pk}/", {"status": "finished"},
                           format="json")
    assert set(response.json()["errors"]) == {"status"}
    for role in ("peer", "finance"):
        api = api_as(org.users[role])
        assert api.post(url, {"kind": "improve", "title": "x", "action": "y"},
                        format="json").status_code == 403
        assert api.patch(f"{ITEMS}{reviews.staff_item.pk}/", {"status": "done"},
                         format="json").status_code == 403
        assert api.delete(f"{ITEMS}{reviews.staff_item.pk}/").status_code == 403
        assert api.post(f"{URL}{reviews.staff_plan.pk}/agree/", {},
                        format="json").status_code == 403
    assert staff.put(f"{ITEMS}{reviews.staff_item.pk}/", {}, format="json").status_code == 405


def test_another_companys_plan_is_404(org, other_org, reviews, api_as):
    theirs = make_reviews(other_org)
    hr = api_as(org.users["hr"])
    assert hr.get(f"{URL}{theirs.staff_plan.pk}/").status_code == 404
    assert hr.post(f"{URL}{theirs.staff_plan.pk}/agree/", {}, format="json").status_code == 404
    assert hr.delete(f"{ITEMS}{theirs.staff_item.pk}/").status_code == 404


def test_the_list_takes_the_same_queries_for_more_items(
        org, reviews, api_as, django_assert_max_num_queries):
    hr = api_as(org.users["hr"])
    with django_assert_max_num_queries(30) as few:
        rows = _ok(hr.get(URL))["results"]
    counted = len(few.captured_queries)
    before = sum(len(row["items"]) for row in rows)
    for plan in (reviews.staff_plan, reviews.peer_plan):
        for n in range(10):
            _ok(hr.post(f"{URL}{plan.pk}/items/", {"kind": "improve", "title": f"T{n}",
                                                   "action": "Do it."}, format="json"), 201)
    with django_assert_max_num_queries(counted):
        rows = _ok(hr.get(URL))["results"]
    assert sum(len(row["items"]) for row in rows) == before + 20
