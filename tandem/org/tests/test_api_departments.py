"""/api/v1/departments/: the department tree through the API, written through the services."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.core.testing import make_department, make_employee
from tandem.org.models import Department, EmployeeStatus

URL = "/api/v1/departments/"


@pytest.fixture
def as_hr(org, api_as):
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return api


def row(department, **extra):
    return {
        "id": department.pk, "name": department.name, "name_en": department.name_en,
        "display_name": department.name_en, "parent": department.parent_id,
        "leader": department.leader_id, "leader_name": None, "headcount": 0, "version": 1,
        **extra,
    }


def test_the_list_is_paginated_by_name_with_head_counts(org, as_hr):
    make_employee(org.company, org.platform, status=EmployeeStatus.LEFT,
                  leave_date=org.employees["staff"].hire_date)
    response = as_hr.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "count": 3, "next": None, "previous": None,
        "results": [
            row(org.platform, headcount=1),
            row(org.rnd, leader_name="lead", headcount=1),
            row(org.sales, headcount=4),
        ],
    }


def test_names_follow_the_language(org, as_hr):
    body = as_hr.get(f"{URL}{org.rnd.pk}/").json()
    assert body["display_name"] == "R&D"
    as_hr.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert as_hr.get(f"{URL}{org.rnd.pk}/").json()["display_name"] == "研发部"


def test_filter_by_parent_and_top_level(org, as_hr):
    children = as_hr.get(URL, {"parent": org.rnd.pk}).json()["results"]
    assert [d["id"] for d in children] == [org.platform.pk]
    roots = as_hr.get(URL, {"is_root": "true"}).json()["results"]
    assert [d["id"] for d in roots] == [org.rnd.pk, org.sales.pk]


def test_create(org, as_hr):
    response = as_hr.post(
        URL, {"name": "数据组", "name_en": "Data", "parent": org.rnd.pk,
              "leader": org.employees["staff"].pk}, format="json",
    )
    assert response.status_code == 201
    with scope(company=org.company.pk):
        created = Department.objects.get(name="数据组")
        assert (created.company, created.name_en, created.parent, created.leader) == (
            org.company, "Data", org.rnd, org.employees["staff"],
        )
    assert response.json() == {
        "id": created.pk, "name": "数据组", "name_en": "Data", "display_name": "Data",
        "parent": org.rnd.pk, "leader": org.employees["staff"].pk, "leader_name": "staff",
        "headcount": 0, "version": 1,
    }


def test_a_duplicate_name_under_the_same_parent_is_refused(org, as_hr):
    response = as_hr.post(URL, {"name": "销售部"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": ["A department with this name already exists here."]
    }


def test_rename(org, as_hr):
    response = as_hr.patch(f"{URL}{org.sales.pk}/", {"name_en": "Sales & Marketing", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["name_en"] == "Sales & Marketing"
    assert response.json()["headcount"] == 4
    with scope(company=org.company.pk):
        assert Department.objects.get(pk=org.sales.pk).name_en == "Sales & Marketing"


def test_move_by_patching_the_parent(org, as_hr):
    response = as_hr.patch(f"{URL}{org.platform.pk}/", {"parent": org.sales.pk, "version": 1},
                           format="json")
    assert response.status_code == 200
    with scope(company=org.company.pk):
        assert Department.objects.get(pk=org.platform.pk).parent == org.sales
    response = as_hr.patch(f"{URL}{org.platform.pk}/", {"parent": None, "version": 2},
                           format="json")
    assert response.status_code == 200
    with scope(company=org.company.pk):
        assert Department.objects.get(pk=org.platform.pk).parent is None


@pytest.mark.parametrize("target", ["self", "child"])
def test_moving_under_its_own_subtree_is_a_400_on_parent(org, as_hr, target):
    parent = org.rnd if target == "self" else org.platform
    response = as_hr.patch(f"{URL}{org.rnd.pk}/", {"parent": parent.pk, "version": 1},
                           format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some fields are not valid.",
        "errors": {"parent": [
            "A department cannot move under itself or one of its sub-departments."
        ]},
    }
    with scope(company=org.company.pk):
        assert Department.objects.get(pk=org.rnd.pk).parent is None


def test_put_replaces_the_fields(org, as_hr):
    response = as_hr.put(
        f"{URL}{org.sales.pk}/", {"name": "市场部", "name_en": "Marketing", "parent": None,
                                  "leader": org.employees["peer"].pk, "version": 1}, format="json",
    )
    assert response.status_code == 200
    with scope(company=org.company.pk):
        sales = Department.objects.get(pk=org.sales.pk)
        assert (sales.name, sales.name_en, sales.leader) == ("市场部", "Marketing", org.employees["peer"])


def test_delete_an_empty_department(org, as_hr):
    empty = make_department(org.company, "临时组", parent=org.sales)
    assert as_hr.delete(f"{URL}{empty.pk}/").status_code == 204
    with scope(company=org.company.pk):
        assert not Department.objects.filter(pk=empty.pk).exists()


@pytest.mark.parametrize(
    ("department", "message"),
    [
        ("rnd", "Move or delete the sub-departments first."),
        ("sales", "Move this department's people to another department first."),
    ],
)
def test_a_department_in_use_cannot_be_deleted(org, as_hr, department, message):
    target = getattr(org, department)
    response = as_hr.delete(f"{URL}{target.pk}/")
    assert response.status_code == 409
    assert response.json() == {"detail": message, "errors": {}}
    with scope(company=org.company.pk):
        assert Department.objects.filter(pk=target.pk).exists()


def test_a_department_someone_used_to_work_in_cannot_be_deleted(org, as_hr):
    old = make_department(org.company, "旧部门", parent=org.sales)
    moved = as_hr.post("/api/v1/employees/", {
        "employee_number": "M1", "name": "调动", "department": old.pk, "hire_date": "2025-01-01",
    }, format="json").json()
    as_hr.patch(f"/api/v1/employees/{moved['id']}/", {"department": org.sales.pk, "version": moved["version"]},
                 format="json")
    response = as_hr.delete(f"{URL}{old.pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "People's job history refers to this department, so it is kept for the record.",
        "errors": {},
    }


class TestALeader:
    """lead leads R&D, and so its subtree (R&D, Platform)."""

    @pytest.fixture
    def as_lead(self, org, api_as):
        api = api_as(org.users["lead"])
        api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return api

    def test_creates_inside_their_subtree(self, org, as_lead):
        response = as_lead.post(URL, {"name": "测试组", "parent": org.platform.pk}, format="json")
        assert response.status_code == 201
        with scope(company=org.company.pk):
            assert Department.objects.get(name="测试组").parent == org.platform

    @pytest.mark.parametrize("parent", [None, "sales"])
    def test_cannot_create_outside_it(self, org, as_lead, parent):
        payload = {"name": "外部组", "parent": getattr(org, parent).pk if parent else None}
        response = as_lead.post(URL, payload, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "parent": ["Choose a parent among the departments you lead."]
        }
        with scope(company=org.company.pk):
            assert not Department.objects.filter(name="外部组").exists()

    def test_renames_their_own_department_without_moving_it(self, org, as_lead):
        response = as_lead.patch(f"{URL}{org.rnd.pk}/", {"name_en": "Research", "version": 1},
                                  format="json")
        assert response.status_code == 200

    def test_cannot_move_a_department_out_of_their_subtree(self, org, as_lead):
        response = as_lead.patch(f"{URL}{org.platform.pk}/", {"parent": org.sales.pk, "version": 1},
                                  format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "parent": ["Choose a parent among the departments you lead."]
        }

    def test_hands_leadership_only_to_someone_inside(self, org, as_lead):
        inside = as_lead.patch(
            f"{URL}{org.platform.pk}/", {"leader": org.employees["staff"].pk, "version": 1},
            format="json",
        )
        assert inside.status_code == 200
        outside = as_lead.patch(
            f"{URL}{org.platform.pk}/", {"leader": org.employees["peer"].pk, "version": 2},
            format="json",
        )
        assert outside.status_code == 400
        assert outside.json()["errors"] == {
            "leader": ["Choose a leader from the departments you lead."]
        }
        with scope(company=org.company.pk):
            assert Department.objects.get(pk=org.platform.pk).leader == org.employees["staff"]

    @pytest.mark.parametrize("field", ["parent", "leader"])
    def test_cannot_move_or_hand_over_the_top_department_they_lead(self, org, as_lead, field):
        value = {"parent": org.sales.pk, "leader": org.employees["staff"].pk}[field]
        response = as_lead.patch(f"{URL}{org.rnd.pk}/", {field: value, "version": 1},
                                  format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {field: [
            "Where the top department you lead sits, and who leads it, is decided above you."
        ]}
        with scope(company=org.company.pk):
            rnd = Department.objects.get(pk=org.rnd.pk)
        assert (rnd.parent, rnd.leader) == (None, org.employees["lead"])
