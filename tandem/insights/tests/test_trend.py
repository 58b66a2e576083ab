"""The trend of the synergy report: company objective completion and department KPI attainment
as they stood at the end of each week (insights.synergy_trend), on a hand-built history.

The goals and kpis fixtures' quarter (2026-10-01 … 12-31), today 2026-10-20 (week 3 under way;
weeks 1 and 2 end on 10-07 and 10-14). Times are Asia/Shanghai.

- "Grow revenue" has its KR Revenue (target 1,000,000) and a KR driven by R&D's objective,
  whose KR Platform revenue has target 500,000; both weights 1. Check-ins: Revenue 100,000 on
  10-03 (0.1), 300,000 at 00:30 on 10-08 (0.3), 400,000 on 10-19 (0.4); Platform revenue
  50,000 at 23:30 on 10-07 (0.1), 200,000 on 10-12 (0.4). Completion: week 1 (0.1 + 0.1) / 2
  = 0.1; week 2 (0.3 + 0.4) / 2 = 0.35; today (0.4 + 0.4) / 2 = 0.4.
- R&D holds SALES (sum, target 500,000, its own figures): 10,000 on 10-01, 100,000 on 10-05,
  150,000 on 10-13, and Platform revenue is linked to it, so its check-ins add measurements
  that are never counted in its own actual. Week 1: 110,000 → 0.22; week 2: 260,000 → 0.52.
- Platform counts its people's: staff's DEFECTS (last, lower is better, target 5 over actual,
  capped 1.2): 10 on 10-06 → 0.5; 8 on 10-14 → 0.625; 4 on 10-15 → 1.25, capped 1.2.
- Sales counts peer's NEW_CUST (target 10, from peer's KR): check-in 3 on 10-09 → 0.3.
- The mean over the departments with a figure: week 1 (0.22 + 0.5) / 2 = 0.36; week 2
  (0.52 + 0.625 + 0.3) / 3 = 0.48166… → 0.4817; today (0.52 + 1.2 + 0.3) / 3 → 0.6733.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.testing import make_department, make_employee
from tandem.goals import services as goal_services
from tandem.insights import charts, synergy, synergy_trend
from tandem.insights import synergy_rules as rules
from tandem.kpis import attainment as kpi_rules
from tandem.kpis import links
from tandem.kpis import services as kpi_services

TODAY = date(2026, 10, 20)
D = Decimal


@pytest.fixture
def history(org, goals, kpis, time_machine):
    def at(moment):
        time_machine.move_to(f"2026-{moment} +08:00", tick=False)

    with scope(company=org.company.pk):
        goal_services.create_key_result(objective=goals.company, title="Platform shipped",
                                        driven_by_objective=goals.rnd)
        for day, value in ((date(2026, 10, 1), "10000"), (date(2026, 10, 5), "100000"),
                           (date(2026, 10, 13), "150000")):
            kpi_services.record_measurement(assignment=kpis.rnd, date=day, value=D(value))
        links.link(key_result=goals.rnd_kr, assignment=kpis.rnd)
        for day, value in ((date(2026, 10, 6), "10"), (date(2026, 10, 14), "8")):
            kpi_services.record_measurement(assignment=kpis.staff, date=day, value=D(value))
        for moment, kr, value in (("10-03 10:00", goals.company_kr, "100000"),
                                  ("10-07 23:30", goals.rnd_kr, "50000"),
                                  ("10-08 00:30", goals.company_kr, "300000"),
                                  ("10-09 10:00", goals.peer_kr, "3"),
                                  ("10-12 10:00", goals.rnd_kr, "200000"),
                                  ("10-19 10:00", goals.company_kr, "400000")):
            at(moment)
            goal_services.check_in(key_result=kr, value=D(value), confidence=7)
        at("10-20 10:00")
    return goals


def build(goals, **kwargs):
    return synergy.build(goals.quarter, today=TODAY, **kwargs)


def test_weeks_stand_at_their_end_and_the_week_under_way_at_today(org, history, scoped):
    weeks = build(history).weeks

    assert [(w.number, w.end, w.as_of) for w in weeks] == [
        (1, date(2026, 10, 7), date(2026, 10, 7)), (2, date(2026, 10, 14), date(2026, 10, 14)),
        (3, date(2026, 10, 21), date(2026, 10, 20))]


def test_company_objective_completion_as_it_stood(org, history, scoped):
    report = build(history)

    # The 23:30 check-in of 10-07 (15:30 UTC) belongs to week 1, the 00:30 one of 10-08 not.
    assert [w.completion for w in report.weeks] == [
        {history.company.pk: D("0.1000")}, {history.company.pk: D("0.3500")},
        {history.company.pk: D("0.4000")}]
    assert report.company_objectives[0].progress == D("0.4000")


def test_department_kpi_attainment_as_it_stood(org, history, scoped):
    weeks = build(history).weeks
    rnd, platform, sales = org.rnd.pk, org.platform.pk, org.sales.pk

    assert [w.kpi_attainment for w in weeks] == [
        {rnd: D("0.2200"), platform: D("0.5000"), sales: None},
        {rnd: D("0.5200"), platform: D("0.6250"), sales: D("0.3000")},
        {rnd: D("0.5200"), platform: D("1.2000"), sales: D("0.3000")}]
    assert [w.mean_kpi_attainment for w in weeks] == [D("0.3600"), D("0.4817"), D("0.6733")]


def test_the_week_under_way_shows_the_reports_own_figures(org, history, scoped):
    report = build(history)
    now = report.weeks[-1]

    assert now.completion == {o.pk: o.progress for o in report.company_objectives}
    assert now.kpi_attainment == {row.pk: row.kpi_attainment for row in report.departments}


def test_a_department_filter_keeps_the_lines_of_its_departments(org, history, scoped):
    report = build(history, subtree=frozenset({org.rnd.pk, org.platform.pk}))

    assert [w.kpi_attainment for w in report.weeks] == [
        {org.rnd.pk: D("0.2200"), org.platform.pk: D("0.5000")},
        {org.rnd.pk: D("0.5200"), org.platform.pk: D("0.6250")},
        {org.rnd.pk: D("0.5200"), org.platform.pk: D("1.2000")}]
    with translation.override("en"):
        names = [trace.name for trace in charts.trend(report).data]
    # Departments in the report's order, by name: 平台组 (Platform), then 研发部 (R&D).
    assert names == ["1. Grow reven…", "KPI attainment: 平台组", "KPI attainment: 研发部",
                     "Expected pace"]


def test_the_chart_draws_completion_and_the_mean_attainment(org, history, scoped):
    with translation.override("en"):
        figure = charts.trend(build(history))
    lines = {trace.name: list(trace.y) for trace in figure.data}

    assert lines == {"1. Grow reven…": [10.0, 35.0, 40.0],
                     "Mean department KPI attainment": [36.0, 48.2, 67.3],
                     "Expected pace": [6.6, 14.3, 20.9]}  # 6, 13, 19 of 91 days


def test_before_the_first_week_ends_there_is_no_history(org, history, scoped):
    weeks = synergy.build(history.quarter, today=date(2026, 10, 3)).weeks

    assert [(w.number, w.as_of) for w in weeks] == [(1, date(2026, 10, 3))]
    assert weeks[0].completion == {history.company.pk: D("0.4000")}  # today's figures


def _count(call):
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_trend_costs_the_same_queries_for_few_and_many(org, history, kpis, time_machine):
    def queries():
        with scope(company=org.company.pk):
            return (_count(lambda: build(history)),
                    _count(lambda: build(history, with_weeks=False)))

    few = queries()
    company = org.company
    for n in range(3):
        department = make_department(company, f"组{n}", parent=org.sales)
        for p in range(3):
            person = make_employee(company, department)
            with scope(company=company.pk):
                assignment = kpi_services.assign(
                    cycle=history.quarter, indicator=kpis.sales, target=D("100"),
                    weight=D("1"), employee=person)
                for day in (date(2026, 10, 2), date(2026, 10, 9), date(2026, 10, 16)):
                    kpi_services.record_measurement(assignment=assignment, date=day,
                                                    value=D(10 + p))
            time_machine.move_to("2026-10-10 10:00 +08:00", tick=False)
            with scope(company=company.pk):
                goal_services.check_in(key_result=history.company_kr, value=D(500000 + p),
                                       confidence=6)
    time_machine.move_to("2026-10-20 10:00 +08:00", tick=False)
    many = queries()
    assert few == many
    # recorded weeks 1; none recorded: completion 3, KPI attainment 1 (activity: when read)
    assert few[0] - few[1] == 5


def test_rolled_up_takes_driven_key_results_from_their_objective():
    # Objective 1: KR 10 (weight 3, 0.5) and KR 11 (weight 1) driven by objective 2, whose KRs
    # 20 (0.2) and 21 (no check-in yet: 0) weigh 1 each → 0.1; (3 × 0.5 + 0.1) / 4 = 0.4.
    key_results = {1: [(10, D(3), None), (11, D(1), 2)], 2: [(20, D(1), None),
                                                           (21, D(1), None)]}
    memo = {}
    assert synergy_trend.rolled_up(1, key_results, {10: D("0.5"), 20: D("0.2")}, memo) == D(
        "0.4000")
    assert memo == {1: D("0.4000"), 2: D("0.1000")}


def test_rolled_up_cuts_a_loop():
    key_results = {1: [(10, D(1), 2)], 2: [(20, D(1), 1), (21, D(1), None)]}

    assert synergy_trend.rolled_up(1, key_results, {21: D("0.8")}, {}) == D("0.4000")


RULES = st.builds(
    kpi_rules.Rule,
    kind=st.sampled_from(["ratio", "inverse_ratio", "reverse_deviation", "banded", "penalty"]),
    direction=st.sampled_from(["higher", "lower"]), capped=st.booleans(),
    cap=st.decimals(min_value=1, max_value=3, places=4),
    floor=st.none() | st.decimals(min_value=0, max_value=1, places=4),
    points_per_unit=st.decimals(min_value=0, max_value=10, places=2))


@given(actual=st.none() | st.decimals(min_value=0, max_value=10**6, places=4),
       target=st.decimals(min_value=D("0.0001"), max_value=10**6, places=4), rule=RULES)
def test_attainment_of_is_evaluates_attainment(actual, target, rule):
    assert rules.attainment_of(actual, target, rule) == kpi_rules.evaluate(
        actual, target, rule).attainment
