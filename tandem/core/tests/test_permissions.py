"""The role matrix of the org chart, straight from the rules (pages and API have their own
tests of the same table)."""

import pytest

from tandem.core.actor import resolve_actor

ROLES = ("owner", "hr", "finance", "lead", "staff", "peer")


def allowed(org, perm, obj=None):
    result = set()
    for key in ROLES:
        user = org.users[key]
        resolve_actor(user)
        if user.has_perm(perm, obj):
            result.add(key)
    return result


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("org.view_employee", set(ROLES)),
        ("org.add_employee", {"owner", "hr"}),
        ("org.add_position", {"owner", "hr"}),
        ("org.add_department", {"owner", "hr", "lead"}),
        ("org.delete_department", {"owner", "hr"}),
        ("core.change_company", {"owner"}),
    ],
)
def test_collection_permissions_by_role(org, perm, expected):
    assert allowed(org, perm) == expected


def test_a_lead_changes_people_in_their_subtree_but_not_themself_or_others(org):
    assert allowed(org, "org.change_employee", org.employees["staff"]) == {"owner", "hr", "lead"}
    assert allowed(org, "org.change_employee", org.employees["lead"]) == {"owner", "hr"}
    assert allowed(org, "org.change_employee", org.employees["peer"]) == {"owner", "hr"}


def test_private_fields_are_for_hr_finance_admins_and_the_person_themself(org):
    assert allowed(org, "org.view_employee_private", org.employees["staff"]) == {
        "owner", "hr", "finance", "staff",
    }
    assert allowed(org, "org.change_employee_private", org.employees["staff"]) == {"owner", "hr"}


def test_history_is_for_people_admins_the_manager_and_the_person(org):
    assert allowed(org, "org.view_employee_history", org.employees["staff"]) == {
        "owner", "hr", "lead", "staff",
    }


def test_a_lead_changes_departments_in_their_subtree_only(org):
    assert allowed(org, "org.change_department", org.platform) == {"owner", "hr", "lead"}
    assert allowed(org, "org.change_department", org.sales) == {"owner", "hr"}


def test_a_user_of_no_company_may_do_nothing(org, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-long-password")
    assert not loner.has_perm("org.view_employee")
    assert not loner.has_perm("org.add_employee")
