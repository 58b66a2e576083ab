"""/api/v1/kpis/: the KPI library over the API."""

import pytest
from django_scopes import scope

from tandem.kpis.models import Indicator

pytestmark = pytest.mark.django_db

URL = "/api/v1/kpis/"


def test_everyone_lists_the_library_filtered_and_searched(org, kpis, api_as):
    with scope(company=org.company.pk):
        kpis.sales.category = "sales"
        kpis.sales.tags = ["收入", "quarterly"]
        kpis.sales.save()
        kpis.defects.active = False
        kpis.defects.save()
    api = api_as(org.users["peer"])
    codes = [row["code"] for row in api.get(URL).json()["results"]]
    assert codes == ["DEFECTS", "NEW_CUST", "SALES"]
    assert [r["code"] for r in api.get(URL, {"category": "sales"}).json()["results"]] == ["SALES"]
    assert [r["code"] for r in api.get(URL, {"tag": "收入"}).json()["results"]] == ["SALES"]
    assert [r["code"] for r in api.get(URL, {"tag": "quarter"}).json()["results"]] == []
    assert [r["code"] for r in api.get(URL, {"active": "false"}).json()["results"]] == [
        "DEFECTS"]
    assert [r["code"] for r in api.get(URL, {"search": "cust"}).json()["results"]] == [
        "NEW_CUST"]
    row = api.get(f"{URL}{kpis.sales.pk}/").json()
    assert row["tags"] == ["收入", "quarterly"]
    assert row["rule"] == "ratio" and row["aggregation"] == "sum" and row["version"] >= 1


def test_hr_creates_updates_and_deletes_an_indicator(org, kpis, api_as):
    api = api_as(org.users["hr"])
    response = api.post(URL, {"code": "NPS", "name": "净推荐值", "name_en": "NPS",
                              "aggregation": "average", "rule": "banded",
                              "bands": [["0.8", "80"], ["1", "100"]], "tags": ["客户"]},
                        format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["bands"] == [["1", "100"], ["0.8", "80"]]
    response = api.patch(f"{URL}{created['id']}/", {"name": "NPS 净推荐值",
                                                    "version": created["version"]},
                         format="json")
    assert response.status_code == 200
    assert response.json()["version"] == created["version"] + 1
    stale = api.patch(f"{URL}{created['id']}/", {"name": "x", "version": created["version"]},
                      format="json")
    assert stale.status_code == 409
    assert api.delete(f"{URL}{created['id']}/").status_code == 204
    with scope(company=org.company.pk):
        assert not Indicator.objects.filter(code="NPS").exists()


def test_invalid_indicators_are_400_with_field_errors(org, kpis, api_as):
    api = api_as(org.users["hr"])
    response = api.post(URL, {"code": "SALES", "name": "重复"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"code"}
    response = api.post(URL, {"code": "LATE", "name": "迟到", "direction": "lower",
                              "rule": "ratio"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"rule"}
    response = api.post(URL, {"code": "X", "name": "x", "cap": "0.5"}, format="json")
    assert set(response.json()["errors"]) == {"cap"}
    response = api.post(URL, {"code": "X", "name": "x", "rule": "nonsense"}, format="json")
    assert set(response.json()["errors"]) == {"rule"}


def test_an_assigned_indicator_cannot_be_deleted(org, kpis, api_as):
    response = api_as(org.users["hr"]).delete(f"{URL}{kpis.sales.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_only_people_admins_write_the_library(org, kpis, api_as):
    api = api_as(org.users["lead"])
    assert api.post(URL, {"code": "X", "name": "x"}, format="json").status_code == 403
    assert api.delete(f"{URL}{kpis.new_customers.pk}/").status_code == 403


def test_another_company_s_indicator_is_404(org, other_org, kpis, api_as):
    from tandem.kpis.testing import make_kpis

    theirs = make_kpis(other_org)
    response = api_as(org.users["hr"]).get(f"{URL}{theirs.sales.pk}/")
    assert response.status_code == 404
