"""`kpis.selectors.visible_assignments` is the set form of `kpis.rules.reads_assignment`."""

import pytest

from tandem.kpis import selectors
from tandem.kpis.access import READ_ASSIGNMENT

ROLES = ("owner", "hr", "finance", "lead", "staff", "peer")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_visible_assignments_match_the_read_rule(org, goals, kpis, scoped, actor_of_role, role):
    actor = actor_of_role(role)
    visible = set(selectors.visible_assignments(actor, goals.quarter).values_list("pk", flat=True))
    expected = {getattr(kpis, name).pk for name, roles in READ_ASSIGNMENT.items() if role in roles}
    assert visible == expected
    for name in READ_ASSIGNMENT:
        assignment = getattr(kpis, name)
        assert org.users[role].has_perm("kpis.view_assignment", assignment) == (
            assignment.pk in visible)


@pytest.mark.django_db
def test_mine_and_team(org, goals, kpis, scoped, actor_of_role):
    lead = actor_of_role("lead")
    queryset = selectors.visible_assignments(lead)
    assert list(selectors.mine(queryset, lead)) == []
    assert [a.pk for a in selectors.team(queryset, lead)] == [kpis.staff.pk]
    staff = actor_of_role("staff")
    assert [a.pk for a in selectors.mine(selectors.visible_assignments(staff), staff)] == [
        kpis.staff.pk]
    assert list(selectors.visible_assignments(None)) == []
