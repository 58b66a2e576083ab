"""The ambition guard in `goals.services`: easing an approved target needs a reason, every
target change is recorded with its ambition, cascades are never an owner's easing."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from tandem.goals import services
from tandem.goals.models import CheckIn, KeyResult, ObjectiveStatus, TargetChange

pytestmark = pytest.mark.usefixtures("scoped")


def approve(*objectives):
    for objective in objectives:
        services.submit_objective(objective=objective)
        services.approve_objective(objective=objective)


def test_easing_an_approved_target_without_a_reason_is_refused(goals, org):
    approve(goals.staff)
    with pytest.raises(ValidationError) as refused:
        services.update_key_result(key_result=goals.staff_kr, target_value=D(80), reason="  ",
                                   by=org.users["staff"])
    assert list(refused.value.message_dict) == ["reason"]
    kr = KeyResult.objects.get(pk=goals.staff_kr.pk)
    assert kr.target_value == D(100)
    assert not TargetChange.objects.exists()


def test_easing_with_a_reason_is_recorded_as_eased_by_hand(goals, org):
    approve(goals.staff)
    services.update_key_result(key_result=goals.staff_kr, target_value=D(80),
                               reason="the billing launch slipped a month",
                               by=org.users["staff"])
    change = TargetChange.objects.get()
    assert (change.key_result_id, change.old_target, change.new_target, change.change,
            change.source, change.reason, change.by) == (
        goals.staff_kr.pk, D(100), D(80), "eased", "manual",
        "the billing launch slipped a month", org.users["staff"])
    latest = KeyResult.objects.get(pk=goals.staff_kr.pk).history.first()
    assert latest.history_change_reason == "the billing launch slipped a month"
    assert latest.target_value == D(80)


def test_raising_an_approved_target_needs_no_reason(goals):
    approve(goals.staff)
    services.update_key_result(key_result=goals.staff_kr, target_value=D(120))
    change = TargetChange.objects.get()
    assert (change.change, change.reason) == ("raised", "")


def test_a_draft_target_eases_freely_but_is_still_recorded(goals):
    services.update_key_result(key_result=goals.staff_kr, target_value=D(50))
    assert TargetChange.objects.get().change == "eased"


def test_a_submitted_objective_never_approved_eases_freely(goals):
    services.submit_objective(objective=goals.staff)
    services.update_key_result(key_result=goals.staff_kr, target_value=D(50))
    assert TargetChange.objects.get().reason == ""


def test_rewording_an_approved_objective_is_no_way_round_the_reason(goals):
    approve(goals.staff)
    services.update_objective(objective=goals.staff, title="Build billing, reworded")
    goals.staff.refresh_from_db()
    assert goals.staff.status == ObjectiveStatus.SUBMITTED
    kr = KeyResult.objects.select_related("objective").get(pk=goals.staff_kr.pk)
    with pytest.raises(ValidationError) as refused:
        services.update_key_result(key_result=kr, target_value=D(50))
    assert "reason" in refused.value.message_dict


def test_a_decrease_key_result_eases_upwards(goals):
    kr = services.create_key_result(objective=goals.staff, title="Open bugs",
                                    start_value=D(40), target_value=D(10))
    approve(goals.staff)
    services.update_key_result(key_result=kr, target_value=D(5))
    assert TargetChange.objects.get().change == "raised"
    kr.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.update_key_result(key_result=kr, target_value=D(15))
    assert "reason" in refused.value.message_dict


def test_a_lower_share_eases_a_cascaded_target_and_needs_a_reason(goals):
    approve(goals.rnd)
    with pytest.raises(ValidationError) as refused:
        services.update_key_result(key_result=goals.rnd_kr, cascade_share=D("0.4"))
    assert "reason" in refused.value.message_dict


def test_a_cascade_eases_approved_children_without_asking_them_and_records_the_reason(
        goals, org):
    approve(goals.rnd)  # the company objective stays a draft: its target eases freely
    services.update_key_result(key_result=goals.company_kr, target_value=D(600_000),
                               reason="market slowdown", by=org.users["owner"])
    rows = {(c.key_result_id, c.source): c for c in TargetChange.objects.all()}
    assert set(rows) == {(goals.company_kr.pk, "manual"), (goals.rnd_kr.pk, "cascade")}
    cascaded = rows[(goals.rnd_kr.pk, "cascade")]
    assert (cascaded.old_target, cascaded.new_target, cascaded.change, cascaded.reason,
            cascaded.by) == (D(500_000), D(300_000), "eased", "market slowdown",
                             org.users["owner"])
    goals.rnd.refresh_from_db()
    assert goals.rnd.status == ObjectiveStatus.APPROVED


def test_a_child_whose_target_stays_is_not_recorded(goals):
    services.update_key_result(key_result=goals.rnd_kr, cascade_share=D("0.1"))
    TargetChange.objects.all().delete()
    # 1,000,000.0001 × 0.1 = 100,000.00001: still 100,000.0000 with four decimals.
    services.update_key_result(key_result=goals.company_kr, target_value=D("1000000.0001"))
    assert list(TargetChange.objects.values_list("key_result_id", flat=True)) == [
        goals.company_kr.pk]
    assert KeyResult.objects.get(pk=goals.rnd_kr.pk).target_value == D(100_000)


def _check_in_on(kr, day: date, value):
    entry = services.check_in(key_result=kr, value=D(value), confidence=7)
    CheckIn.objects.filter(pk=entry.pk).update(created_at=f"{day.isoformat()}T10:00:00+08:00")


def test_a_target_the_trend_already_reaches_is_flagged_on_the_key_result_and_the_change(goals):
    # Quarter from 1 October: 30 invoices by 31 October, 60 by 30 November, 91 by year end.
    _check_in_on(goals.staff_kr, date(2026, 10, 31), 30)
    _check_in_on(goals.staff_kr, date(2026, 11, 30), 60)
    kr = KeyResult.objects.get(pk=goals.staff_kr.pk)
    assert kr.low_ambition is False
    services.update_key_result(key_result=kr, target_value=D(85))
    kr = KeyResult.objects.get(pk=goals.staff_kr.pk)
    assert kr.low_ambition is True
    assert "91" in kr.low_ambition_explanation
    change = TargetChange.objects.get()
    assert (change.low_ambition, change.low_ambition_explanation) == (
        True, kr.low_ambition_explanation)
    services.update_key_result(key_result=kr, target_value=D(95))
    kr = KeyResult.objects.get(pk=goals.staff_kr.pk)
    assert (kr.low_ambition, kr.low_ambition_explanation) == (False, "")


def test_the_owners_past_cycles_flag_a_target_they_beat_by_20_percent(goals, org):
    staff = org.employees["staff"]
    for name, start, end, achieved in (("2026-Q2", date(2026, 4, 1), date(2026, 6, 30), 130),
                                       ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), 125)):
        cycle = services.create_cycle(company=org.company, name=name, kind="quarter",
                                      start=start, end=end, status="active")
        objective = services.create_objective(
            company=org.company, cycle=cycle, level="individual", owner_employee=staff,
            title=f"Invoices {name}")
        kr = services.create_key_result(objective=objective, title="Invoices sent",
                                        target_value=D(100))
        services.check_in(key_result=kr, value=D(achieved), confidence=8)
    other_unit = services.create_key_result(objective=goals.staff, title="Hours",
                                            unit="h", target_value=D(100))
    assert other_unit.low_ambition is False
    flagged = services.create_key_result(objective=goals.staff, title="Invoices again",
                                         target_value=D(100))
    assert flagged.low_ambition is True
    ambitious = services.create_key_result(objective=goals.staff, title="More invoices",
                                           target_value=D(105))
    assert ambitious.low_ambition is False
