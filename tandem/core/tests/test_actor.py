from django.contrib.auth.models import AnonymousUser
from django_scopes import scope

from tandem.core.actor import resolve_actor
from tandem.core.models import Membership, Role
from tandem.core.testing import make_department, make_employee


def test_anonymous_users_have_no_actor():
    assert resolve_actor(AnonymousUser()) is None


def test_a_user_without_membership_has_no_actor(org, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-long-password")
    assert resolve_actor(loner) is None


def test_an_inactive_membership_does_not_count(org):
    Membership.objects.filter(user=org.users["staff"]).update(is_active=False)
    assert resolve_actor(org.users["staff"]) is None


def test_the_company_chosen_in_the_session_wins_when_the_user_belongs_to_it(org, other_org):
    user = org.users["hr"]
    Membership.objects.create(user=user, company=other_org.company, role=Role.FINANCE)
    assert resolve_actor(user).company == org.company
    chosen = resolve_actor(user, other_org.company.pk)
    assert chosen.company == other_org.company
    assert chosen.role == Role.FINANCE


def test_a_session_company_the_user_does_not_belong_to_is_ignored(org, other_org):
    actor = resolve_actor(org.users["hr"], other_org.company.pk)
    assert actor.company == org.company


def test_a_leader_manages_their_department_and_every_department_below(org):
    deep = make_department(org.company, "基础设施", parent=org.platform)
    actor = resolve_actor(org.users["lead"])
    assert actor.managed_department_ids == {org.rnd.pk, org.platform.pk, deep.pk}
    assert actor.is_manager


def test_plain_employees_manage_nothing(org):
    actor = resolve_actor(org.users["staff"])
    assert actor.managed_department_ids == frozenset()
    assert not actor.is_manager


def test_the_actor_finds_the_employee_record_of_its_own_company_only(org, other_org):
    user = org.users["peer"]
    Membership.objects.create(user=user, company=other_org.company, role=Role.EMPLOYEE)
    other_employee = make_employee(other_org.company, other_org.sales, user=user)
    assert resolve_actor(user).employee == org.employees["peer"]
    with scope(company=other_org.company.pk):
        assert resolve_actor(user, other_org.company.pk).employee == other_employee
