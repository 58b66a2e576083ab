"""My OKRs shows, on each key result, its expected progress by today and whether it is at risk
and why: the rule and wording of My team's OKRs (`goals.pace`), in a constant number of
queries."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.goals import services


@pytest.fixture(autouse=True)
def today_in_the_quarter(time_machine):
    # 2026-10-01 .. 2026-12-31, on 11-26: 56 of 91 days, 62 % expected.
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _key_result(html: str, kr) -> str:
    return html.split(f'id="kr-{kr.pk}"')[1].split("</li>\n")[0]


def test_a_key_result_behind_pace_says_at_risk_and_why(client_as, org, goals):
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=D(30), confidence=3)
    html = _english(client_as(org.users["staff"])).get("/goals/").content.decode()
    kr = _key_result(html, goals.staff_kr)
    assert "expected 62 % by today" in kr
    assert "⚠ At risk" in kr
    assert "<li>Progress 30 % is more than 20 % behind the expected 62 % (risk_margin)</li>" in kr
    assert "<li>Latest confidence 3 is at most 4</li>" in kr
    assert "No check-in for" not in kr
    assert kr.count("confidence 3/10") == 1  # in the key result's head, not twice


def test_a_key_result_never_checked_in_is_stale(client_as, org, goals):
    html = _english(client_as(org.users["lead"])).get("/goals/").content.decode()
    kr = _key_result(html, goals.rnd_kr)
    assert "<li>No check-in for 14 days (stale_days)</li>" in kr


def test_a_key_result_on_pace_is_on_track(client_as, org, goals):
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=D(70), confidence=8)
    html = _english(client_as(org.users["staff"])).get("/goals/").content.decode()
    kr = _key_result(html, goals.staff_kr)
    assert "expected 62 % by today" in kr
    assert "✓ On track" in kr
    assert "At risk" not in kr


def test_the_pace_is_shown_in_chinese_by_default(client_as, org, goals):
    html = client_as(org.users["staff"]).get("/goals/").content.decode()
    kr = _key_result(html, goals.staff_kr)
    assert 'class="badge text-bg-danger td-at-risk"' in kr
    assert "62 %" in kr


def test_pace_keeps_my_okrs_at_a_constant_number_of_queries(
        client_as, org, goals, django_assert_num_queries):
    client = client_as(org.users["staff"])
    client.get("/goals/")
    with django_assert_num_queries(14) as before:
        client.get("/goals/")
    with scope(company=org.company.pk):
        for n in range(4):
            extra = services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["staff"], title=f"Extra {n}", parent=goals.rnd)
            kr = services.create_key_result(objective=extra, title=f"KR {n}", target_value=D(4))
            services.check_in(key_result=kr, value=D(n), confidence=n + 2)
    with django_assert_num_queries(len(before.captured_queries)):
        html = client.get("/goals/").content.decode()
    assert html.count('class="td-risk small"') == 5


def test_one_card_with_pace_for_the_answer_to_a_check_in(rf, org, goals):
    from tandem.goals import selectors
    from tandem.goals.views import _card_with_pace

    request = rf.get("/goals/")
    request.user, request.company = org.users["staff"], org.company
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=D(70), confidence=8)
        objective = (selectors.objectives_with_owners()
                     .prefetch_related(selectors.key_results_prefetch()).get(pk=goals.staff.pk))
        card = _card_with_pace(request, objective)
    (row,) = card["rows"]
    assert (row["kr"].pk, row["confidence"], row["pace"].risk.at_risk) == (
        goals.staff_kr.pk, 8, False)
    assert row["pace"].expected == D("0.6154")
