"""A parent key result's new target flows down to its cascaded children, without re-approval."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from tandem.goals import services
from tandem.goals.models import ObjectiveStatus

pytestmark = pytest.mark.usefixtures("scoped")


@pytest.fixture
def chain(goals, org):
    """company revenue 10 M → R&D 60 % (6 M) → staff 50 % of R&D (3 M); all approved."""
    services.update_key_result(key_result=goals.company_kr, target_value=D(10_000_000))
    services.update_key_result(key_result=goals.rnd_kr, cascade_share=D("0.6"))
    staff_sales = services.create_key_result(
        objective=goals.staff, title="My sales", measure_type="currency",
        parent_key_result=goals.rnd_kr, cascade_share=D("0.5"))
    for objective in (goals.rnd, goals.staff):
        objective.status = ObjectiveStatus.APPROVED
        objective.save()
    goals.rnd_kr.refresh_from_db()
    return goals.company_kr, goals.rnd_kr, staff_sales


def test_children_targets_are_the_parent_target_times_the_share(chain):
    company_kr, rnd_kr, staff_sales = chain
    assert rnd_kr.target_value == D("6000000.0000")
    assert staff_sales.target_value == D("3000000.0000")


def test_a_new_parent_target_recomputes_every_child_with_the_reason(chain, goals, org):
    company_kr, rnd_kr, staff_sales = chain
    services.check_in(key_result=staff_sales, value=D(1_200_000), confidence=6)
    services.update_key_result(key_result=company_kr, target_value=D(8_000_000),
                               reason="market slowdown", by=org.users["owner"])
    rnd_kr.refresh_from_db()
    staff_sales.refresh_from_db()
    assert rnd_kr.target_value == D("4800000.0000")
    assert staff_sales.target_value == D("2400000.0000")
    assert staff_sales.progress == D("0.5000")
    latest = staff_sales.history.first()
    assert latest.history_change_reason == (
        "cascade: Revenue 10000000 → 8000000: market slowdown")
    assert latest.history_user == org.users["owner"]
    assert latest.target_value == D("2400000.0000")
    goals.rnd.refresh_from_db()
    goals.staff.refresh_from_db()
    assert goals.rnd.status == ObjectiveStatus.APPROVED
    assert goals.staff.status == ObjectiveStatus.APPROVED


def test_a_cascade_that_would_make_a_target_equal_its_start_changes_nothing(chain):
    company_kr, rnd_kr, staff_sales = chain
    services.update_key_result(key_result=staff_sales, start_value=D(2_400_000))
    with pytest.raises(ValidationError):
        services.update_key_result(key_result=company_kr, target_value=D(8_000_000))
    rnd_kr.refresh_from_db()
    assert rnd_kr.target_value == D("6000000.0000")


def test_a_parent_key_result_must_belong_to_an_objective_above(goals, org):
    with pytest.raises(ValidationError) as refused:
        services.create_key_result(objective=goals.peer, title="Sales", measure_type="currency",
                                   parent_key_result=goals.rnd_kr, cascade_share=D("0.1"))
    assert "parent_key_result" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.create_key_result(objective=goals.staff, title="Sales",
                                   parent_key_result=goals.rnd_kr, cascade_share=D("1.5"))
    assert "cascade_share" in refused.value.message_dict
