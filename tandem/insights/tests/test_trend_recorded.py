"""The synergy trend's recorded weeks (insights.services, TrendWeek): read instead of rebuilt,
the same figures, forgotten when figures dated in them come or go. On the hand-built history
of test_trend (today 2026-10-20; weeks 1 and 2 ended on 10-07 and 10-14)."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.insights import services
from tandem.insights.models import TrendWeek
from tandem.kpis import links
from tandem.kpis import services as kpi_services
from tandem.kpis.models import KeyResultLink, Measurement

from .test_trend import TODAY, build, history  # noqa: F401 (the fixture)

D = Decimal
WEEK_1, WEEK_2 = date(2026, 10, 7), date(2026, 10, 14)


def figures(report):
    return [(w.end, w.completion, w.kpi_attainment, w.mean_kpi_attainment)
            for w in report.weeks]


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def recorded_ends():
    return sorted(TrendWeek.objects.values_list("week_end", flat=True))


def test_recorded_weeks_read_as_they_were_rebuilt_in_one_query(org, history, scoped):  # noqa: F811
    rebuilt, rebuilding = queries(lambda: build(history))

    assert services.record_trend_weeks(history.quarter, TODAY) == 2
    assert services.record_trend_weeks(history.quarter, TODAY) == 0  # already recorded
    week = TrendWeek.objects.get(week_end=WEEK_2)
    assert week.completion == {str(history.company.pk): "0.3500"}
    assert week.kpi_attainment == {str(org.rnd.pk): "0.5200", str(org.platform.pk): "0.6250",
                                   str(org.sales.pk): "0.3000"}
    assert TrendWeek.objects.get(week_end=WEEK_1).kpi_attainment[str(org.sales.pk)] is None

    recorded, reading = queries(lambda: build(history))
    assert figures(recorded) == figures(rebuilt)
    assert reading == rebuilding - 4


def test_a_department_filter_reads_its_departments_from_the_recorded_weeks(
        org, history, scoped):  # noqa: F811
    subtree = frozenset({org.rnd.pk, org.platform.pk})
    rebuilt = build(history, subtree=subtree)
    services.record_trend_weeks(history.quarter, TODAY)

    assert figures(build(history, subtree=subtree)) == figures(rebuilt)
    assert [w.kpi_attainment for w in rebuilt.weeks][:2] == [
        {org.rnd.pk: D("0.2200"), org.platform.pk: D("0.5000")},
        {org.rnd.pk: D("0.5200"), org.platform.pk: D("0.6250")}]


def test_a_recorded_week_keeps_the_figures_of_then(org, history, kpis, scoped):  # noqa: F811
    services.record_trend_weeks(history.quarter, TODAY)
    kpi_services.update_assignment(assignment=kpis.rnd, target=D("1000000"))

    weeks = build(history).weeks
    assert [w.kpi_attainment[org.rnd.pk] for w in weeks] == [
        D("0.2200"), D("0.5200"), D("0.2600")]  # recorded, recorded, today's 260,000 / 1 M


def test_a_figure_for_an_earlier_day_rebuilds_the_weeks_from_that_day(
        org, history, kpis, scoped):  # noqa: F811
    services.record_trend_weeks(history.quarter, TODAY)
    kpi_services.record_measurement(assignment=kpis.rnd, date=date(2026, 10, 10),
                                    value=D("40000"))
    assert recorded_ends() == [WEEK_1]

    weeks = build(history).weeks
    assert [w.kpi_attainment[org.rnd.pk] for w in weeks] == [
        D("0.2200"), D("0.6000"), D("0.6000")]  # 300,000 of 500,000 since week 2


def test_a_figure_for_today_keeps_the_recorded_weeks(org, history, kpis, scoped):  # noqa: F811
    services.record_trend_weeks(history.quarter, TODAY)
    kpi_services.record_measurement(assignment=kpis.rnd, date=TODAY, value=D("40000"))

    assert recorded_ends() == [WEEK_1, WEEK_2]


def test_deleting_a_figure_rebuilds_the_weeks_from_its_day(org, history, kpis, scoped):  # noqa: F811
    services.record_trend_weeks(history.quarter, TODAY)
    kpi_services.delete_measurement(measurement=Measurement.objects.get(
        assignment=kpis.rnd, date=date(2026, 10, 13)))

    assert recorded_ends() == [WEEK_1]
    assert build(history).weeks[1].kpi_attainment[org.rnd.pk] == D("0.2200")


def test_linking_or_unlinking_a_key_result_rebuilds_every_week_concerned(
        org, history, kpis, goals, scoped):  # noqa: F811
    services.record_trend_weeks(history.quarter, TODAY)
    links.unlink(key_result_link=KeyResultLink.objects.get(assignment=kpis.rnd))
    assert recorded_ends() == []

    services.record_trend_weeks(history.quarter, TODAY)
    links.link(key_result=goals.rnd_kr, assignment=kpis.rnd)  # check-ins from 10-07 on
    assert recorded_ends() == []


def test_the_nightly_task_records_the_weeks_just_ended_of_every_cycle(
        org, other_org, history, time_machine):  # noqa: F811
    def recorded():
        with scope(company=org.company.pk):
            return {cycle: TrendWeek.objects.filter(cycle=cycle).count()
                    for cycle in (history.quarter, history.year)}

    # The quarter's weeks 1–2 and the year's weeks 1–41 (the 41st ends on 10-14).
    assert services.record_all_trend_weeks(TODAY) == 43
    assert services.record_all_trend_weeks(TODAY) == 0
    assert recorded() == {history.quarter: 2, history.year: 41}
    # Cycles over for more than a week are left as they are.
    assert services.record_all_trend_weeks(date(2027, 1, 20)) == 0
    # The quarter's 14 weeks (the last one is 12-31 alone), the year's 53.
    assert services.record_all_trend_weeks(date(2027, 1, 5)) == 12 + 12
    assert recorded() == {history.quarter: 14, history.year: 53}
