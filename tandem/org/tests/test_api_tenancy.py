"""Two companies side by side: lists show only one's own rows, another company's object is a
404 for every role and method, and another company's id as a foreign key is refused."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.org import services
from tandem.org.models import Department, Employee, Position

ROLES = ("owner", "hr", "finance", "lead", "staff", "peer")


@pytest.fixture
def two(org, other_org):
    for each in (org, other_org):
        with scope(company=each.company.pk):
            each.position = services.create_position(company=each.company, title="工程师")
    return org, other_org


def own_ids(company, model):
    with scope(company=company.pk):
        return sorted(model.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("path", "model"),
    [("departments", Department), ("positions", Position), ("employees", Employee)],
)
def test_lists_show_only_own_company_rows(two, api_as, role, path, model):
    org, other = two
    body = api_as(org.users[role]).get(f"/api/v1/{path}/").json()
    assert sorted(row["id"] for row in body["results"]) == own_ids(org.company, model)
    assert body["count"] == len(own_ids(org.company, model))


def foreign_targets(other):
    return {
        "department": f"/api/v1/departments/{other.sales.pk}/",
        "position": f"/api/v1/positions/{other.position.pk}/",
        "employee": f"/api/v1/employees/{other.employees['staff'].pk}/",
        "job history": f"/api/v1/employees/{other.employees['staff'].pk}/job-history/",
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["department", "position", "employee", "job history"])
def test_another_companys_object_is_404_for_every_method(two, api_as, role, target):
    org, other = two
    api = api_as(org.users[role])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = foreign_targets(other)[target]
    methods = ["get"] if target == "job history" else ["get", "put", "patch", "delete"]
    for method in methods:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 404, (method, response.status_code)
        assert response.json() == {"detail": "Not found.", "errors": {}}
    with scope(company=other.company.pk):
        assert Department.objects.filter(pk=other.sales.pk).exists()
        assert Position.objects.filter(pk=other.position.pk).exists()
        assert Employee.objects.filter(pk=other.employees["staff"].pk).exists()


HIRE = {"employee_number": "N1", "name": "新人", "hire_date": "2026-01-05"}


@pytest.mark.parametrize(
    ("path", "field", "payload_of"),
    [
        ("departments", "parent", lambda org, other: {"name": "新部门", "parent": other.rnd.pk}),
        ("departments", "leader", lambda org, other: {
            "name": "新部门", "leader": other.employees["staff"].pk}),
        ("positions", "department", lambda org, other: {
            "title": "新岗位", "department": other.rnd.pk}),
        ("employees", "department", lambda org, other: HIRE | {"department": other.rnd.pk}),
        ("employees", "manager", lambda org, other: HIRE | {
            "department": org.rnd.pk, "manager": other.employees["lead"].pk}),
        ("employees", "position", lambda org, other: HIRE | {
            "department": org.rnd.pk, "position": other.position.pk}),
        ("employees", "user", lambda org, other: HIRE | {
            "department": org.rnd.pk, "user": other.users["peer"].pk}),
    ],
)
def test_another_companys_id_as_a_foreign_key_is_a_400(two, api_as, path, field, payload_of):
    org, other = two
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    payload = payload_of(org, other)
    response = api.post(f"/api/v1/{path}/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some fields are not valid.",
        "errors": {field: [f'Invalid pk "{payload[field]}" - object does not exist.']},
    }
    assert own_ids(org.company, Employee) == sorted(e.pk for e in org.employees.values())


def test_moving_a_department_under_another_companys_is_a_400(two, api_as):
    org, other = two
    api = api_as(org.users["hr"])
    response = api.patch(f"/api/v1/departments/{org.platform.pk}/", {"parent": other.rnd.pk, "version": 1},
                         format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parent"]
    with scope(company=org.company.pk):
        assert Department.objects.get(pk=org.platform.pk).parent == org.rnd


def test_filtering_by_another_companys_department_is_a_400(two, api_as):
    org, other = two
    response = api_as(org.users["hr"]).get("/api/v1/employees/", {"department": other.rnd.pk})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["department"]
