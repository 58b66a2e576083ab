"""The pace and alert settings page (HR and administrators) and `goals.policy.policy_for`,
which reads the same row (one query, then kept on the company object)."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.goals.policy import DEFAULT_POLICY, policy_for
from tandem.kpis.models import TrackingSettings
from tandem.kpis.services_tracking import save_settings, settings_for

URL = "/kpis/tracking/"
VALID = {"risk_margin": "0.3", "low_confidence": "3", "stale_days": "10",
         "weekly_alert_cap": "4", "escalation_grace_days": "5"}


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("role,status", [("owner", 200), ("hr", 200), ("finance", 403),
                                         ("lead", 403), ("staff", 403), ("peer", 403)])
def test_only_people_admins_open_the_settings(client_as, org, role, status):
    assert client_as(org.users[role]).get(URL).status_code == status
    assert client_as(org.users[role]).post(URL, VALID).status_code in (
        (302,) if status == 200 else (403,))


def test_the_form_shows_the_defaults(client_as, org):
    html = _english(client_as(org.users["hr"])).get(URL).content.decode()
    assert "Pace and alert settings" in html
    assert 'name="risk_margin" value="0.2"' in html
    assert 'name="weekly_alert_cap" value="5"' in html


def test_saving_keeps_one_row_and_feeds_the_okr_policy(client_as, org):
    client = client_as(org.users["hr"])
    assert client.post(URL, VALID).status_code == 302
    assert client.post(URL, {**VALID, "stale_days": "12"}).status_code == 302
    with scope(company=org.company.pk):
        (row,) = TrackingSettings.objects.all()
        assert (row.risk_margin, row.low_confidence, row.stale_days, row.weekly_alert_cap,
                row.escalation_grace_days) == (D("0.3"), 3, 12, 4, 5)
    org.company.refresh_from_db()
    policy = policy_for(org.company)
    assert (policy.risk_margin, policy.low_confidence, policy.stale_days) == (D("0.3"), 3, 12)
    assert policy.committed_expectation == DEFAULT_POLICY.committed_expectation


@pytest.mark.parametrize("field,value", [("risk_margin", "1.5"), ("risk_margin", "-0.1"),
                                         ("low_confidence", "11"), ("stale_days", "0"),
                                         ("weekly_alert_cap", "0"), ("risk_margin", "abc")])
def test_bad_values_are_a_400_with_the_field_error(client_as, org, field, value):
    response = _english(client_as(org.users["owner"])).post(URL, {**VALID, field: value})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    with scope(company=org.company.pk):
        assert not TrackingSettings.objects.exists()


def test_policy_for_reads_once_then_keeps_it(org, django_assert_num_queries):
    company = type(org.company).objects.get(pk=org.company.pk)
    with django_assert_num_queries(1):
        assert policy_for(company) == DEFAULT_POLICY
        assert policy_for(company) == DEFAULT_POLICY
    with scope(company=org.company.pk):
        save_settings(company=company, low_confidence=6)
    assert policy_for(company).low_confidence == 6


def test_each_company_has_its_own_settings(org, other_org):
    with scope(company=org.company.pk):
        save_settings(company=org.company, stale_days=30)
    assert policy_for(type(org.company).objects.get(pk=org.company.pk)).stale_days == 30
    assert policy_for(type(other_org.company).objects.get(pk=other_org.company.pk)) \
        == DEFAULT_POLICY
    with scope(company=other_org.company.pk):
        assert settings_for(other_org.company).pk is None


def test_the_service_refuses_non_admins_and_unknown_settings(org, actor_of_role):
    from django.core.exceptions import PermissionDenied, ValidationError

    with scope(company=org.company.pk):
        with pytest.raises(PermissionDenied):
            save_settings(company=org.company, actor=actor_of_role("lead"), stale_days=3)
        with pytest.raises(ValidationError):
            save_settings(company=org.company, kr_progress_cap=D(2))


def test_the_risks_page_shows_each_reader_what_they_may_see(client_as, org, goals, kpis,
                                                            time_machine):
    from datetime import date

    from tandem.kpis.risk import evaluate

    time_machine.move_to("2026-11-26 08:00 +08:00", tick=False)
    evaluate(date(2026, 11, 26))
    staff = _english(client_as(org.users["staff"])).get("/kpis/tracking/risks/")
    html = staff.content.decode()
    assert staff.status_code == 200
    assert "Invoices sent" in html and "New customers" not in html
    assert "No check-in for 14 days (stale_days)" in html
    lead = _english(client_as(org.users["lead"])).get("/kpis/tracking/risks/").content.decode()
    assert "Invoices sent" in lead and "Platform revenue" in lead and "New customers" not in lead
    hr = _english(client_as(org.users["hr"])).get("/kpis/tracking/risks/").content.decode()
    assert "New customers" in hr and "Invoices sent" in hr


def test_the_risks_page_reads_in_constant_queries(client_as, org, goals, kpis, time_machine,
                                                  django_assert_max_num_queries):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.goals import services as goals_services
    from tandem.kpis.risk import evaluate

    time_machine.move_to("2026-11-26 08:00 +08:00", tick=False)
    evaluate(date(2026, 11, 26))
    client = client_as(org.users["hr"])
    client.get("/kpis/tracking/risks/")
    with CaptureQueriesContext(connection) as few:
        client.get("/kpis/tracking/risks/")
    with scope(company=org.company.pk):
        for n in range(8):
            objective = goals_services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["peer"], title=f"Extra {n}")
            goals_services.create_key_result(objective=objective, title=f"KR {n}",
                                             target_value=D(4))
    evaluate(date(2026, 11, 26))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/kpis/tracking/risks/").content.decode()
    assert html.count('id="risk-') >= 15
