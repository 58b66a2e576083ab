"""A check-in sets the key result's current value and rolls progress up to the company."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.goals import services
from tandem.goals.models import CheckIn, KeyResult, Objective

pytestmark = pytest.mark.usefixtures("scoped")


def refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_a_check_in_sets_the_value_and_the_progress_of_the_kr_and_objective(goals, org):
    entry = services.check_in(key_result=goals.staff_kr, value=D(40), confidence=7,
                              comment="first forty", by=org.users["staff"])
    refresh(goals.staff_kr, goals.staff)
    assert goals.staff_kr.current_value == D("40.0000")
    assert goals.staff_kr.progress == D("0.4000")
    assert goals.staff.progress == D("0.4000")
    assert entry.progress == D("0.4000")
    assert entry.author == org.users["staff"]
    assert CheckIn.objects.filter(key_result=goals.staff_kr).count() == 1


def test_progress_rolls_up_through_driven_key_results_to_the_company(goals):
    rnd_driver = services.create_key_result(objective=goals.rnd, title="Billing shipped",
                                            driven_by_objective=goals.staff)
    company_driver = services.create_key_result(objective=goals.company, title="Platform ready",
                                                driven_by_objective=goals.rnd)
    services.check_in(key_result=goals.staff_kr, value=D(80), confidence=8)
    refresh(rnd_driver, company_driver, goals.staff, goals.rnd, goals.company)
    assert goals.staff.progress == D("0.8000")
    assert rnd_driver.progress == D("0.8000")
    # R&D: mean of the cascaded revenue KR (0) and the driven KR (0.8).
    assert goals.rnd.progress == D("0.4000")
    assert company_driver.progress == D("0.4000")
    assert goals.company.progress == D("0.2000")


def test_the_roll_up_costs_the_same_queries_per_level_whatever_the_width(
        goals, org, django_assert_num_queries):
    services.create_key_result(objective=goals.rnd, title="Billing shipped",
                               driven_by_objective=goals.staff)
    services.create_key_result(objective=goals.company, title="Platform ready",
                               driven_by_objective=goals.rnd)
    # Three levels (individual, department, company), five queries each; nothing is driven by
    # the company objective, so its level saves one update.
    with django_assert_num_queries(14):
        services.roll_up({goals.staff.pk})
    for n in range(5):
        extra = services.create_objective(company=org.company, cycle=goals.quarter,
                                          level="individual", title=f"More {n}",
                                          owner_employee=org.employees["staff"], parent=goals.rnd)
        services.create_key_result(objective=extra, title=f"KR {n}", target_value=D(5))
        services.create_key_result(objective=goals.rnd, title=f"Driven {n}",
                                   driven_by_objective=extra)
    ids = set(Objective.objects.filter(parent=goals.rnd).values_list("pk", flat=True))
    with django_assert_num_queries(14):
        services.roll_up(ids)


def test_a_decrease_key_result_progresses_as_its_value_falls(goals):
    kr = services.create_key_result(objective=goals.peer, title="Churn", measure_type="percent",
                                    start_value=D(10), target_value=D(4))
    assert kr.direction == "decrease"
    services.check_in(key_result=kr, value=D(7), confidence=6)
    kr.refresh_from_db()
    assert kr.progress == D("0.5000")


def test_milestone_check_ins_mark_milestones_done(goals):
    kr = services.create_key_result(
        objective=goals.peer, title="Launch", measure_type="milestone",
        milestones=[services.MilestoneSpec("Beta", D(1)), services.MilestoneSpec("GA", D(3))])
    beta, ga = kr.milestones.order_by("pk")
    services.check_in(key_result=kr, milestone=beta, milestone_done=True, confidence=9)
    kr.refresh_from_db()
    assert kr.progress == D("0.2500")
    entry = services.check_in(key_result=kr, milestone=ga, milestone_done=True, confidence=9)
    kr.refresh_from_db()
    assert kr.progress == D("1.0000")
    assert entry.value is None and entry.milestone_done is True


def test_bad_check_ins_are_refused_with_field_errors(goals):
    with pytest.raises(ValidationError) as refused:
        services.check_in(key_result=goals.staff_kr, value=None, confidence=11)
    assert set(refused.value.message_dict) == {"value", "confidence"}
    boolean = services.create_key_result(objective=goals.peer, title="Contract signed",
                                         measure_type="boolean")
    with pytest.raises(ValidationError) as refused:
        services.check_in(key_result=boolean, value=D(2), confidence=5)
    assert set(refused.value.message_dict) == {"value"}


def test_a_driven_key_result_takes_no_check_ins(goals):
    driven = services.create_key_result(objective=goals.rnd, title="Billing shipped",
                                        driven_by_objective=goals.staff)
    with pytest.raises(ValidationError):
        services.check_in(key_result=driven, value=D(1), confidence=5)


def test_only_the_owner_or_hr_checks_in(goals, actor_of_role):
    with pytest.raises(PermissionDenied):
        services.check_in(key_result=goals.staff_kr, value=D(1), confidence=5,
                          actor=actor_of_role("peer"))
    with pytest.raises(PermissionDenied):
        services.check_in(key_result=goals.staff_kr, value=D(1), confidence=5,
                          actor=actor_of_role("lead"))
    services.check_in(key_result=goals.staff_kr, value=D(1), confidence=5,
                      actor=actor_of_role("staff"))
    services.check_in(key_result=goals.staff_kr, value=D(2), confidence=5,
                      actor=actor_of_role("hr"))
    assert KeyResult.objects.get(pk=goals.staff_kr.pk).current_value == D(2)


def test_check_ins_are_never_edited(goals):
    entry = services.check_in(key_result=goals.staff_kr, value=D(3), confidence=5)
    entry.comment = "changed"
    with pytest.raises(ValueError):
        entry.save()
