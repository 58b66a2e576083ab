"""Another company's objects do not exist here: every detail, edit and delete URL answers 404
to GET and POST, and nothing of the other company changes."""

import pytest
from django_scopes import scope

from tandem.org.models import Department, Employee, Position
from tandem.org.services import create_position


@pytest.fixture
def foreign(other_org):
    with scope(company=other_org.company.pk):
        position = create_position(company=other_org.company, title="外部职位")
    return {
        "employee": other_org.employees["staff"].pk,
        "department": other_org.platform.pk,
        "position": position.pk,
    }


URLS = [
    ("employee", "/people/employees/{}/"),
    ("employee", "/people/employees/{}/edit/"),
    ("employee", "/people/employees/{}/delete/"),
    ("department", "/people/departments/{}/edit/"),
    ("department", "/people/departments/{}/delete/"),
    ("position", "/people/positions/{}/edit/"),
    ("position", "/people/positions/{}/delete/"),
]


@pytest.mark.parametrize("role", ["owner", "hr", "lead"])
@pytest.mark.parametrize(("kind", "url"), URLS)
def test_another_companys_ids_are_404_for_get_and_post(org, other_org, foreign, client_as,
                                                       role, kind, url):
    client = client_as(org.users[role])
    target = url.format(foreign[kind])

    assert client.get(target).status_code == 404
    assert client.post(target, {"name": "入侵", "title": "入侵"}).status_code == 404


def test_nothing_of_the_other_company_changed(org, other_org, foreign, client_as):
    client = client_as(org.users["owner"])
    for kind, url in URLS:
        client.post(url.format(foreign[kind]), {"name": "入侵", "title": "入侵"})

    with scope(company=other_org.company.pk):
        assert Employee.objects.get(pk=foreign["employee"]).name == "other-staff"
        assert Department.objects.get(pk=foreign["department"]).name == "平台组"
        assert Position.objects.get(pk=foreign["position"]).title == "外部职位"


def test_lists_show_only_this_company(org, other_org, client_as):
    client = client_as(org.users["owner"])

    employees = client.get("/people/employees/?status=")
    departments = client.get("/people/departments/")

    assert employees.context["page_obj"].paginator.count == 6
    assert "other-staff" not in employees.content.decode()
    assert [n.department.pk for n in departments.context["nodes"]] == [
        org.rnd.pk, org.platform.pk, org.sales.pk
    ]


def test_another_companys_ids_are_refused_in_forms_and_filters(org, other_org, client_as):
    client = client_as(org.users["hr"])

    filtered = client.get(f"/people/employees/?department={other_org.rnd.pk}")
    moved = client.post(f"/people/employees/{org.employees['staff'].pk}/edit/", {
        "employee_number": org.employees["staff"].employee_number, "name": "staff",
        "gender": "unspecified", "department": other_org.sales.pk,
        "employment_type": "full_time", "status": "active", "hire_date": "2024-03-01",
    })

    assert filtered.status_code == 200
    assert "department" in filtered.context["filters"].errors
    assert moved.status_code == 200
    assert "department" in moved.context["form"].errors
    with scope(company=org.company.pk):
        assert Employee.objects.get(pk=org.employees["staff"].pk).department_id == org.platform.pk
