"""The daily risk evaluation (`kpis.risk.evaluate`): every key result and KPI assignment of the
active cycles judged by one rule, verdicts kept, one alert per change, constant queries."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation
from django_scopes import scope, scopes_disabled

from tandem.core.notifications.models import Notification
from tandem.goals import services as goals_services
from tandem.kpis import services
from tandem.kpis.models import RiskState
from tandem.kpis.risk import evaluate

TODAY = date(2026, 11, 26)  # 56 of 91 days of 2026-Q4: 62 % expected


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 08:00 +08:00", tick=False)


def _states(org):
    with scope(company=org.company.pk):
        return {(s.kind, s.item_id): s for s in RiskState.objects.all()}


def _alerts(org, kind=None):
    with scopes_disabled():
        rows = Notification.objects.filter(company=org.company)
        if kind:
            rows = rows.filter(kind=kind)
        return sorted((row.kind, row.recipient.name, row.params.get("item", "")) for row in rows)


def test_every_item_is_judged_and_kept(org, goals, kpis):
    summary = evaluate(TODAY)
    states = _states(org)
    # 4 key results, 3 assignments (employee ×2, department ×1)
    assert summary.items == 7
    assert len(states) == 7
    staff_kr = states[("key_result", goals.staff_kr.pk)]
    assert staff_kr.at_risk and staff_kr.since == TODAY
    assert staff_kr.expected == D("0.6154") and staff_kr.progress == D("0")
    with translation.override("en"):
        assert staff_kr.explanation == (
            "Progress 0 % is more than 20 % behind the expected 62 % (risk_margin) "
            "No check-in for 14 days (stale_days)")


def test_an_item_on_pace_is_on_track_and_not_alerted(org, goals, kpis):
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(70), confidence=8)
    evaluate(TODAY)
    assert not _states(org)[("key_result", goals.staff_kr.pk)].at_risk
    assert [a for a in _alerts(org) if a[2] == "Invoices sent"] == []


def test_a_kpi_is_judged_by_its_progress_towards_the_target(org, goals, kpis):
    with scope(company=org.company.pk):
        services.record_measurement(assignment=kpis.rnd, date=date(2026, 11, 20),
                                    value=D("400000"))
    evaluate(TODAY)
    state = _states(org)[("assignment", kpis.rnd.pk)]
    assert not state.at_risk  # 80 % of the target against 62 % expected, measured 6 days ago
    assert state.progress == D("0.8")


def test_the_risk_rule_is_the_companys_setting(org, goals, kpis):
    from tandem.kpis.services_tracking import save_settings

    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(40), confidence=8)
    evaluate(TODAY)
    assert _states(org)[("key_result", goals.staff_kr.pk)].at_risk  # 40 % < 62 % × 0.8
    with scope(company=org.company.pk):
        save_settings(company=org.company, risk_margin=D("0.5"))
    evaluate(TODAY)
    state = _states(org)[("key_result", goals.staff_kr.pk)]
    assert not state.at_risk  # 40 % ≥ 62 % × 0.5
    assert state.since == TODAY


def test_a_kr_pace_plan_sets_its_expectation(org, goals, kpis):
    with scope(company=org.company.pk):
        goals.staff_kr.pace_plan = [["2026-11-30", "0.1"], ["2026-12-31", "1"]]
        goals.staff_kr.save()
        goals_services.check_in(key_result=goals.staff_kr, value=D(10), confidence=8)
    evaluate(TODAY)
    state = _states(org)[("key_result", goals.staff_kr.pk)]
    assert state.expected == D("0.0933")  # 56 of 60 days towards 10 %
    assert not state.at_risk


def test_a_kpi_pace_plan_sets_its_expectation(org, goals, kpis):
    with scope(company=org.company.pk):
        kpis.rnd.pace_plan = [["2026-12-01", "0.2"], ["2026-12-31", "1"]]
        kpis.rnd.save()
        services.record_measurement(assignment=kpis.rnd, date=date(2026, 11, 20),
                                    value=D("90000"))
    evaluate(TODAY)
    state = _states(org)[("assignment", kpis.rnd.pk)]
    assert state.expected == D("0.1836")  # 56 of 61 days towards 20 %
    assert state.progress == D("0.18")
    assert not state.at_risk


def test_closed_cycles_and_position_assignments_are_left_alone(org, goals, kpis):
    with scope(company=org.company.pk):
        goals_services.update_cycle(cycle=goals.quarter, status="closed")
    summary = evaluate(TODAY)
    assert summary.items == 0
    assert _states(org) == {}


def test_each_company_is_judged_with_its_own_rule(org, other_org, goals, kpis):
    from tandem.goals.testing import make_goals
    from tandem.kpis.services_tracking import save_settings

    make_goals(other_org)
    with scope(company=other_org.company.pk):
        save_settings(company=other_org.company, stale_days=365, risk_margin=D("1"))
    summary = evaluate(TODAY)
    assert summary.items == 7 + 4
    with scope(company=other_org.company.pk):
        assert not RiskState.objects.filter(at_risk=True).exists()
    assert _states(org)[("key_result", goals.staff_kr.pk)].at_risk


def _more_items(org, goals, n):
    with scope(company=org.company.pk):
        for i in range(n):
            objective = goals_services.create_objective(
                company=org.company, cycle=goals.quarter, level="individual",
                owner_employee=org.employees["peer"], title=f"More {i}")
            kr = goals_services.create_key_result(objective=objective, title=f"KR {i}",
                                                  target_value=D(10))
            goals_services.check_in(key_result=kr, value=D(i % 10), confidence=2 + i % 8)
            indicator = services.create_indicator(company=org.company, code=f"X{i}",
                                                  name=f"指标{i}", aggregation="sum")
            services.assign(cycle=goals.quarter, indicator=indicator, target=D(10),
                            weight=D("0.01"), employee=org.employees["lead"])


def test_the_evaluation_reads_in_a_constant_number_of_queries(
        org, goals, kpis, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    evaluate(TODAY)
    with CaptureQueriesContext(connection) as few:
        assert evaluate(TODAY).changed == 0
    _more_items(org, goals, 12)
    evaluate(TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        summary = evaluate(TODAY)
    assert summary.items == 7 + 24 and summary.changed == 0 and summary.written == 0


def test_a_first_run_costs_a_constant_number_of_queries_whatever_the_alerts(
        org, goals, kpis, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _more_items(org, goals, 12)
    with CaptureQueriesContext(connection) as run:
        summary = evaluate(TODAY)
    assert summary.changed > 12 and summary.alerts + summary.digests >= 12
    # All alerts go out in one notify_many (a notify per alert cost two queries each).
    assert len(run.captured_queries) <= 15


def test_a_deleted_item_loses_its_verdict_and_a_new_owner_is_kept(org, goals, kpis):
    evaluate(TODAY)
    with scope(company=org.company.pk):
        goals_services.delete_key_result(key_result=goals.peer_kr)
        goals.staff_kr.owner = org.employees["lead"]
        goals.staff_kr.save()
    summary = evaluate(TODAY)
    states = _states(org)
    assert ("key_result", goals.peer_kr.pk) not in states
    staff_kr = states[("key_result", goals.staff_kr.pk)]
    assert (staff_kr.owner_id, staff_kr.department_id) == (org.employees["lead"].pk, org.rnd.pk)
    assert summary.changed == 0 and summary.alerts == 0
