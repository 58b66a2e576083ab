"""The OKR side of the link: on a key result, "This KR supports: <KPI> <attainment> of
<target>" for each KPI it feeds (that the viewer may read), and the forecast at the cycle end
on My OKRs."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.goals import services as goals_services
from tandem.kpis import links


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _check_ins(time_machine, org, kr, *values):
    for day, value in values:
        time_machine.move_to(f"2026-{day} 10:00 +08:00", tick=False)
        with scope(company=org.company.pk):
            goals_services.check_in(key_result=kr, value=D(value), confidence=7)
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


def test_my_okrs_say_which_kpi_a_key_result_supports_and_the_forecast(
        client_as, english, org, goals, kpis, time_machine):
    _check_ins(time_machine, org, goals.peer_kr, ("11-01", 2), ("11-21", 4))
    html = client_as(org.users["peer"]).get("/goals/").content.decode()
    support = html.split(f'data-kpi-link="{kpis.peer_link.pk}"', 1)[1].split("</div>", 1)[0]
    assert f'href="/kpis/assignments/{kpis.peer.pk}/"' in support
    # Sum of the check-ins' values (2 + 4) of a target of 10.
    assert "This KR supports: New customers 60.0 % of 10 (peer)" in _text(support)
    # Least squares through (11-01, 2), (11-21, 4): 8 by the cycle end, 80 % of the target.
    assert "At this pace: 8 (80 %) by 2026-12-31" in _text(html)


def test_the_objective_page_shows_it_to_those_who_may_read_the_kpi(
        client_as, english, org, goals, kpis, time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)
    url = f"/goals/objectives/{goals.peer.pk}/"
    assert "This KR supports:" in client_as(org.users["hr"]).get(url).content.decode()
    # OKRs are public in the company; peer's KPI is not: staff sees the objective only.
    html = client_as(org.users["staff"]).get(url).content.decode()
    assert "This KR supports:" not in html


def test_a_key_result_feeding_two_kpis_lists_both(client_as, english, org, goals, kpis,
                                                  time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)
    with scope(company=org.company.pk):
        links.link(key_result=goals.peer_kr, assignment=kpis.rnd, factor=D(1000))
    html = client_as(org.users["hr"]).get(f"/goals/objectives/{goals.peer.pk}/").content.decode()
    assert html.count("This KR supports:") == 2
    assert "Sales" in _text(html).split("This KR supports:")[2]


def test_no_forecast_line_without_two_check_in_days(client_as, english, org, goals, kpis,
                                                     time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)
    html = client_as(org.users["peer"]).get("/goals/").content.decode()
    assert "At this pace:" not in html


def test_the_kpi_lines_keep_my_okrs_at_a_constant_number_of_queries(
        client_as, org, goals, kpis, time_machine, django_assert_max_num_queries):
    """One query for the KPI lines of every key result on the page (kpis.templatetags)."""
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)
    client = client_as(org.users["peer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/goals/")
    with django_assert_max_num_queries(17) as before:
        client.get("/goals/")
    with scope(company=org.company.pk):
        for n in range(3):
            extra = goals_services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["peer"], title=f"Extra {n}")
            kr = goals_services.create_key_result(objective=extra, title=f"KR {n}",
                                                  target_value=D(4))
            links.link(key_result=kr, assignment=kpis.peer)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get("/goals/").content.decode()
    assert html.count("This KR supports:") == 4
