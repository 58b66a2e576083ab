"""The KPI library pages: everyone reads and filters; HR and administrators keep it."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.kpis import services
from tandem.kpis.models import Indicator

LIBRARY = "/kpis/library/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _codes(html):
    return re.findall(r'<tr data-indicator="\d+">\s*<td class="td-nowrap">([^<]+)</td>', html)


def _more(org, *specs):
    with scope(company=org.company.pk):
        for code, category, tags in specs:
            services.create_indicator(company=org.company, code=code, name=code,
                                      category=category, tags=tags)


@pytest.mark.parametrize("role", ["staff", "peer", "finance", "hr"])
def test_everyone_reads_the_library(client_as, english, org, kpis, role):
    html = client_as(org.users[role]).get(LIBRARY).content.decode()
    assert _codes(html) == ["DEFECTS", "NEW_CUST", "SALES"]
    assert ("New indicator" in html) is (role == "hr")


def test_filter_by_category_tag_and_search(client_as, english, org, kpis):
    _more(org, ("NPS", "Service", ["customer"]), ("CHURN", "Service", ["customer", "risk"]),
          ("UPTIME", "Ops", ["risk"]))
    client = client_as(org.users["staff"])
    assert _codes(client.get(LIBRARY + "?category=Service").content.decode()) == ["CHURN", "NPS"]
    assert _codes(client.get(LIBRARY + "?tag=risk").content.decode()) == ["CHURN", "UPTIME"]
    assert _codes(client.get(LIBRARY + "?q=sales").content.decode()) == ["SALES"]
    html = client.get(LIBRARY).content.decode()
    assert '<option value="Ops">Ops</option>' in html
    assert '<option value="customer">customer</option>' in html


def test_the_list_costs_the_same_queries_for_many_indicators(
        client_as, org, kpis, django_assert_max_num_queries):
    client = client_as(org.users["hr"])
    client.get(LIBRARY)
    with django_assert_max_num_queries(12) as before:
        client.get(LIBRARY)
    _more(org, *[(f"K{n}", "C", ["t"]) for n in range(15)])
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(LIBRARY).content.decode()
    assert len(_codes(html)) == 18


def test_hr_creates_an_indicator_with_percents_and_bands(client_as, english, org):
    response = client_as(org.users["hr"]).post("/kpis/library/new/", {
        "code": "NPS", "name": "净推荐值", "name_en": "NPS", "direction": "higher",
        "aggregation": "average", "rule": "banded", "capped": "on", "cap": "150",
        "floor": "50", "bands": "100 100\n80, 70\n", "points_per_unit": "",
        "category": "Service", "tags": "customer, 客户"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        indicator = Indicator.objects.get(code="NPS")
    assert indicator.cap == D("1.5")
    assert indicator.floor == D("0.5")
    assert indicator.bands == [["1", "100"], ["0.8", "70"]]
    assert indicator.tags == ["customer", "客户"]


def test_rule_errors_show_on_the_field(client_as, english, org):
    response = client_as(org.users["hr"]).post("/kpis/library/new/", {
        "code": "BUGS", "name": "Bugs", "direction": "lower", "aggregation": "sum",
        "rule": "ratio", "capped": "on", "cap": "120", "bands": "100 x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 1: write the minimum attainment in percent and the score" in html
    with scope(company=org.company.pk):
        assert not Indicator.objects.filter(code="BUGS").exists()
    response = client_as(org.users["hr"]).post("/kpis/library/new/", {
        "code": "BUGS", "name": "Bugs", "direction": "lower", "aggregation": "sum",
        "rule": "ratio", "capped": "on", "cap": "120"})
    assert "For a lower-is-better indicator choose the inverse ratio" in response.content.decode()


def test_edit_keeps_percents_and_a_stale_form_is_refused(client_as, english, org, kpis):
    client = client_as(org.users["hr"])
    url = f"/kpis/library/{kpis.sales.pk}/edit/"
    html = client.get(url).content.decode()
    assert 'name="cap" value="120"' in html
    assert 'name="floor" value="60"' in html
    data = {"code": "SALES", "name": "销售额", "name_en": "Sales revenue", "unit": "CNY",
            "direction": "higher", "aggregation": "sum", "rule": "ratio", "capped": "on",
            "cap": "120", "floor": "60", "active": "on", "version": kpis.sales.version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)  # the same version again: someone saved meanwhile
    assert "changed by someone else" in response.content.decode()


@pytest.mark.parametrize("role", ["staff", "lead", "finance"])
def test_only_people_admins_manage_the_library(client_as, org, kpis, role):
    client = client_as(org.users[role])
    assert client.get("/kpis/library/new/").status_code == 403
    assert client.post(f"/kpis/library/{kpis.sales.pk}/activate/").status_code == 403


def test_deactivate_and_delete(client_as, english, org, kpis):
    client = client_as(org.users["hr"])
    client.post(f"/kpis/library/{kpis.sales.pk}/activate/")
    with scope(company=org.company.pk):
        assert Indicator.objects.get(pk=kpis.sales.pk).active is False
    assert "SALES" not in _codes(client.get(LIBRARY).content.decode())
    assert "SALES" in _codes(client.get(LIBRARY + "?inactive=on").content.decode())
    # Assigned: refused, it stays.
    response = client.post(f"/kpis/library/{kpis.sales.pk}/delete/")
    assert response.status_code == 409
    assert "deactivate it instead" in response.content.decode()
    _more(org, ("SPARE", "", []))
    with scope(company=org.company.pk):
        spare = Indicator.objects.get(code="SPARE")
    assert client.post(f"/kpis/library/{spare.pk}/delete/").status_code == 302
    with scope(company=org.company.pk):
        assert not Indicator.objects.filter(code="SPARE").exists()
        assert Indicator.objects.filter(pk=kpis.sales.pk).exists()
