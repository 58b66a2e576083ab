"""Submit, approve, return; rewording an approved objective sends it back."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.goals import services
from tandem.goals.models import ObjectiveStatus

pytestmark = pytest.mark.usefixtures("scoped")


def test_the_owner_submits_and_their_manager_approves(goals, actor_of_role):
    services.submit_objective(objective=goals.staff, actor=actor_of_role("staff"))
    assert goals.staff.status == ObjectiveStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.approve_objective(objective=goals.staff, actor=actor_of_role("staff"))
    with pytest.raises(PermissionDenied):
        services.approve_objective(objective=goals.staff, actor=actor_of_role("peer"))
    services.approve_objective(objective=goals.staff, comment="good", actor=actor_of_role("lead"))
    goals.staff.refresh_from_db()
    assert goals.staff.status == ObjectiveStatus.APPROVED
    assert goals.staff.review_comment == "good"


def test_a_return_needs_a_comment_and_makes_a_draft_again(goals, actor_of_role):
    services.submit_objective(objective=goals.staff)
    with pytest.raises(ValidationError) as refused:
        services.return_objective(objective=goals.staff, comment=" ", actor=actor_of_role("hr"))
    assert "comment" in refused.value.message_dict
    services.return_objective(objective=goals.staff, comment="aim higher",
                              actor=actor_of_role("hr"))
    goals.staff.refresh_from_db()
    assert goals.staff.status == ObjectiveStatus.DRAFT
    assert goals.staff.review_comment == "aim higher"


def test_department_objectives_go_to_the_leaders_manager_or_hr(goals, org, actor_of_role):
    platform = services.create_objective(company=org.company, cycle=goals.quarter,
                                         level="department", owner_department=org.platform,
                                         title="Stable platform", parent=goals.rnd)
    services.create_key_result(objective=platform, title="Uptime", measure_type="percent",
                               start_value=D(99), target_value=D("99.9"))
    services.submit_objective(objective=platform, actor=actor_of_role("lead"))
    services.approve_objective(objective=platform, actor=actor_of_role("lead"))  # leads R&D above
    assert platform.status == ObjectiveStatus.APPROVED
    services.submit_objective(objective=goals.rnd, actor=actor_of_role("lead"))
    # R&D is at the top: its leader has no department above them; HR approves.
    with pytest.raises(PermissionDenied):
        services.approve_objective(objective=goals.rnd, actor=actor_of_role("lead"))
    services.approve_objective(objective=goals.rnd, actor=actor_of_role("hr"))


def test_a_draft_without_key_results_cannot_be_submitted(goals, org):
    empty = services.create_objective(company=org.company, cycle=goals.quarter,
                                      level="individual", owner_employee=org.employees["staff"],
                                      title="Empty")
    with pytest.raises(ValidationError):
        services.submit_objective(objective=empty)


def test_rewording_an_approved_objective_sends_it_back_but_a_weight_change_does_not(goals):
    services.submit_objective(objective=goals.staff)
    services.approve_objective(objective=goals.staff)
    services.update_objective(objective=goals.staff, weight=D(2))
    assert goals.staff.status == ObjectiveStatus.APPROVED
    services.update_objective(objective=goals.staff, title="Build billing and invoicing")
    goals.staff.refresh_from_db()
    assert goals.staff.status == ObjectiveStatus.SUBMITTED
    assert goals.staff.history.first().history_change_reason == (
        "reworded after approval: submitted again")


def test_only_a_submitted_objective_can_be_approved(goals):
    with pytest.raises(ValidationError):
        services.approve_objective(objective=goals.staff)
