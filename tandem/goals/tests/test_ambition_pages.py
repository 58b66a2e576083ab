"""The ambition guard on pages: the reason on the key result form, the warning after saving an
easy target, and what the lead sees on the team page, the approval inbox and the objective."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import CheckIn, KeyResult, TargetChange

TEAM = "/goals/team/"
INBOX = "/goals/approvals/"


@pytest.fixture(autouse=True)
def today_in_the_quarter(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _approve(org, objective):
    with scope(company=org.company.pk):
        services.submit_objective(objective=objective)
        services.approve_objective(objective=objective)


def _edit(client, kr, **changes):
    data = {"title": kr.title, "start_value": "0", "target_value": "100", "weight": "1",
            "unit": "", "reason": "", "version": str(kr.version)}
    data.update(changes)
    return client.post(f"/goals/key-results/{kr.pk}/edit/", data)


def _fresh(org, kr):
    with scope(company=org.company.pk):
        return KeyResult.objects.get(pk=kr.pk)


def test_easing_an_approved_target_on_the_form_asks_for_the_reason(client_as, org, goals):
    _approve(org, goals.staff)
    client = english(client_as(org.users["staff"]))
    kr = _fresh(org, goals.staff_kr)
    page = client.get(f"/goals/key-results/{kr.pk}/edit/").content.decode()
    assert "Required when you ease the target" in page
    response = _edit(client, kr, target_value="80")
    assert response.status_code == 200
    html = response.content.decode()
    reason_field = html[html.index('name="reason"') - 300:html.index('name="reason"') + 600]
    assert "is-invalid" in reason_field
    assert "Say why you ease the target of an approved key result" in reason_field
    assert _fresh(org, kr).target_value == D(100)
    response = _edit(client, kr, target_value="80", reason="scope cut by the lead's request")
    assert response.status_code == 302
    assert _fresh(org, kr).target_value == D(80)


def _promise_91_by_year_end(org, kr):
    with scope(company=org.company.pk):
        for day, value in ((date(2026, 10, 31), 30), (date(2026, 11, 30), 60)):
            entry = services.check_in(key_result=kr, value=D(value), confidence=7)
            CheckIn.objects.filter(pk=entry.pk).update(
                created_at=f"{day.isoformat()}T10:00:00+08:00")


def test_saving_a_target_the_trend_already_reaches_warns_but_saves(client_as, org, goals):
    _promise_91_by_year_end(org, goals.staff_kr)
    client = english(client_as(org.users["staff"]))
    response = _edit(client, _fresh(org, goals.staff_kr), target_value="85")
    assert response.status_code == 302
    kr = _fresh(org, goals.staff_kr)
    assert (kr.target_value, kr.low_ambition) == (D(85), True)
    page = client.get(response.url).content.decode()
    assert "Saved, but this target looks easy: Low ambition: the target 85 is already" in page
    form = client.get(f"/goals/key-results/{kr.pk}/edit/").content.decode()
    assert "td-low-ambition" in form


def _flag_and_ease(org, goals):
    """staff's key result: target 85 already promised by the trend; then approved, reworded
    (back to submitted) and eased to 80 with a reason."""
    _promise_91_by_year_end(org, goals.staff_kr)
    with scope(company=org.company.pk):
        services.update_key_result(key_result=_fresh(org, goals.staff_kr),
                                   target_value=D(85))
    _approve(org, goals.staff)
    with scope(company=org.company.pk):
        services.update_objective(objective=goals.staff, title="Bill every customer")
        services.update_key_result(key_result=_fresh(org, goals.staff_kr), target_value=D(80),
                                   reason="billing launch slipped", by=org.users["staff"])


def _key_result_item(html, kr_pk):
    start = html.index(f'data-key-result="{kr_pk}"')
    return html[start:html.index("</li>", start)]


def test_the_lead_sees_the_flag_and_the_eased_reason_on_the_team_page(client_as, org, goals):
    _flag_and_ease(org, goals)
    html = english(client_as(org.users["lead"])).get(TEAM).content.decode()
    item = _key_result_item(html, goals.staff_kr.pk)
    assert "⚑ Low ambition" in item
    assert "Trend: the line through the start and 2 check-ins reaches 91" in item
    assert "↓ Target eased" in item
    assert "from 85 to 80" in item
    assert "“billing launch slipped”" in item
    assert re.search(rf'id="team-objective-{goals.staff.pk}"[^>]*data-low-ambition="true"',
                     html)
    other = _key_result_item(html, goals.rnd_kr.pk)
    assert "Low ambition" not in other and "Target eased" not in other


def test_the_team_page_costs_the_same_queries_with_target_changes(
        client_as, org, goals, django_assert_max_num_queries):
    client = client_as(org.users["lead"])
    client.get(TEAM)
    with django_assert_max_num_queries(21) as before:
        client.get(TEAM)
    _flag_and_ease(org, goals)
    with scope(company=org.company.pk):
        for n in range(3):
            extra = services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["staff"], title=f"Extra {n}", parent=goals.rnd)
            kr = services.create_key_result(objective=extra, title=f"KR {n}", target_value=D(4))
            services.update_key_result(key_result=kr, target_value=D(3))
        assert TargetChange.objects.filter(change="eased").count() == 5
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = english(client).get(TEAM).content.decode()
    assert html.count("↓ Target eased") == 5


def test_the_approval_inbox_row_shows_the_eased_target_and_the_flag(client_as, org, goals):
    _flag_and_ease(org, goals)
    html = english(client_as(org.users["lead"])).get(INBOX).content.decode()
    item = _key_result_item(html, goals.staff_kr.pk)
    assert "⚑ Low ambition" in item
    assert "from 85 to 80" in item and "“billing launch slipped”" in item


def test_the_objective_history_lists_the_target_changes(client_as, org, goals):
    _flag_and_ease(org, goals)
    html = english(client_as(org.users["lead"])).get(
        f"/goals/objectives/{goals.staff.pk}/").content.decode()
    changes = html[html.index('class="td-target-changes"'):]
    assert changes.count("data-target-change=") == 2
    assert "↓ Target eased" in changes and "↑ Target raised" not in changes
    assert "Invoices sent: 85 → 80" in changes
    assert "“billing launch slipped”" in changes
    assert "⚑ Low ambition" in changes
