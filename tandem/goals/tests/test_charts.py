"""Plotly figures built on the server (their JSON, not pixels) and the chart fragments."""

import html as htmllib
import json
import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation
from django_scopes import scope

from tandem.core.testing import make_org
from tandem.goals import charts, progress, selectors, services
from tandem.goals.models import CheckIn
from tandem.goals.testing import make_goals


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _check_in_on(time_machine, org, kr, day, value, confidence):
    time_machine.move_to(f"{day} 10:00 +08:00", tick=False)
    with scope(company=org.company.pk):
        services.check_in(key_result=kr, value=D(value), confidence=confidence)


def _figures(html):
    return [json.loads(htmllib.unescape(raw))
            for raw in re.findall(r'data-td-figure="([^"]*)"', html)]


def test_the_key_result_figure_has_progress_confidence_pace_and_forecast(
        time_machine, org, goals):
    _check_in_on(time_machine, org, goals.staff_kr, "2026-10-10", 10, 7)
    _check_in_on(time_machine, org, goals.staff_kr, "2026-10-20", 20, 6)
    _check_in_on(time_machine, org, goals.staff_kr, "2026-10-30", 30, 5)
    with scope(company=org.company.pk):
        entries = list(CheckIn.objects.filter(key_result=goals.staff_kr))
    figure = json.loads(charts.key_result_figure(
        goals.staff_kr, entries, date(2026, 10, 1), date(2026, 12, 31)).to_json())
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert list(traces) == ["Progress", "Confidence", "Expected pace", "Forecast"]
    assert traces["Progress"]["x"] == ["2026-10-10", "2026-10-20", "2026-10-30"]
    assert traces["Progress"]["y"] == [10.0, 20.0, 30.0]
    assert traces["Confidence"]["y"] == [7, 6, 5]
    assert traces["Confidence"]["yaxis"] == "y2"
    assert traces["Expected pace"]["x"] == ["2026-10-01", "2026-12-31"]
    assert traces["Expected pace"]["y"] == [0, 100]
    # A straight line of +1 % a day: 30 % on 10-30, 92 % on 12-31.
    assert traces["Forecast"]["x"] == ["2026-10-30", "2026-12-31"]
    assert traces["Forecast"]["y"] == [30.0, 92.0]
    assert figure["layout"]["yaxis2"]["range"] == [0, 10.5]


def test_one_check_in_gives_no_forecast(time_machine, org, goals):
    _check_in_on(time_machine, org, goals.staff_kr, "2026-10-10", 10, 7)
    with scope(company=org.company.pk):
        entries = list(CheckIn.objects.filter(key_result=goals.staff_kr))
    figure = json.loads(charts.key_result_figure(
        goals.staff_kr, entries, date(2026, 10, 1), date(2026, 12, 31)).to_json())
    assert [trace["name"] for trace in figure["data"]] == ["Progress", "Confidence",
                                                           "Expected pace"]
    assert charts.forecast_for(entries, date(2026, 12, 31)) is None


def test_the_sunburst_follows_the_tree_with_okr_colours(time_machine, org, goals):
    _check_in_on(time_machine, org, goals.staff_kr, "2026-10-10", 80, 7)
    _check_in_on(time_machine, org, goals.peer_kr, "2026-10-10", 5, 7)
    with scope(company=org.company.pk):
        tree = selectors.alignment_tree(goals.quarter)
        figure = json.loads(charts.alignment_sunburst(tree).to_json())
    sunburst = figure["data"][0]
    assert sunburst["type"] == "sunburst"
    nodes = dict(zip(sunburst["ids"], zip(sunburst["parents"], sunburst["marker"]["colors"],
                                          strict=True), strict=True))
    company, rnd, staff, peer = (str(o.pk) for o in (goals.company, goals.rnd, goals.staff,
                                                     goals.peer))
    assert nodes == {
        company: ("", charts.BAND_COLOURS["red"]),
        rnd: (company, charts.BAND_COLOURS["red"]),
        staff: (rnd, charts.BAND_COLOURS["green"]),  # 80 %
        "orphans": ("", "#adb5bd"),
        peer: ("orphans", charts.BAND_COLOURS["yellow"]),  # 50 %
    }
    texts = dict(zip(sunburst["ids"], sunburst["text"], strict=True))
    assert texts[staff].endswith("· 80 %")
    links = dict(zip(sunburst["ids"], sunburst["customdata"], strict=True))
    assert links[peer] == f"/goals/objectives/{goals.peer.pk}/"


def test_the_detail_page_loads_its_charts(client_as, org, goals):
    html = client_as(org.users["staff"]).get(f"/goals/objectives/{goals.staff.pk}/")\
        .content.decode()
    assert f'hx-get="/goals/objectives/{goals.staff.pk}/charts/"' in html
    assert "/static/plotly/plotly.min.js" in html
    assert "/static/goals/charts.js" in html


def test_the_charts_fragment_shows_pace_risk_forecast_and_figure(time_machine, client_as,
                                                                 english, org, goals):
    _check_in_on(time_machine, org, goals.staff_kr, "2026-10-10", 10, 7)
    _check_in_on(time_machine, org, goals.staff_kr, "2026-10-20", 20, 4)
    time_machine.move_to("2026-10-25 10:00 +08:00", tick=False)
    response = client_as(org.users["peer"]).get(f"/goals/objectives/{goals.staff.pk}/charts/")
    assert response.status_code == 200
    html = response.content.decode()
    # 24 of 91 days: 26 % expected.
    assert "expected 26 % by today" in html
    assert "At risk" in html
    assert "Latest confidence 4 is at most 4" in html
    with scope(company=org.company.pk):
        entries = list(CheckIn.objects.filter(key_result=goals.staff_kr))
    forecast = progress.forecast([(date(2026, 10, 10), D("0.1")), (date(2026, 10, 20),
                                                                   D("0.2"))],
                                 date(2026, 12, 31))
    assert forecast == D("0.9200")
    assert "Forecast: 92 % by 2026-12-31" in html
    (figure,) = _figures(html)
    assert figure == json.loads(charts.key_result_figure(
        goals.staff_kr, entries, date(2026, 10, 1), date(2026, 12, 31)).to_json())


def test_a_key_result_without_check_ins_has_no_figure(time_machine, client_as, english, org,
                                                      goals):
    time_machine.move_to("2026-10-25 10:00 +08:00", tick=False)
    html = client_as(org.users["staff"]).get(f"/goals/objectives/{goals.staff.pk}/charts/")\
        .content.decode()
    assert _figures(html) == []
    assert "No check-ins yet." in html
    assert "A forecast needs check-ins on two different days." in html


def test_the_tree_page_switches_to_the_sunburst(client_as, english, org, goals):
    html = client_as(org.users["staff"]).get(f"/goals/tree/?cycle={goals.quarter.pk}")\
        .content.decode()
    assert 'data-td-view="tree" aria-pressed="true"' in html
    assert f'hx-get="/goals/tree/sunburst/?cycle={goals.quarter.pk}"' in html
    assert 'data-td-view-panel="tree"' in html
    fragment = client_as(org.users["staff"]).get(f"/goals/tree/sunburst/?cycle={goals.quarter.pk}")
    (figure,) = _figures(fragment.content.decode())
    assert sorted(figure["data"][0]["ids"]) == sorted(
        [str(o.pk) for o in (goals.company, goals.rnd, goals.staff, goals.peer)] + ["orphans"])


def test_plotly_and_our_chart_script_are_static_files():
    assert finders.find("plotly/plotly.min.js")
    assert finders.find("goals/charts.js")


def test_another_companys_objective_charts_are_a_404(client_as, org, goals):
    other = make_org(prefix="o-", name="别家", name_en="Other")
    other_goals = make_goals(other)
    response = client_as(org.users["owner"]).get(f"/goals/objectives/{other_goals.staff.pk}/charts/")
    assert response.status_code == 404
    other_cycle = client_as(org.users["owner"]).get(
        f"/goals/tree/sunburst/?cycle={other_goals.quarter.pk}")
    assert other_cycle.status_code == 404


def test_chart_fragments_cost_the_same_queries_whatever_their_size(
        time_machine, client_as, org, goals, django_assert_max_num_queries):
    time_machine.move_to("2026-10-25 10:00 +08:00", tick=False)
    client = client_as(org.users["staff"])
    charts_url = f"/goals/objectives/{goals.staff.pk}/charts/"
    sunburst_url = f"/goals/tree/sunburst/?cycle={goals.quarter.pk}"
    client.get(charts_url)
    with django_assert_max_num_queries(12) as charts_before:
        client.get(charts_url)
    with django_assert_max_num_queries(12) as sunburst_before:
        client.get(sunburst_url)
    with scope(company=org.company.pk):
        for n in range(4):
            kr = services.create_key_result(objective=goals.staff, title=f"KR {n}",
                                            target_value=D(4))
            services.check_in(key_result=kr, value=D(1), confidence=5)
            services.check_in(key_result=kr, value=D(2), confidence=6)
            services.create_objective(company=org.company, cycle=goals.quarter,
                                      level="individual", owner_employee=org.employees["staff"],
                                      title=f"Extra {n}", parent=goals.rnd)
    with django_assert_max_num_queries(len(charts_before.captured_queries)):
        html = client.get(charts_url).content.decode()
    assert len(_figures(html)) == 4
    with django_assert_max_num_queries(len(sunburst_before.captured_queries)):
        html = client.get(sunburst_url).content.decode()
    assert len(_figures(html)[0]["data"][0]["ids"]) == 9


def test_the_static_plotly_stylesheet_has_every_rule_of_the_bundle():
    """Plotly injects its global style rules inline unless a `no-inline-styles` stylesheet
    stands in for them: ours must carry the bundle's rules, selector by selector."""
    bundle = Path(finders.find("plotly/plotly.min.js")).read_text(encoding="utf-8")
    start = bundle.index('{"X,X div"')
    rules = bundle[start:bundle.index("};for(", start)]
    selectors_in_bundle = [
        re.sub(r"^,", " ,", key).replace("X", ".js-plotly-plot .plotly")
        .replace("Y", ".plotly-notifier")
        for key in re.findall(r'"((?:[^"\\]|\\.)*)":[\'"]', rules)]
    css = Path(finders.find("goals/plotly.css")).read_text(encoding="utf-8")
    ours = [line.split(" {", 1)[0] for line in css.splitlines() if line.endswith("}")
            and not line.startswith(("/*", "   "))]
    assert len(selectors_in_bundle) == 65
    assert ours == selectors_in_bundle


def test_the_map_style_guard_matches_the_bundle(client_as, org, goals):
    """Plotly's bundle skips injecting MapLibre's inline styles when an element with this id
    is on the page: the id must be the one this bundle looks for."""
    bundle = Path(finders.find("plotly/plotly.min.js")).read_text(encoding="utf-8")
    guard = re.search(r'if\(!document\.getElementById\("([0-9a-f]{64})"\)\)\{var e=document'
                      r'\.createElement\("style"\)', bundle).group(1)
    for url in (f"/goals/objectives/{goals.staff.pk}/", f"/goals/tree/?cycle={goals.quarter.pk}"):
        html = client_as(org.users["staff"]).get(url).content.decode()
        assert f'<span id="{guard}" hidden></span>' in html
        assert 'id="plotly.js-style-global" class="no-inline-styles"' in html


def test_the_sunburst_follows_the_department_filter(client_as, org, goals):
    client = client_as(org.users["staff"])
    html = client.get(f"/goals/tree/?cycle={goals.quarter.pk}&department={org.rnd.pk}")\
        .content.decode()
    assert (f'hx-get="/goals/tree/sunburst/?cycle={goals.quarter.pk}&amp;department={org.rnd.pk}"'
            in html)
    url = f"/goals/tree/sunburst/?cycle={goals.quarter.pk}&department="
    # R&D and Platform below it: their objectives and the company objective they lead up to.
    (figure,) = _figures(client.get(f"{url}{org.rnd.pk}").content.decode())
    assert sorted(figure["data"][0]["ids"]) == sorted(
        str(o.pk) for o in (goals.company, goals.rnd, goals.staff))
    # Sales: only peer's objective, which is aligned to nothing.
    (figure,) = _figures(client.get(f"{url}{org.sales.pk}").content.decode())
    assert sorted(figure["data"][0]["ids"]) == sorted([str(goals.peer.pk), "orphans"])
    assert client.get(f"{url}999999").status_code == 404
