"""GET /api/v1/me/: who is calling, in which company and role, and what the interface may offer."""

from django.conf import settings
from django_scopes import scope
from rest_framework.test import APIClient

from tandem.core.models import Membership

URL = "/api/v1/me/"

NOTHING = {
    "can_add_department": False, "can_add_position": False, "can_add_employee": False,
    "can_view_employee_private": False, "can_change_employee_private": False,
    "can_change_company": False,
}


def test_a_leader_sees_their_company_role_and_subtree(org, api_as):
    response = api_as(org.users["lead"]).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "user": {"id": org.users["lead"].pk, "username": "lead", "name": "lead"},
        "company": {"id": org.company.pk, "name": "星河科技", "name_en": "Galaxy Tech"},
        "role": "employee",
        "is_manager": True,
        "managed_department_ids": sorted([org.rnd.pk, org.platform.pk]),
        "employee_id": org.employees["lead"].pk,
        "permissions": NOTHING | {"can_add_department": True},
    }


def test_hr_may_add_people_and_see_private_fields(org, client_as):
    response = client_as(org.users["hr"]).get(URL)  # session authentication
    body = response.json()
    assert (body["role"], body["is_manager"], body["managed_department_ids"]) == ("hr", False, [])
    assert body["permissions"] == {
        "can_add_department": True, "can_add_position": True, "can_add_employee": True,
        "can_view_employee_private": True, "can_change_employee_private": True,
        "can_change_company": False,
    }


def test_the_owner_may_change_the_company(org, api_as):
    body = api_as(org.users["owner"]).get(URL).json()
    assert body["role"] == "owner"
    assert body["permissions"]["can_change_company"] is True


def test_finance_sees_private_fields_but_changes_nothing(org, api_as):
    body = api_as(org.users["finance"]).get(URL).json()
    assert body["permissions"] == NOTHING | {"can_view_employee_private": True}


def test_staff_may_do_nothing_special(org, api_as):
    body = api_as(org.users["staff"]).get(URL).json()
    assert (body["role"], body["is_manager"], body["permissions"]) == ("employee", False, NOTHING)


def test_a_member_without_employee_record_is_named_by_user_name(org, django_user_model, api_as):
    user = django_user_model.objects.create_user("auditor", password="x-long-password")
    Membership.objects.create(user=user, company=org.company, role="finance")
    body = api_as(user).get(URL).json()
    assert body["user"] == {"id": user.pk, "username": "auditor", "name": "auditor"}
    assert body["employee_id"] is None


def test_the_name_follows_the_language(org, api_as):
    employee = org.employees["staff"]
    with scope(company=org.company.pk):
        employee.english_name = "Lin Xiao"
        employee.save()
    api = api_as(org.users["staff"])
    assert api.get(URL).json()["user"]["name"] == "staff"
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert api.get(URL).json()["user"]["name"] == "Lin Xiao"


def test_anonymous_callers_get_401(db):
    api = APIClient()
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.get(URL)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.", "errors": {},
    }


def test_a_user_without_an_active_membership_gets_403(org, api_as):
    Membership.objects.filter(user=org.users["staff"]).update(is_active=False)
    api = api_as(org.users["staff"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.get(URL)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You are not an active member of any company.", "errors": {},
    }
