from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.testing import make_employee
from tandem.kpis import services
from tandem.kpis.models import Assignment, Measurement, MeasurementSource
from tandem.org.models import Position

D = Decimal


@pytest.fixture
def position(org, scoped):
    return Position.objects.create(company=org.company, title="后端工程师", title_en="Backend")


def test_a_lower_is_better_indicator_refuses_the_plain_ratio(org, scoped):
    with pytest.raises(ValidationError) as error:
        services.create_indicator(company=org.company, code="BUGS", name="缺陷",
                                  direction="lower", rule="ratio")
    assert list(error.value.message_dict) == ["rule"]


def test_bands_are_checked_and_sorted(org, scoped):
    indicator = services.create_indicator(company=org.company, code="OTD", name="按时交付",
                                           rule="banded", bands=[["0.8", "60"], ["1", "100"]])
    assert indicator.bands == [["1", "100"], ["0.8", "60"]]
    with pytest.raises(ValidationError) as error:
        services.create_indicator(company=org.company, code="X", name="x", rule="banded",
                                  bands=[["a", "1"]])
    assert list(error.value.message_dict) == ["bands"]


def test_codes_are_unique_in_a_company(kpis, org, scoped):
    with pytest.raises(ValidationError) as error:
        services.create_indicator(company=org.company, code="SALES", name="又一个")
    assert list(error.value.message_dict) == ["code"]


def test_weights_of_a_person_may_not_pass_100_percent(kpis, goals, org, scoped):
    with pytest.raises(ValidationError) as error:
        services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D("100"),
                        weight=D("0.1"), employee=org.employees["staff"])
    assert list(error.value.message_dict) == ["weight"]
    services.update_assignment(assignment=kpis.staff, weight=D("0.7"))
    extra = services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D("100"),
                            weight=D("0.3"), employee=org.employees["staff"])
    assert services.weight_totals(goals.quarter, [org.employees["staff"].pk]) == {
        org.employees["staff"].pk: D("1")}
    assert extra.actual is None


def test_a_zero_target_needs_the_penalty_rule(kpis, goals, org, scoped):
    with pytest.raises(ValidationError) as error:
        services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D("0"),
                        weight=D("1"), employee=org.employees["owner"])
    assert list(error.value.message_dict) == ["target"]


def test_a_position_assignment_is_inherited_and_follows_people(kpis, goals, org, position,
                                                                  scoped):
    first = make_employee(org.company, org.platform, position=position)
    assignment = services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D("1000"),
                                 weight=D("0.5"), position=position)
    inherited = Assignment.objects.get(inherited_from=assignment)
    assert (inherited.employee, inherited.target, inherited.weight) == (first, D("1000"),
                                                                       D("0.5"))
    newcomer = make_employee(org.company, org.platform, position=position)
    assert Assignment.objects.filter(inherited_from=assignment, employee=newcomer).exists()
    services.update_assignment(assignment=assignment, target=D("2000"))
    assert set(assignment.inherited.values_list("target", flat=True)) == {D("2000")}
    newcomer.position = None
    newcomer.save()
    assert not Assignment.objects.filter(employee=newcomer).exists()
    with pytest.raises(ValidationError):
        services.update_assignment(assignment=Assignment.objects.get(employee=first),
                                   weight=D("0.2"))


def test_position_sets_apply_to_a_cycle(kpis, goals, org, position, scoped):
    person = make_employee(org.company, org.platform, position=position)
    with pytest.raises(ValidationError) as error:
        services.set_position_kpis(position=position, lines=[
            {"indicator": kpis.sales, "target": D("10"), "weight": D("0.5")}])
    assert list(error.value.message_dict) == ["weight"]
    services.set_position_kpis(position=position, lines=[
        {"indicator": kpis.sales, "target": D("10"), "weight": D("0.6")},
        {"indicator": kpis.defects, "target": D("3"), "weight": D("0.4")}])
    created = services.apply_position_sets(cycle=goals.quarter)
    assert len(created) == 2
    assert sorted(Assignment.objects.filter(employee=person)
                  .values_list("indicator__code", "weight")) == [("DEFECTS", D("0.4000")),
                                                                ("SALES", D("0.6000"))]
    assert services.apply_position_sets(cycle=goals.quarter) == []


def test_bulk_assignment_is_all_or_nothing(kpis, goals, org, scoped):
    people = [org.employees["owner"], org.employees["staff"]]  # staff is at 100 % already
    with pytest.raises(ValidationError) as error:
        services.bulk_assign(cycle=goals.quarter, indicator=kpis.sales, target=D("10"),
                             weight=D("0.5"), employees=people)
    assert "weight" in error.value.message_dict
    assert not Assignment.objects.filter(indicator=kpis.sales, employee__isnull=False).exists()
    created = services.bulk_assign(cycle=goals.quarter, indicator=kpis.sales, target=D("10"),
                                   weight=D("0.5"), employees=[org.employees["owner"],
                                                               org.employees["hr"]])
    assert len(created) == 2


def test_a_leader_assigns_below_them_only(kpis, goals, org, actor_of_role, scoped):
    lead = actor_of_role("lead")
    services.update_assignment(assignment=kpis.staff, weight=D("0.5"))
    services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D("5"), weight=D("0.5"),
                    employee=org.employees["staff"], actor=lead)
    with pytest.raises(PermissionDenied):
        services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D("5"),
                        weight=D("0.5"), employee=org.employees["peer"], actor=lead)
    with pytest.raises(PermissionDenied):
        services.assign(cycle=goals.quarter, indicator=kpis.sales, target=D("5"),
                        weight=D("0.5"), employee=org.employees["lead"], actor=lead)


def test_measurements_recompute_and_refuse_bad_rows_all_or_nothing(kpis, org, scoped):
    with pytest.raises(ValidationError) as error:
        services.record_measurements(rows=[
            {"assignment": kpis.staff, "date": date(2026, 11, 1), "value": D("3")},
            {"assignment": kpis.staff, "date": date(2027, 1, 1), "value": D("3")},
            {"assignment": kpis.staff, "date": date(2026, 11, 2), "value": "x"},
        ])
    assert set(error.value.message_dict) == {"1.date", "2.value"}
    assert Measurement.objects.filter(assignment=kpis.staff).count() == 1
    services.record_measurement(assignment=kpis.staff, date=date(2026, 11, 1), value=D("8"))
    kpis.staff.refresh_from_db()
    # DEFECTS: the latest value counts, lower is better (inverse ratio 5 / 8).
    assert (kpis.staff.actual, kpis.staff.attainment, kpis.staff.score) == (
        D("8"), D("0.6250"), D("62.50"))


def test_figures_from_a_key_result_cannot_be_deleted_one_by_one(kpis, goals, scoped):
    from tandem.goals import services as goals_services

    entry = goals_services.check_in(key_result=goals.peer_kr, value=D("3"), confidence=6)
    measurement = Measurement.objects.get(check_in=entry)
    assert measurement.source == MeasurementSource.KEY_RESULT
    with pytest.raises(ValidationError):
        services.delete_measurement(measurement=measurement)
    services.delete_measurement(measurement=kpis.staff_measurement)
    kpis.staff.refresh_from_db()
    assert kpis.staff.actual is None


def test_pace_plans_are_validated(kpis, goals, scoped):
    services.update_assignment(assignment=kpis.staff, pace_plan=[
        ["2026-12-31", "1"], ["2026-10-31", "0.25"], ["2026-11-30", "0.6"]])
    assert kpis.staff.pace_plan == [["2026-10-31", "0.25"], ["2026-11-30", "0.6"],
                                    ["2026-12-31", "1"]]
    for bad in ([["2026-10-31", "0.5"]], [["2027-01-31", "1"]],
                [["2026-10-31", "0.6"], ["2026-11-30", "0.4"], ["2026-12-31", "1"]]):
        with pytest.raises(ValidationError) as error:
            services.update_assignment(assignment=kpis.staff, pace_plan=bad)
        assert list(error.value.message_dict) == ["pace_plan"]
