"""/api/v1/bonus-policies/ (CRUD, formula errors, the what-if) and a cycle's bonus awards and
their approval into pay items."""

import pytest
from django_scopes import scope

from tandem.pay.models import PayItem
from tandem.reviews.models import AwardStatus, BonusAward, BonusPolicy
from tandem.reviews.testing import make_reviews

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/v1/bonus-policies/"
CYCLES = "/api/v1/review-cycles/"


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def test_hr_and_finance_read_the_policies_nobody_else(org, reviews, api_as):
    for role in ("owner", "hr", "finance"):
        rows = _ok(api_as(org.users[role]).get(URL))["results"]
        assert [row["id"] for row in rows] == [reviews.standard.pk]
    row = _ok(api_as(org.users["finance"]).get(f"{URL}{reviews.standard.pk}/"))
    assert (row["base_bonus"], row["extra_bonus"]) == ("10000.00", "5000.00")
    assert row["cap"] is None and row["budget"] is None and row["active"] is True
    for role in ("lead", "staff", "peer"):
        api = api_as(org.users[role])
        assert api.get(URL).status_code == 403
        assert api.get(f"{URL}{reviews.standard.pk}/").status_code == 403


def test_hr_writes_policies_with_validated_formulas(org, reviews, api_as):
    hr = api_as(org.users["hr"])
    body = {"name": "Sales", "formula": "kpi_rate * base_bonus", "base_bonus": "8000",
            "department": org.sales.pk, "cap": "9000"}
    row = _ok(hr.post(URL, body, format="json"), 201)
    assert (row["base_bonus"], row["extra_bonus"], row["cap"]) == ("8000.00", "0.00", "9000.00")
    assert row["department"] == org.sales.pk and row["version"] == 1
    response = hr.patch(f"{URL}{row['id']}/", {"formula": "kpi_rate * (base_bonus",
                                               "version": 1}, format="json")
    assert response.status_code == 400
    [message] = response.json()["errors"]["formula"]
    assert "(at character" in message
    row = _ok(hr.patch(f"{URL}{row['id']}/", {"budget": "50000", "version": 1}, format="json"))
    assert row["budget"] == "50000.00" and row["version"] == 2
    assert hr.patch(f"{URL}{row['id']}/", {"budget": "1", "version": 1},
                    format="json").status_code == 409
    assert set(hr.patch(f"{URL}{row['id']}/", {"budget": "1"},
                        format="json").json()["errors"]) == {"version"}
    assert hr.delete(f"{URL}{row['id']}/").status_code == 204
    with scope(company=org.company.pk):
        assert not BonusPolicy.objects.filter(pk=row["id"]).exists()


def test_policy_input_errors(org, reviews, api_as):
    hr = api_as(org.users["hr"])

    def errors(data):
        response = hr.post(URL, data, format="json")
        assert response.status_code == 400, response.json()
        return set(response.json()["errors"])

    good = {"name": "New", "formula": "base_bonus", "base_bonus": "1000"}
    assert errors({}) == {"name", "formula", "base_bonus"}
    assert errors({**good, "formula": "__import__('os')"}) == {"formula"}
    assert errors({**good, "formula": "salary * 2"}) == {"formula"}
    assert errors({**good, "name": "Standard"}) == {"name"}
    assert errors({**good, "base_bonus": "-1"}) == {"base_bonus"}
    assert errors({**good, "base_bonus": 1000}) == {"base_bonus"}
    assert errors({**good, "department": org.sales.pk, "position": None,
                   "cap": "x"}) == {"cap"}


def test_a_policy_with_awards_is_not_deleted_and_only_hr_writes(org, reviews, api_as):
    response = api_as(org.users["hr"]).delete(f"{URL}{reviews.standard.pk}/")
    assert response.status_code == 409
    finance = api_as(org.users["finance"])
    assert finance.post(URL, {"name": "F", "formula": "1", "base_bonus": "1"},
                        format="json").status_code == 403
    assert finance.patch(f"{URL}{reviews.standard.pk}/", {"name": "F", "version": 1},
                         format="json").status_code == 403
    assert finance.delete(f"{URL}{reviews.standard.pk}/").status_code == 403


def _simulate(api, reviews, **changes):
    return api.post(f"{URL}{reviews.standard.pk}/simulate/",
                    {"cycle": reviews.published.pk, **changes}, format="json")


def test_the_what_if_shows_every_bonus_and_the_total_against_the_budget(org, reviews, api_as):
    finance = api_as(org.users["finance"])
    data = _ok(_simulate(finance, reviews))
    assert [(line["review"], line["employee"], line["amount"]) for line in data["lines"]] == [
        (reviews.staff_done.pk, org.employees["staff"].pk, "12000.00"),
        (reviews.peer_done.pk, org.employees["peer"].pk, "12000.00")]
    assert data["total"] == "24000.00" and data["budget"] is None
    assert data["within_budget"] is True and data["error_count"] == 0
    assert all(line["explanation"] and line["error"] == "" for line in data["lines"])
    data = _ok(_simulate(finance, reviews, base_bonus="20000", budget="30000"))
    assert [line["amount"] for line in data["lines"]] == ["24000.00", "24000.00"]
    assert (data["total"], data["budget"], data["over_budget"]) == ("48000.00", "30000.00",
                                                                    "18000.00")
    assert data["within_budget"] is False
    data = _ok(_simulate(finance, reviews, cap="10000"))
    assert data["total"] == "20000.00"
    # Other shares: staff 0.2 × 80 + 0.8 × 120 = 112; peer 120 either way.
    data = _ok(_simulate(finance, reviews, formula="final_rate * base_bonus",
                         okr_weight="0.2", kpi_weight="0.8"))
    assert [line["amount"] for line in data["lines"]] == ["11200.00", "12000.00"]
    data = _ok(_simulate(finance, reviews, formula="base_bonus / (okr_rate - 0.8)"))
    assert data["error_count"] == 1
    assert data["lines"][0]["error"] and data["lines"][1]["error"] == ""
    with scope(company=org.company.pk):
        awards = list(BonusAward.objects.order_by("pk").values_list("amount", flat=True))
        assert [str(amount) for amount in awards] == ["12000.00", "12000.00"]
        assert BonusPolicy.objects.get(pk=reviews.standard.pk).formula != (
            "final_rate * base_bonus")


def test_what_if_errors(org, reviews, api_as):
    hr = api_as(org.users["hr"])
    response = _simulate(hr, reviews, formula="kpi_rate *")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"formula"}
    response = _simulate(hr, reviews, okr_weight="0.3")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"okr_weight"}
    response = _simulate(hr, reviews, okr_weight="0.3", kpi_weight="0.6")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"okr_weight"}
    response = hr.post(f"{URL}{reviews.standard.pk}/simulate/", {"cycle": reviews.draft.pk},
                       format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"cycle"}
    response = hr.post(f"{URL}{reviews.standard.pk}/simulate/", {}, format="json")
    assert set(response.json()["errors"]) == {"cycle"}
    response = _simulate(hr, reviews, base_bonus=100)
    assert set(response.json()["errors"]) == {"base_bonus"}
    for role in ("lead", "staff"):
        assert _simulate(api_as(org.users[role]), reviews).status_code == 403


def test_the_cycles_awards_and_their_approval_into_pay_items(org, reviews, api_as):
    hr = api_as(org.users["hr"])
    url = f"{CYCLES}{reviews.published.pk}/"
    rows = _ok(api_as(org.users["finance"]).get(f"{url}bonuses/"))["results"]
    assert [(row["employee"], row["amount"], row["status"]) for row in rows] == [
        (org.employees["staff"].pk, "12000.00", "proposed"),
        (org.employees["peer"].pk, "12000.00", "proposed")]
    assert rows[0]["policy_name"] == "Standard" and rows[0]["explanation"]
    for role in ("lead", "staff"):
        assert api_as(org.users[role]).get(f"{url}bonuses/").status_code == 403
    assert api_as(org.users["finance"]).post(f"{url}approve-bonuses/", {
        "month": "2026-12-01"}, format="json").status_code == 403
    response = hr.post(f"{url}approve-bonuses/", {"month": "2026-13-01"}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"month"}
    response = hr.post(f"{CYCLES}{reviews.open.pk}/approve-bonuses/", {"month": "2026-12-01"},
                       format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Bonuses are approved after the results are published."
    items = _ok(hr.post(f"{url}approve-bonuses/", {"month": "2026-12-15"}, format="json"), 201)
    assert [(item["employee"], item["amount"], item["month"], item["source"])
            for item in items] == [
        (org.employees["staff"].pk, "12000.00", "2026-12-01", "review"),
        (org.employees["peer"].pk, "12000.00", "2026-12-01", "review")]
    assert {item["kind"] for item in items} == {"regular_bonus"}
    rows = _ok(hr.get(f"{url}bonuses/"))["results"]
    assert {row["status"] for row in rows} == {AwardStatus.APPROVED}
    assert {row["pay_item"] for row in rows} == {item["id"] for item in items}
    with scope(company=org.company.pk):
        assert PayItem.objects.filter(pk__in=[item["id"] for item in items]).count() == 2
    response = hr.post(f"{url}approve-bonuses/", {"month": "2026-12-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "There are no proposed bonuses to approve."
