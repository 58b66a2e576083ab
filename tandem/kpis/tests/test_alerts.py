"""Alerts of the risk evaluation (`kpis.alerts`): one per item per change of verdict, to the
owner and their lead; none again while nothing changes; a weekly cap per person with one digest
for the rest; one escalation to the next leader up when an alerted item stays at risk without
an update."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation
from django_scopes import scope, scopes_disabled

from tandem.core.notifications.models import Notification
from tandem.core.notifications.registry import get_kind
from tandem.goals import services as goals_services
from tandem.kpis.models import RiskState
from tandem.kpis.risk import evaluate
from tandem.kpis.services_tracking import save_settings

AT_RISK = "kpis.key_result_at_risk"
ON_TRACK = "kpis.key_result_on_track"


@pytest.fixture
def run(time_machine):
    def on(day: str):
        time_machine.move_to(f"{day} 08:00 +08:00", tick=False)
        return evaluate(date.fromisoformat(day))

    time_machine.move_to("2026-11-26 08:00 +08:00", tick=False)
    return on


def _sent(org, kind=None, item=None):
    with scopes_disabled():
        rows = Notification.objects.filter(company=org.company).select_related("recipient")
        if kind:
            rows = rows.filter(kind=kind)
        return sorted((row.kind, row.recipient.name) for row in rows
                      if item is None or row.params.get("item") == item)


def test_an_item_going_at_risk_alerts_its_owner_and_lead_once(org, goals, kpis, run):
    run("2026-11-26")
    assert _sent(org, item="Invoices sent") == [(AT_RISK, "lead"), (AT_RISK, "staff")]
    with scopes_disabled():
        row = Notification.objects.get(kind=AT_RISK, recipient=org.employees["staff"])
    assert row.params == {"item": "Invoices sent", "owner": "staff", "progress": "0 %",
                          "expected": "62 %", "day": "2026-11-26"}
    assert row.url == f"/goals/objectives/{goals.staff.pk}/"
    with translation.override("en"):
        assert get_kind(AT_RISK).render_body(row.params) == (
            "“Invoices sent” (staff) is at risk: progress 0 %, expected 62 % by 2026-11-26.")
    run("2026-11-27")
    run("2026-11-28")
    assert _sent(org, item="Invoices sent") == [(AT_RISK, "lead"), (AT_RISK, "staff")]


def test_back_on_track_and_at_risk_again_alert_once_each(org, goals, kpis, run):
    with scope(company=org.company.pk):
        save_settings(company=org.company, weekly_alert_cap=50)
    run("2026-11-26")
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(70), confidence=8)
    run("2026-11-27")
    run("2026-11-28")
    assert _sent(org, item="Invoices sent") == [
        (AT_RISK, "lead"), (AT_RISK, "staff"), (ON_TRACK, "lead"), (ON_TRACK, "staff")]
    with scope(company=org.company.pk):
        state = RiskState.objects.get(kind="key_result", item_id=goals.staff_kr.pk)
        assert (state.at_risk, state.since) == (False, date(2026, 11, 27))
        goals_services.check_in(key_result=goals.staff_kr, value=D(71), confidence=2)
    run("2026-11-29")
    assert _sent(org, kind=AT_RISK, item="Invoices sent") == [
        (AT_RISK, "lead"), (AT_RISK, "lead"), (AT_RISK, "staff"), (AT_RISK, "staff")]


def test_a_change_of_reasons_alone_sends_nothing(org, goals, kpis, run):
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(70), confidence=3)
    run("2026-11-26")  # at risk: low confidence
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(30), confidence=3)
    run("2026-11-27")  # still at risk, now also behind
    assert _sent(org, item="Invoices sent") == [(AT_RISK, "lead"), (AT_RISK, "staff")]
    with scope(company=org.company.pk), translation.override("en"):
        state = RiskState.objects.get(kind="key_result", item_id=goals.staff_kr.pk)
        assert state.since == date(2026, 11, 26)
        assert "behind the expected" in state.explanation


def test_a_department_kpi_alerts_its_leader_and_the_leader_above(org, goals, kpis, run):
    with scope(company=org.company.pk):
        org.rnd.leader = org.employees["owner"]
        org.rnd.save()
        org.platform.leader = org.employees["lead"]
        org.platform.save()
        from tandem.kpis import services

        platform_kpi = services.assign(cycle=goals.quarter, indicator=kpis.defects,
                                       target=D(3), weight=D("0.5"), department=org.platform)
    run("2026-11-26")
    with scopes_disabled():
        told = sorted(row.recipient.name for row in Notification.objects.filter(
            kind="kpis.kpi_at_risk", params__owner="平台组"))
    assert told == ["lead", "owner"]
    assert platform_kpi.pk


def test_alerts_beyond_the_weekly_cap_go_into_one_digest(org, goals, kpis, run):
    with scope(company=org.company.pk):
        save_settings(company=org.company, weekly_alert_cap=2)
        for n in range(4):
            objective = goals_services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["peer"], title=f"Extra {n}")
            goals_services.create_key_result(objective=objective, title=f"Extra KR {n}",
                                             target_value=D(4))
    summary = run("2026-11-26")
    peer = [kind for kind, name in _sent(org) if name == "peer"]
    # peer owns 6 items at risk (5 key results, 1 KPI): 2 alerts, the other 4 in one digest
    assert peer.count("kpis.risk_digest") == 1
    assert len([k for k in peer if k != "kpis.risk_digest"]) == 2
    with scopes_disabled():
        digest = Notification.objects.get(kind="kpis.risk_digest", recipient=org.employees["peer"])
    assert digest.params["count"] == "4"
    assert summary.digests >= 1
    # the cap holds over 7 days: a new change two days later goes into a digest too
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.peer_kr, value=D(9), confidence=9)
    run("2026-11-28")
    with scopes_disabled():
        peer_rows = list(Notification.objects.filter(recipient=org.employees["peer"])
                         .order_by("pk").values_list("kind", flat=True))
    assert peer_rows.count("kpis.risk_digest") == 2
    assert len([k for k in peer_rows if k != "kpis.risk_digest"]) == 2
    # a week after the first alerts the cap is free again
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.peer_kr, value=D(1), confidence=1)
    run("2026-12-04")
    with scopes_disabled():
        last = Notification.objects.filter(recipient=org.employees["peer"]).latest("pk")
    assert last.kind == AT_RISK


def _deep_chain(org):
    """staff (Platform) → lead (leads Platform) → owner (leads R&D above)."""
    with scope(company=org.company.pk):
        org.platform.leader = org.employees["lead"]
        org.platform.save()
        org.rnd.leader = org.employees["owner"]
        org.rnd.save()


def test_an_item_still_at_risk_without_update_escalates_once(org, goals, kpis, run):
    _deep_chain(org)
    run("2026-11-26")
    assert _sent(org, item="Invoices sent") == [(AT_RISK, "lead"), (AT_RISK, "staff")]
    run("2026-12-02")  # 6 days: not yet
    assert _sent(org, kind="kpis.risk_escalated", item="Invoices sent") == []
    summary = run("2026-12-03")  # 7 days after the alert
    assert summary.escalated >= 1
    assert _sent(org, kind="kpis.risk_escalated", item="Invoices sent") == [
        ("kpis.risk_escalated", "owner")]
    with scopes_disabled():
        row = Notification.objects.get(kind="kpis.risk_escalated", params__item="Invoices sent")
    assert row.params["lead"] == "lead" and row.params["since"] == "2026-11-26"
    run("2026-12-04")
    run("2026-12-10")
    assert _sent(org, kind="kpis.risk_escalated", item="Invoices sent") == [
        ("kpis.risk_escalated", "owner")]


def test_an_update_after_the_alert_holds_off_the_escalation(org, goals, kpis, run,
                                                            time_machine):
    _deep_chain(org)
    run("2026-11-26")
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)  # the same day, later
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(20), confidence=3)
    run("2026-11-28")
    run("2026-12-05")
    assert _sent(org, kind="kpis.risk_escalated", item="Invoices sent") == []


def test_the_grace_is_the_companys_setting(org, goals, kpis, run):
    _deep_chain(org)
    with scope(company=org.company.pk):
        save_settings(company=org.company, escalation_grace_days=3)
    run("2026-11-26")
    run("2026-11-29")
    assert _sent(org, kind="kpis.risk_escalated", item="Invoices sent") == [
        ("kpis.risk_escalated", "owner")]


def test_evaluate_risks_command(org, goals, kpis, run):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("evaluate_risks", "--date", "2026-11-26", stdout=out)
    assert out.getvalue().startswith("items 7, at risk ")
    out = StringIO()
    call_command("evaluate_risks", "--date", "2026-11-26", stdout=out)
    assert ", changed 0, alerts 0, digests 0, escalated 0, rows written 0" in out.getvalue()


def test_the_periodic_task_runs_the_evaluation(org, goals, kpis, run):
    from tandem.kpis.tasks import evaluate_risks

    result = evaluate_risks.call_local()
    assert result["items"] == 7 and result["changed"] == result["at_risk"]


def _people_at_risk(org, goals, n):
    """n new people in Platform (lead is their lead), each owning a key result not started."""
    from tandem.core.testing import make_employee

    for i in range(n):
        person = make_employee(org.company, org.platform, name=f"at risk {i}")
        with scope(company=org.company.pk):
            objective = goals_services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=person, title=f"Risky {i}")
            goals_services.create_key_result(objective=objective, title=f"Risky KR {i}",
                                             target_value=D(10))


def _digested(org) -> int:
    """How many items lead's digest lists."""
    row = Notification.objects.get(kind="kpis.risk_digest", recipient=org.employees["lead"])
    return int(row.params["count"])


def test_alerts_for_2_or_20_people_at_risk_cost_the_same_queries(
        org, goals, kpis, run, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _people_at_risk(org, goals, 2)
    with CaptureQueriesContext(connection) as few:
        first = run("2026-11-26")
    with scopes_disabled():  # forget the first run: the next one is a first run again
        digested = _digested(org)
        RiskState.objects.filter(company=org.company).delete()
        Notification.objects.filter(company=org.company).delete()
    _people_at_risk(org, goals, 18)
    # All alerts and digests are one notify_many: the same queries for 18 more alerts.
    with django_assert_num_queries(len(few.captured_queries)):
        second = run("2026-11-26")
    assert (second.alerts, second.digests) == (first.alerts + 18, first.digests)
    with scopes_disabled():
        assert _digested(org) == digested + 18  # lead is past the weekly cap
