"""Who is told when a target changes: the owners of cascaded key results, and the lead of an
owner who eases an approved target."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from tandem.core.notifications.models import Notification
from tandem.core.notifications.registry import get_kind
from tandem.goals import services

pytestmark = pytest.mark.usefixtures("scoped")


@pytest.fixture
def cascaded(goals, org):
    """staff's objective takes half of R&D's platform revenue; peer owns that key result."""
    return services.create_key_result(
        objective=goals.staff, title="My platform revenue", measure_type="currency",
        owner=org.employees["peer"], parent_key_result=goals.rnd_kr, cascade_share=D("0.5"))


def test_a_cascade_tells_each_changed_key_results_owner_and_its_objectives_owner(
        goals, org, cascaded):
    services.update_key_result(key_result=goals.company_kr, target_value=D(800_000),
                               reason="market slowdown", by=org.users["owner"])
    rows = list(Notification.objects.filter(kind="goals.target_cascaded")
                .order_by("recipient_id"))
    assert [row.recipient_id for row in rows] == sorted(
        [org.employees["peer"].pk, org.employees["staff"].pk])
    for row in rows:
        assert row.url == f"/goals/objectives/{goals.staff.pk}/"
        assert row.actor_id == org.employees["owner"].pk
        assert row.params == {
            "key_result": "My platform revenue", "objective": "Build the billing service",
            "parent": "Platform revenue", "old_target": "250000", "new_target": "200000",
            "reason": "market slowdown"}
    # The R&D key result changed too, but a department key result without an owner has
    # nobody to tell: two rows in all.
    assert Notification.objects.count() == 2
    with translation.override("en"):
        kind = get_kind("goals.target_cascaded")
        assert kind.render_title(rows[0].params) == "New target for “My platform revenue”"
        assert kind.render_body(rows[0].params) == (
            "“Platform revenue” changed, so the target of “My platform revenue” moved from "
            "250000 to 200000. Reason: market slowdown")


def test_the_person_who_changed_the_parent_is_not_told(goals, org, cascaded):
    services.update_key_result(key_result=goals.company_kr, target_value=D(900_000),
                               by=org.users["staff"])
    assert list(Notification.objects.values_list("recipient_id", "params__reason")) == [
        (org.employees["peer"].pk, "—")]


def test_an_owner_easing_an_approved_target_tells_their_lead(goals, org):
    services.submit_objective(objective=goals.staff)
    services.approve_objective(objective=goals.staff)
    services.update_key_result(key_result=goals.staff_kr, target_value=D(70),
                               reason="half the team is on leave", by=org.users["staff"])
    row = Notification.objects.get()
    assert (row.kind, row.recipient_id, row.actor_id, row.url) == (
        "goals.target_eased", org.employees["lead"].pk, org.employees["staff"].pk,
        f"/goals/objectives/{goals.staff.pk}/")
    assert row.params == {
        "owner": org.employees["staff"].display_name, "key_result": "Invoices sent",
        "objective": "Build the billing service", "old_target": "100", "new_target": "70",
        "reason": "half the team is on leave"}


def test_raising_or_easing_a_draft_tells_nobody(goals, org):
    services.update_key_result(key_result=goals.staff_kr, target_value=D(70),
                               by=org.users["staff"])
    services.submit_objective(objective=goals.staff)
    services.approve_objective(objective=goals.staff)
    services.update_key_result(key_result=goals.staff_kr, target_value=D(120),
                               by=org.users["staff"])
    assert not Notification.objects.exists()


def test_a_department_target_eased_tells_the_leader_of_the_department_above(goals, org):
    platform = services.create_objective(
        company=org.company, cycle=goals.quarter, level="department",
        owner_department=org.platform, title="Stable platform", parent=goals.rnd)
    uptime = services.create_key_result(objective=platform, title="Releases", target_value=D(12))
    services.submit_objective(objective=platform)
    services.approve_objective(objective=platform)
    services.update_key_result(key_result=uptime, target_value=D(10), reason="freeze in Dec",
                               by=org.users["hr"])
    row = Notification.objects.get()
    assert (row.kind, row.recipient_id, row.params["owner"]) == (
        "goals.target_eased", org.employees["lead"].pk, org.employees["hr"].display_name)
