"""An assignment's page: figures with their explanations (htmx side panel), measurements with
their trace, entering a figure, the key results that feed it, both sources side by side."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.testing import make_org
from tandem.goals import services as goals_services
from tandem.goals.testing import make_goals
from tandem.kpis.models import Assignment, KeyResultLink, Measurement
from tandem.kpis.testing import make_kpis


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(assignment, rest=""):
    return f"/kpis/assignments/{assignment.pk}/{rest}"


def _figure(html, name):
    match = re.search(rf'data-figure-value="{name}">(.*?)</span>', html, re.S)
    return re.sub(r"<[^>]+>", "", match[1]).strip()


def test_figures_rule_and_every_number_opens_its_explanation(client_as, english, org, kpis):
    html = client_as(org.users["staff"]).get(_url(kpis.staff)).content.decode()
    assert _figure(html, "target") == "5"
    assert _figure(html, "actual") == "4"
    assert _figure(html, "attainment") == "120.0 %"  # 5 / 4 = 125 %, capped
    assert _figure(html, "score") == "120"
    assert 'data-rule="inverse_ratio"' in html
    for figure in ("actual", "attainment", "score", "pace"):
        link = f'/kpis/assignments/{kpis.staff.pk}/explain/?figure={figure}'
        assert f'hx-get="{link}" hx-target="#kpi-panel-body"' in html
    assert 'id="kpi-panel"' in html
    assert "Actual from its own figures" in html


def test_the_explanation_is_a_panel_for_htmx_and_a_page_without(client_as, english, org, kpis):
    client = client_as(org.users["staff"])
    url = _url(kpis.staff, "explain/?figure=score")
    panel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert panel.lstrip().startswith('<div class="td-kpi-explain" data-explain="score">')
    assert "Attainment = target / actual = 125.0 %" in panel
    assert "Capped at 120.0 %." in panel
    assert "Score = attainment × 100 = 120." in panel
    page = client.get(url).content.decode()
    assert "<!doctype html>" in page and 'data-explain="score"' in page
    assert client.get(_url(kpis.staff, "explain/?figure=bogus")).status_code == 404


def test_measurements_trace_back_to_the_check_in(client_as, english, org, goals, kpis):
    with scope(company=org.company.pk):
        check_in = goals_services.check_in(key_result=goals.peer_kr, value=D(3), confidence=7)
    html = client_as(org.users["peer"]).get(_url(kpis.peer)).content.decode()
    assert f'data-check-in="{check_in.pk}"' in html
    assert f'href="/goals/objectives/{goals.peer.pk}/#kr-{goals.peer_kr.pk}"' in html
    assert "check-in of “New customers” (Win new customers)" in html
    assert "Fed by: 1 KR of 1 people" in html
    assert _figure(html, "actual") == "3"
    assert "Actual from its linked key results" in html
    # peer holds the KPI: no figure entry (figures arrive from key results, imports, the API).
    assert 'id="kpi-measure-form"' not in html


def test_enter_a_figure_with_errors_inline_and_nothing_written(client_as, english, org, kpis):
    client = client_as(org.users["lead"])
    response = client.post(_url(kpis.staff, "measurements/new/"),
                           {"date": "2027-02-01", "value": "2"})
    assert response.status_code == 400
    assert "Give a date in the cycle (2026-10-01 – 2026-12-31)." in response.content.decode()
    with scope(company=org.company.pk):
        assert Measurement.objects.filter(assignment=kpis.staff).count() == 1
    response = client.post(_url(kpis.staff, "measurements/new/"),
                           {"date": "2026-11-20", "value": "2", "note": "audit"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        staff = Assignment.objects.get(pk=kpis.staff.pk)
    assert staff.actual == D(2)  # the latest value counts (aggregation: last)
    html = client.get(_url(kpis.staff)).content.decode()
    assert html.count('data-source="manual"') == 2


def test_the_holder_may_not_enter_figures(client_as, org, kpis):
    client = client_as(org.users["staff"])
    assert client.post(_url(kpis.staff, "measurements/new/"),
                       {"date": "2026-11-20", "value": "1"}).status_code == 403


def test_delete_an_entered_figure(client_as, org, kpis):
    client = client_as(org.users["hr"])
    response = client.post(f"/kpis/measurements/{kpis.staff_measurement.pk}/delete/")
    assert response.status_code == 302
    with scope(company=org.company.pk):
        staff = Assignment.objects.get(pk=kpis.staff.pk)
        assert not Measurement.objects.filter(pk=kpis.staff_measurement.pk).exists()
    assert staff.actual is None


def test_link_a_key_result_and_both_sources_side_by_side(client_as, english, org, goals, kpis):
    client = client_as(org.users["hr"])
    url = _url(kpis.staff, "links/new/")
    response = client.post(url, {"key_result": goals.staff_kr.pk, "mode": "value",
                                 "factor": "-1"})
    assert response.status_code == 400
    assert "The conversion factor must be above 0." in response.content.decode()
    response = client.post(url, {"key_result": goals.staff_kr.pk, "mode": "value"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(10), confidence=6)
        staff = Assignment.objects.get(pk=kpis.staff.pk)
    assert staff.actual_source == "own"  # it had its own figure before the link
    assert staff.actual == D(4)
    assert staff.linked_actual == D(10)
    html = client.get(_url(kpis.staff)).content.decode()
    side = html.split('id="kpi-side-by-side"', 1)[1].split("never added together", 1)[0]
    side = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", side))
    assert "Own figures (counted) 4 · 120.0 %" in side
    assert "Linked key results imply (not added) 10 · 50.0 %" in side
    assert _figure(html, "actual") == "4"  # never 14


def test_remove_a_link_takes_its_figures(client_as, org, goals, kpis):
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.peer_kr, value=D(3), confidence=7)
    client = client_as(org.users["peer"])
    assert client.post(f"/kpis/links/{kpis.peer_link.pk}/delete/").status_code == 302
    with scope(company=org.company.pk):
        assert not KeyResultLink.objects.filter(pk=kpis.peer_link.pk).exists()
        peer = Assignment.objects.get(pk=kpis.peer.pk)
        assert not Measurement.objects.filter(assignment=peer).exists()
    assert peer.actual is None
    assert peer.actual_source == "own"


def test_who_may_read_and_another_companys_assignment(client_as, org, kpis):
    assert client_as(org.users["peer"]).get(_url(kpis.staff)).status_code == 403
    assert client_as(org.users["staff"]).get(_url(kpis.rnd)).status_code == 200
    other = make_org(prefix="o-", name="别家", name_en="Other")
    theirs = make_kpis(other, make_goals(other))
    client = client_as(org.users["hr"])
    for rest in ("", "explain/", "edit/", "links/new/"):
        assert client.get(_url(theirs.staff, rest)).status_code == 404
