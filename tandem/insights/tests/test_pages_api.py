"""The page, its explanation panel, the Excel export and the API: who may use them, what a
leader sees, bad filters, and the workbook read back."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tandem.insights.api import SynergySerializer


def english(client):
    client.cookies["tandem_language"] = "en"
    return client


def _page(goals, path="/insights/synergy/", **params):
    query = "&".join(f"{k}={v}" for k, v in {"cycle": goals.quarter.pk, **params}.items())
    return f"{path}?{query}"


@pytest.mark.parametrize(("role", "status"), [
    ("owner", 200), ("hr", 200), ("lead", 200), ("finance", 403), ("staff", 403),
    ("peer", 403)])
def test_who_may_open_the_report(org, goals, synergy_company, client_as, api_as, role, status):
    user = org.users[role]
    assert client_as(user).get(_page(goals)).status_code == status
    # The export starts a job and, finished at once under test, redirects to its file.
    export = client_as(user).get(_page(goals, "/insights/synergy/export/"))
    assert export.status_code == (302 if status == 200 else status)
    assert api_as(user).get(f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}"
                            ).status_code == status


def test_a_leader_sees_only_the_departments_they_lead(org, goals, synergy_company, api_as,
                                                      client_as):
    api = api_as(org.users["lead"])
    body = api.get(f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}").json()

    assert {row["id"] for row in body["departments"]} == {org.rnd.pk, org.platform.pk}
    assert [person["id"] for person in body["employees"]] == [org.employees["staff"].pk]
    assert api.get(f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}"
                   f"&department={org.sales.pk}").status_code == 403
    narrowed = api.get(f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}"
                       f"&department={org.platform.pk}").json()
    assert [row["id"] for row in narrowed["departments"]] == [org.platform.pk]
    page = client_as(org.users["lead"]).get(_page(goals, department=org.sales.pk))
    assert page.status_code == 403


def test_the_page_shows_the_figures_and_opens_their_explanations(org, goals, synergy_company,
                                                                 client_as):
    client = english(client_as(org.users["hr"]))
    html = client.get(_page(goals)).content.decode()

    assert "OKR–KPI synergy" in html
    assert "KRs imply 20.0 %, own figures 15.0 %" in html
    assert 'data-td-figure="' in html and "plotly/plotly.min.js" in html
    assert "figure=employee" in html and 'hx-target="#td-explain-body"' in html

    panel = client.get(_page(goals, "/insights/synergy/explain/", figure="employee",
                             key=org.employees["peer"].pk), HTTP_HX_REQUEST="true")
    text = panel.content.decode()
    assert panel.status_code == 200 and "<html" not in text
    assert "progress 40.0 % against an expected 49.5 %: At risk" in text
    kpi = client.get(_page(goals, "/insights/synergy/explain/", figure="kpi",
                           key=org.platform.pk)).content.decode()
    assert "Σ weight × attainment / Σ weight over the measured KPIs = 15.0 %." in kpi
    assert client.get(_page(goals, "/insights/synergy/explain/", figure="nope")
                      ).status_code == 400
    assert client.get(_page(goals, "/insights/synergy/explain/", figure="employee",
                            key="999999")).status_code == 404


def test_bad_filters_are_400_and_unknown_ids_404(org, other_org, goals, client_as, api_as):
    api = api_as(org.users["hr"])
    response = api.get("/api/v1/reports/synergy/?cycle=abc")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert list(response.json()["errors"]) == ["cycle"]
    assert api.get(f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}&department=x"
                   ).status_code == 400
    assert api.get("/api/v1/reports/synergy/?cycle=999999").status_code == 404
    assert api.get(f"/api/v1/reports/synergy/?department={other_org.sales.pk}"
                   ).status_code == 404
    client = client_as(org.users["hr"])
    assert client.get("/insights/synergy/?cycle=abc").status_code == 400
    assert client.get("/insights/synergy/?cycle=999999").status_code == 404


def test_the_api_body_is_what_its_schema_says(org, goals, synergy_company, api_as):
    body = api_as(org.users["hr"]).get(
        f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}").json()

    assert SynergySerializer(body).data == body
    platform = next(row for row in body["departments"] if row["id"] == org.platform.pk)
    assert (platform["kpi_attainment"], platform["kpi_basis"]) == ("0.1500", "department")
    invoices = body["at_risk"][0]
    assert (invoices["own_attainment"], invoices["kr_attainment"], invoices["verdict"]) == (
        "0.1500", "0.2000", "no")


def test_without_any_cycle_the_api_says_so(org, api_as, client_as):
    body = api_as(org.users["hr"]).get("/api/v1/reports/synergy/").json()
    assert body["cycle"] is None and body["departments"] == []
    assert client_as(org.users["hr"]).get("/insights/synergy/").status_code == 200


def test_the_excel_export_reads_back(org, goals, synergy_company, client_as):
    response = english(client_as(org.users["hr"])).get(
        _page(goals, "/insights/synergy/export/"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].endswith("/download/")
    assert "okr-kpi-synergy" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Company objectives", "Departments", "Matrix", "People",
                                   "At risk", "Weeks"]
    rows = list(workbook["Departments"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Department", "KPI attainment", "Taken over")
    platform = next(row for row in rows if row[0] == "Platform")
    assert Decimal(str(platform[1])) == Decimal("0.15")
    assert platform[2] == "Its own KPIs"
    objectives = list(workbook["Company objectives"].iter_rows(values_only=True))
    assert objectives[1] == ("Grow revenue", 0.25)


def test_the_api_pages_through_people_and_at_risk_kpis(org, goals, synergy_company, api_as):
    api = api_as(org.users["hr"])
    url = f"/api/v1/reports/synergy/?cycle={goals.quarter.pk}"

    second = api.get(f"{url}&page=2&page_size=1").json()
    assert (second["page"], second["page_size"]) == (2, 1)
    assert (second["employees_count"], second["at_risk_count"]) == (2, 2)
    assert [person["name"] for person in second["employees"]] == ["staff"]
    assert [item["indicator"] for item in second["at_risk"]] == ["NEW_CUST"]
    assert api.get(f"{url}&page=3&page_size=1").json()["employees"] == []
    refused = api.get(f"{url}&page=0&page_size=x")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"page", "page_size"}
