from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tandem.goals import services as goals_services
from tandem.kpis import links, services
from tandem.kpis.models import ActualSource, Measurement, MeasurementSource


@pytest.fixture
def sales_kr(org, goals, scoped):
    """A monthly-sales key result of peer's objective, in CNY."""
    return goals_services.create_key_result(objective=goals.peer, title="每月销售额 25 万",
                                            target_value=Decimal("250000"), unit="CNY",
                                            measure_type="currency")


@pytest.fixture
def sales_kpi(org, goals, kpis, scoped):
    services.update_assignment(assignment=kpis.peer, weight=Decimal("0.5"))
    return services.assign(cycle=goals.quarter, indicator=kpis.sales, target=Decimal("1000000"),
                           weight=Decimal("0.5"), employee=org.employees["peer"])


def test_check_ins_of_a_linked_key_result_add_up_to_the_kpi(sales_kr, sales_kpi):
    links.link(key_result=sales_kr, assignment=sales_kpi)
    sales_kpi.refresh_from_db()
    assert sales_kpi.actual_source == ActualSource.KEY_RESULTS
    assert sales_kpi.actual is None
    for day, value in [(date(2026, 10, 31), "240000"), (date(2026, 11, 30), "280000"),
                       (date(2026, 12, 31), "280000")]:
        with time_machine.travel(f"{day.isoformat()} 12:00 +0800", tick=False):
            entry = goals_services.check_in(key_result=sales_kr, value=Decimal(value),
                                            confidence=7)
        measurement = Measurement.objects.get(check_in=entry)
        assert measurement.source == MeasurementSource.KEY_RESULT
        assert measurement.date == day
    sales_kpi.refresh_from_db()
    assert sales_kpi.actual == Decimal("800000")
    assert sales_kpi.attainment == Decimal("0.8")
    assert sales_kpi.score == Decimal("80.00")


def test_unlinking_removes_the_measurements_and_recomputes(sales_kr, sales_kpi):
    link = links.link(key_result=sales_kr, assignment=sales_kpi)
    with time_machine.travel("2026-10-31 12:00 +0800", tick=False):
        goals_services.check_in(key_result=sales_kr, value=Decimal("240000"), confidence=7)
    links.unlink(key_result_link=link)
    sales_kpi.refresh_from_db()
    assert sales_kpi.actual is None
    assert sales_kpi.actual_source == ActualSource.OWN
    assert not Measurement.objects.filter(assignment=sales_kpi).exists()


def test_units_must_match_or_a_factor_be_given(goals, sales_kpi, scoped):
    count_kr = goals.peer_kr  # no unit
    with pytest.raises(ValidationError) as error:
        links.link(key_result=count_kr, assignment=sales_kpi)
    assert "factor" in error.value.message_dict
    links.link(key_result=count_kr, assignment=sales_kpi, factor=Decimal("10000"))


def test_own_figures_and_key_results_are_shown_apart(sales_kr, sales_kpi):
    services.record_measurement(assignment=sales_kpi, date=date(2026, 10, 20),
                                value=Decimal("100000"))
    links.link(key_result=sales_kr, assignment=sales_kpi)
    with time_machine.travel("2026-10-31 12:00 +0800", tick=False):
        goals_services.check_in(key_result=sales_kr, value=Decimal("240000"), confidence=7)
    sales_kpi.refresh_from_db()
    assert sales_kpi.actual_source == ActualSource.OWN
    assert sales_kpi.actual == Decimal("100000")
    assert sales_kpi.linked_actual == Decimal("240000")


def test_increment_mode_counts_each_check_in_s_increase(kpis, goals, scoped):
    # peer's "New customers" KR feeds NEW_CUST (value mode in the fixture): relink it counting
    # increases, as for a KR whose check-ins report the running total.
    links.unlink(key_result_link=kpis.peer_link)
    links.link(key_result=goals.peer_kr, assignment=kpis.peer, mode="increment")
    for total in ("2", "5", "4"):
        goals_services.check_in(key_result=goals.peer_kr, value=Decimal(total), confidence=6)
    kpis.peer.refresh_from_db()
    values = list(Measurement.objects.filter(assignment=kpis.peer).order_by("pk")
                  .values_list("value", flat=True))
    assert values == [Decimal("2"), Decimal("3"), Decimal("-1")]
    assert kpis.peer.actual == Decimal("4")


def test_linking_brings_in_earlier_check_ins_with_their_trace(kpis, goals, scoped):
    links.unlink(key_result_link=kpis.peer_link)
    first = goals_services.check_in(key_result=goals.peer_kr, value=Decimal("3"), confidence=6)
    link = links.link(key_result=goals.peer_kr, assignment=kpis.peer)
    measurement = Measurement.objects.get(assignment=kpis.peer)
    assert (measurement.link, measurement.check_in, measurement.value) == (
        link, first, Decimal("3"))


def test_check_ins_outside_the_kpi_cycle_count_nowhere(kpis, goals, scoped):
    with time_machine.travel("2027-01-05 12:00 +0800", tick=False):
        goals_services.check_in(key_result=goals.peer_kr, value=Decimal("9"), confidence=6)
    assert not Measurement.objects.filter(assignment=kpis.peer).exists()


def test_only_who_may_change_the_key_result_links_it(kpis, goals, actor_of_role, scoped):
    links.unlink(key_result_link=kpis.peer_link)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        links.link(key_result=goals.peer_kr, assignment=kpis.peer, actor=actor_of_role("staff"))
    links.link(key_result=goals.peer_kr, assignment=kpis.peer, actor=actor_of_role("peer"))


def test_a_milestone_key_result_cannot_feed_a_kpi(kpis, goals, scoped):
    milestone_kr = goals_services.create_key_result(
        objective=goals.peer, title="Launch", measure_type="milestone",
        milestones=[goals_services.MilestoneSpec("Beta", Decimal(1), None)])
    with pytest.raises(ValidationError) as error:
        links.link(key_result=milestone_kr, assignment=kpis.peer)
    assert "key_result" in error.value.message_dict
