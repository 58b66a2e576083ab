"""Who may call what, role by role, for every org endpoint and method. The `org` fixture has
owner, hr, finance, lead (leads R&D, and so its subtree Platform), staff (in Platform, under
lead) and peer (in Sales)."""

import pytest
from django_scopes import scope

from tandem.core.testing import make_department, make_employee
from tandem.org import services

ROLES = ("owner", "hr", "finance", "lead", "staff", "peer")
EVERYONE = set(ROLES)
PEOPLE_ADMINS = {"owner", "hr"}


def allowed_roles(org, api_as, call) -> set[str]:
    """The roles for which `call(api, org)` is not refused with 403 (every other status is
    checked to be a success)."""
    allowed = set()
    for role in ROLES:
        response = call(api_as(org.users[role]), org, role)
        if response.status_code == 403:
            continue
        assert response.status_code in (200, 201, 204), (role, response.status_code, response.json())
        allowed.add(role)
    return allowed


def current_version(obj) -> int:
    """The version an API client would read right now (earlier roles may have saved edits)."""
    return type(obj)._base_manager.get(pk=obj.pk).version


def department(org, role):
    return make_department(org.company, f"待删-{role}", parent=org.platform)


def position(org, role=""):
    with scope(company=org.company.pk):
        return services.create_position(company=org.company, title=f"岗位-{role}")


def employee(org, role):
    return make_employee(org.company, org.platform)


CASES = {
    # Departments
    "list departments": (lambda api, org, role: api.get("/api/v1/departments/"), EVERYONE),
    "read a department": (
        lambda api, org, role: api.get(f"/api/v1/departments/{org.sales.pk}/"), EVERYONE),
    "create a department under Platform": (
        lambda api, org, role: api.post(
            "/api/v1/departments/", {"name": f"新-{role}", "parent": org.platform.pk},
            format="json"),
        PEOPLE_ADMINS | {"lead"}),
    "rename Platform": (
        lambda api, org, role: api.patch(
            f"/api/v1/departments/{org.platform.pk}/", {"name_en": role, "version": current_version(org.platform)},
            format="json"),
        PEOPLE_ADMINS | {"lead"}),
    "replace Platform": (
        lambda api, org, role: api.put(
            f"/api/v1/departments/{org.platform.pk}/",
            {"name": "平台组", "name_en": role, "parent": org.rnd.pk,
             "version": current_version(org.platform)}, format="json"),
        PEOPLE_ADMINS | {"lead"}),
    "rename Sales": (
        lambda api, org, role: api.patch(
            f"/api/v1/departments/{org.sales.pk}/",
            {"name_en": role, "version": current_version(org.sales)}, format="json"),
        PEOPLE_ADMINS),
    "delete an empty department": (
        lambda api, org, role: api.delete(f"/api/v1/departments/{department(org, role).pk}/"),
        PEOPLE_ADMINS),
    # Positions
    "list positions": (lambda api, org, role: api.get("/api/v1/positions/"), EVERYONE),
    "read a position": (
        lambda api, org, role: api.get(f"/api/v1/positions/{position(org, role).pk}/"), EVERYONE),
    "create a position": (
        lambda api, org, role: api.post(
            "/api/v1/positions/", {"title": f"新岗位-{role}"}, format="json"),
        PEOPLE_ADMINS),
    "change a position": (
        lambda api, org, role: api.patch(
            f"/api/v1/positions/{position(org, role).pk}/", {"title_en": role, "version": 1},
            format="json"),
        PEOPLE_ADMINS),
    "replace a position": (
        lambda api, org, role: api.put(
            f"/api/v1/positions/{position(org, role).pk}/", {"title": f"改-{role}", "version": 1},
            format="json"),
        PEOPLE_ADMINS),
    "delete a position": (
        lambda api, org, role: api.delete(f"/api/v1/positions/{position(org, role).pk}/"),
        PEOPLE_ADMINS),
    # Employees
    "list employees": (lambda api, org, role: api.get("/api/v1/employees/"), EVERYONE),
    "read an employee": (
        lambda api, org, role: api.get(f"/api/v1/employees/{org.employees['peer'].pk}/"),
        EVERYONE),
    "hire": (
        lambda api, org, role: api.post("/api/v1/employees/", {
            "employee_number": f"N-{role}", "name": role, "department": org.sales.pk,
            "hire_date": "2026-01-05"}, format="json"),
        PEOPLE_ADMINS),
    "transfer staff": (
        lambda api, org, role: api.patch(
            f"/api/v1/employees/{org.employees['staff'].pk}/",
            {"department": org.rnd.pk if role != "hr" else org.platform.pk,
             "version": current_version(org.employees["staff"])}, format="json"),
        PEOPLE_ADMINS | {"lead"}),
    "transfer peer": (  # to a new department outside lead's subtree, one per role
        lambda api, org, role: api.patch(
            f"/api/v1/employees/{org.employees['peer'].pk}/",
            {"department": make_department(org.company, f"客服-{role}").pk,
             "version": current_version(org.employees["peer"])}, format="json"),
        PEOPLE_ADMINS),
    "transfer lead": (
        lambda api, org, role: api.patch(
            f"/api/v1/employees/{org.employees['lead'].pk}/",
            {"department": org.platform.pk, "version": current_version(org.employees["lead"])},
            format="json"),
        PEOPLE_ADMINS),
    "delete an employee": (
        lambda api, org, role: api.delete(f"/api/v1/employees/{employee(org, role).pk}/"),
        PEOPLE_ADMINS),
    "staff's job history": (
        lambda api, org, role: api.get(
            f"/api/v1/employees/{org.employees['staff'].pk}/job-history/"),
        PEOPLE_ADMINS | {"lead", "staff"}),
    "peer's job history": (
        lambda api, org, role: api.get(
            f"/api/v1/employees/{org.employees['peer'].pk}/job-history/"),
        PEOPLE_ADMINS | {"peer"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_roles_allowed(org, api_as, case):
    call, expected = CASES[case]
    assert allowed_roles(org, api_as, call) == expected


def test_a_refusal_is_a_403_in_the_error_format(org, api_as):
    response = api_as(org.users["staff"]).delete(f"/api/v1/departments/{org.sales.pk}/")
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    assert response.json()["errors"] == {}


@pytest.mark.parametrize("path", ["departments", "positions", "employees"])
def test_anonymous_callers_get_401(db, client, path):
    response = client.get(f"/api/v1/{path}/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}
