"""My OKRs: my objectives of the cycle with their key results, and check-ins in place."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import CheckIn, KeyResult, Objective


@pytest.fixture(autouse=True)
def today_in_the_quarter(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


def test_my_okrs_shows_my_objectives_with_bands_and_labels(client_as, org, goals):
    response = client_as(org.users["staff"]).get("/goals/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Build the billing service" in html
    assert "Win new customers" not in html  # peer's
    assert f'id="objective-{goals.staff.pk}"' in html
    assert f'action="/goals/key-results/{goals.staff_kr.pk}/check-in/"' in html
    assert "td-okr-red" in html


def test_a_leader_sees_the_objectives_of_the_department_they_lead(client_as, org, goals):
    html = client_as(org.users["lead"]).get("/goals/").content.decode()
    assert "Ship the platform" in html
    assert "Build the billing service" not in html


def test_my_okrs_costs_the_same_queries_whatever_the_number_of_objectives(
        client_as, org, goals, django_assert_max_num_queries):
    client = client_as(org.users["staff"])
    client.get("/goals/")
    with django_assert_max_num_queries(16):
        client.get("/goals/")
    with scope(company=org.company.pk):
        for n in range(5):
            extra = services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["staff"], title=f"Extra {n}", parent=goals.rnd)
            services.create_key_result(objective=extra, title=f"KR {n}", target_value=D(4))
            kr = services.create_key_result(
                objective=extra, title=f"Launch {n}", measure_type="milestone",
                milestones=[services.MilestoneSpec("a"), services.MilestoneSpec("b")])
            services.check_in(key_result=kr, milestone=kr.milestones.first(),
                              milestone_done=True, confidence=6)
    with django_assert_max_num_queries(16):
        html = client.get("/goals/").content.decode()
    assert html.count("td-okr-card") == 6


def test_an_htmx_check_in_answers_the_card_with_the_new_progress(client_as, org, goals):
    client = client_as(org.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    prefix = f"kr{goals.staff_kr.pk}"
    response = client.post(f"/goals/key-results/{goals.staff_kr.pk}/check-in/", {
        f"{prefix}-value": "75", f"{prefix}-confidence": "8", f"{prefix}-comment": "good week",
    }, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<div class="card td-okr-card mb-3" id="objective-{goals.staff.pk}"')
    assert "<strong>75 %</strong> · On track" in html
    assert "Checked in." in html
    with scope(company=org.company.pk):
        assert Objective.objects.get(pk=goals.staff.pk).progress == D("0.7500")
        entry = CheckIn.objects.get(key_result=goals.staff_kr)
    assert (entry.value, entry.confidence, entry.comment) == (D(75), 8, "good week")


def test_an_invalid_check_in_shows_the_errors_in_the_card(client_as, org, goals):
    client = client_as(org.users["staff"])
    prefix = f"kr{goals.staff_kr.pk}"
    response = client.post(f"/goals/key-results/{goals.staff_kr.pk}/check-in/", {
        f"{prefix}-value": "", f"{prefix}-confidence": "12"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().count("invalid-feedback") == 2
    with scope(company=org.company.pk):
        assert not CheckIn.objects.exists()
        assert KeyResult.objects.get(pk=goals.staff_kr.pk).current_value == D(0)


def test_without_htmx_the_check_in_redirects_to_the_objective(client_as, org, goals):
    prefix = f"kr{goals.staff_kr.pk}"
    response = client_as(org.users["staff"]).post(
        f"/goals/key-results/{goals.staff_kr.pk}/check-in/",
        {f"{prefix}-value": "10", f"{prefix}-confidence": "5"})
    assert response.status_code == 302
    assert response["Location"] == f"/goals/objectives/{goals.staff.pk}/"


def test_someone_else_cannot_check_in(client_as, org, goals):
    prefix = f"kr{goals.staff_kr.pk}"
    response = client_as(org.users["peer"]).post(
        f"/goals/key-results/{goals.staff_kr.pk}/check-in/",
        {f"{prefix}-value": "10", f"{prefix}-confidence": "5"})
    assert response.status_code == 403


def test_pages_in_chinese_by_default(client_as, org, goals):
    client = client_as(org.users["staff"])
    client.cookies.load({"django_language": "zh-hans"})
    response = client.get("/goals/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
