"""Approval pages: the inbox of what waits for the signed-in person, and the submit / approve /
return buttons of My OKRs and the objective detail page, through `goals.services`."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.testing import make_org
from tandem.goals import services
from tandem.goals.models import Objective
from tandem.goals.testing import make_goals

INBOX = "/goals/approvals/"


@pytest.fixture(autouse=True)
def today_in_the_quarter(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def submitted(org, goals):
    """Every fixture objective submitted by HR (who may submit them all)."""
    with scope(company=org.company.pk):
        for objective in (goals.company, goals.rnd, goals.staff, goals.peer):
            services.submit_objective(objective=objective)
    return goals


def _inbox_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="approval-(\d+)"', html)]


def _status(org, objective) -> str:
    with scope(company=org.company.pk):
        return Objective.objects.get(pk=objective.pk).status


@pytest.mark.parametrize(("role", "expected"), [
    ("owner", ["company", "rnd", "staff", "peer"]),
    ("hr", ["rnd", "staff", "peer"]),
    ("lead", ["staff"]),
    ("staff", []),
    ("peer", []),
    ("finance", []),
])
def test_the_inbox_lists_exactly_what_waits_for_the_person(
        client_as, english, org, submitted, role, expected):
    response = client_as(org.users[role]).get(INBOX)
    assert response.status_code == 200
    html = response.content.decode()
    assert _inbox_ids(html) == [getattr(submitted, name).pk for name in expected]
    if not expected:
        assert "Nothing waits for your approval." in html


def test_the_inbox_agrees_with_the_approval_rule(client_as, org, submitted, actor_of_role):
    for role, user in org.users.items():
        html = client_as(user).get(INBOX).content.decode()
        actor_of_role(role)  # sets user.actor, which the rules read
        with scope(company=org.company.pk):
            allowed = [o.pk for o in Objective.objects.order_by("level", "pk")
                       if user.has_perm("goals.approve_objective", o)]
        assert sorted(_inbox_ids(html)) == sorted(allowed), role


def test_drafts_and_approved_objectives_are_not_in_the_inbox(client_as, org, goals):
    with scope(company=org.company.pk):
        services.submit_objective(objective=goals.staff)
        services.approve_objective(objective=goals.staff)
    assert _inbox_ids(client_as(org.users["owner"]).get(INBOX).content.decode()) == []


@pytest.mark.parametrize(("role", "shown"), [
    ("owner", True), ("hr", True), ("lead", True),
    ("staff", False), ("peer", False), ("finance", False),
])
def test_the_navigation_shows_the_inbox_to_people_who_approve(client_as, org, goals, role,
                                                               shown):
    html = client_as(org.users[role]).get("/goals/").content.decode()
    assert (f'href="{INBOX}"' in html) is shown


def test_the_owner_sees_submit_on_a_draft_and_the_manager_nothing(client_as, org, goals):
    submit = f'action="/goals/objectives/{goals.staff.pk}/submit/"'
    assert submit in client_as(org.users["staff"]).get("/goals/").content.decode()
    detail = f"/goals/objectives/{goals.staff.pk}/"
    assert submit in client_as(org.users["staff"]).get(detail).content.decode()
    lead_html = client_as(org.users["lead"]).get(detail).content.decode()
    assert submit not in lead_html
    assert f"/goals/objectives/{goals.staff.pk}/approve/" not in lead_html


@pytest.mark.parametrize(("role", "buttons"), [
    ("lead", True), ("hr", True), ("owner", True), ("staff", False), ("peer", False),
])
def test_approve_and_return_buttons_on_a_submitted_objective(client_as, org, submitted, role,
                                                              buttons):
    pk = submitted.staff.pk
    html = client_as(org.users[role]).get(f"/goals/objectives/{pk}/").content.decode()
    assert (f'action="/goals/objectives/{pk}/approve/"' in html) is buttons
    assert (f'href="/goals/objectives/{pk}/return/?next=' in html) is buttons
    assert f'action="/goals/objectives/{pk}/submit/"' not in html


def test_submitting_from_my_okrs_changes_the_status(client_as, org, goals):
    response = client_as(org.users["staff"]).post(
        f"/goals/objectives/{goals.staff.pk}/submit/", {"next": "/goals/"})
    assert response.status_code == 302
    assert response["Location"] == "/goals/"
    assert _status(org, goals.staff) == "submitted"


def test_submitting_without_key_results_is_refused_with_the_reason(client_as, english, org,
                                                                   goals):
    with scope(company=org.company.pk):
        bare = services.create_objective(company=org.company, cycle=goals.quarter,
                                         level="individual", owner_employee=org.employees["staff"],
                                         title="Bare")
    response = client_as(org.users["staff"]).post(f"/goals/objectives/{bare.pk}/submit/")
    assert response.status_code == 400
    assert "Add at least one key result before submitting." in response.content.decode()
    assert _status(org, bare) == "draft"


def test_an_external_next_is_ignored(client_as, org, goals):
    response = client_as(org.users["staff"]).post(
        f"/goals/objectives/{goals.staff.pk}/submit/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/goals/objectives/{goals.staff.pk}/"


def test_approving_from_the_inbox_with_htmx_answers_the_row(client_as, english, org,
                                                             submitted):
    pk = submitted.staff.pk
    response = client_as(org.users["lead"]).post(
        f"/goals/objectives/{pk}/approve/",
        {"prefix": f"o{pk}", f"o{pk}-comment": "Good plan", "next": INBOX},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="approval-{pk}"' in html
    assert "Approved." in html
    with scope(company=org.company.pk):
        objective = Objective.objects.get(pk=pk)
    assert (objective.status, objective.review_comment) == ("approved", "Good plan")
    assert _inbox_ids(client_as(org.users["lead"]).get(INBOX).content.decode()) == []


def test_returning_needs_a_comment(client_as, english, org, submitted):
    pk = submitted.staff.pk
    client = client_as(org.users["lead"])
    response = client.post(f"/goals/objectives/{pk}/return/",
                           {"prefix": f"o{pk}", f"o{pk}-comment": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only 2xx: the row shows the error
    assert "Say what should change." in response.content.decode()
    assert _status(org, submitted.staff) == "submitted"
    response = client.post(f"/goals/objectives/{pk}/return/",
                           {"prefix": f"o{pk}", f"o{pk}-comment": "Aim higher"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Returned to the owner." in response.content.decode()
    with scope(company=org.company.pk):
        objective = Objective.objects.get(pk=pk)
    assert (objective.status, objective.review_comment) == ("draft", "Aim higher")


def test_returning_without_htmx_uses_its_own_page(client_as, english, org, submitted):
    pk = submitted.staff.pk
    client = client_as(org.users["lead"])
    refused = client.post(f"/goals/objectives/{pk}/return/", {"comment": ""})
    assert refused.status_code == 400
    assert "Say what should change." in refused.content.decode()
    page = client.get(f"/goals/objectives/{pk}/return/?next=/goals/approvals/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="comment"' in html
    assert 'name="next" value="/goals/approvals/"' in html
    response = client.post(f"/goals/objectives/{pk}/return/",
                           {"comment": "Aim higher", "next": INBOX})
    assert (response.status_code, response["Location"]) == (302, INBOX)
    assert _status(org, submitted.staff) == "draft"


def test_approving_a_draft_is_refused_with_the_reason(client_as, english, org, goals):
    response = client_as(org.users["lead"]).post(f"/goals/objectives/{goals.staff.pk}/approve/")
    assert response.status_code == 400
    assert "Only a submitted objective can be approved." in response.content.decode()
    assert _status(org, goals.staff) == "draft"


def test_the_owner_cannot_approve_their_own(client_as, org, submitted):
    response = client_as(org.users["staff"]).post(
        f"/goals/objectives/{submitted.staff.pk}/approve/")
    assert response.status_code == 403
    assert _status(org, submitted.staff) == "submitted"


def test_another_companys_objective_is_a_404(client_as, org, submitted):
    other = make_org(prefix="o-", name="别家", name_en="Other")
    other_goals = make_goals(other)
    with scope(company=other.company.pk):
        services.submit_objective(objective=other_goals.staff)
    client = client_as(org.users["owner"])
    for action in ("submit", "approve", "return"):
        url = f"/goals/objectives/{other_goals.staff.pk}/{action}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"comment": "x"}).status_code == 404
    assert other_goals.staff.pk not in _inbox_ids(client.get(INBOX).content.decode())
    assert _status(other, other_goals.staff) == "submitted"


def test_the_inbox_costs_the_same_queries_whatever_its_length(
        client_as, org, submitted, django_assert_max_num_queries):
    client = client_as(org.users["owner"])
    client.get(INBOX)
    with django_assert_max_num_queries(14) as before:
        client.get(INBOX)
    with scope(company=org.company.pk):
        for n in range(6):
            extra = services.create_objective(
                company=org.company, cycle=submitted.quarter, level="individual",
                owner_employee=org.employees["staff"], title=f"Extra {n}",
                parent=submitted.rnd)
            services.create_key_result(objective=extra, title=f"KR {n}", target_value=D(4))
            services.submit_objective(objective=extra)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(INBOX).content.decode()
    assert len(_inbox_ids(html)) == 10
