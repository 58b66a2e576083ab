"""The position pages: list with department and head count, create, edit, delete (HR/admin)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.org.models import Position
from tandem.org.services import create_position


@pytest.fixture
def engineer(org):
    with scope(company=org.company.pk):
        return create_position(company=org.company, title="工程师", title_en="Engineer",
                               department=org.platform)


def positions(org):
    with scope(company=org.company.pk):
        return sorted(
            (p.title, p.title_en, p.department.name if p.department else None, p.description)
            for p in Position.objects.select_related("department")
        )


def test_list_shows_department_and_head_count(org, client_as, engineer):
    make_employee(org.company, org.platform, position=engineer)
    make_employee(org.company, org.platform, position=engineer)

    response = client_as(org.users["staff"]).get("/people/positions/")

    assert [(p.title, p.department.name, p.headcount) for p in response.context["positions"]] == [
        ("工程师", "平台组", 2)
    ]
    html = response.content.decode()
    assert "/people/positions/new/" not in html
    assert f"/people/positions/{engineer.pk}/edit/" not in html


def test_hr_sees_the_actions(org, client_as, engineer):
    html = client_as(org.users["hr"]).get("/people/positions/").content.decode()

    assert 'href="/people/positions/new/"' in html
    assert f'href="/people/positions/{engineer.pk}/edit/"' in html
    assert f'href="/people/positions/{engineer.pk}/delete/"' in html


def test_hr_creates_a_position(org, client_as):
    response = client_as(org.users["hr"]).post("/people/positions/new/", {
        "title": "销售代表", "title_en": "Sales Representative", "department": org.sales.pk,
        "description": "开拓华东市场",
    })

    assert response.status_code == 302
    assert response["Location"] == "/people/positions/"
    assert positions(org) == [("销售代表", "Sales Representative", "销售部", "开拓华东市场")]


@pytest.mark.parametrize("department", ["platform", None])
def test_a_duplicate_title_in_the_same_department_is_refused(org, client_as, department):
    with scope(company=org.company.pk):
        create_position(company=org.company, title="工程师",
                        department=getattr(org, department) if department else None)
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post("/people/positions/new/", {
        "title": "工程师", "department": getattr(org, department).pk if department else "",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        "A position with this title already exists in this department."
    ]
    assert len(positions(org)) == 1


def test_the_same_title_in_another_department_is_fine(org, client_as, engineer):
    response = client_as(org.users["hr"]).post("/people/positions/new/", {
        "title": "工程师", "department": org.sales.pk,
    })

    assert response.status_code == 302
    assert positions(org) == [("工程师", "", "销售部", ""), ("工程师", "Engineer", "平台组", "")]


def test_hr_edits_a_position(org, client_as, engineer):
    response = client_as(org.users["hr"]).post(f"/people/positions/{engineer.pk}/edit/", {
        "title": "高级工程师", "title_en": "Senior Engineer", "department": "",
        "description": "", "version": 1,
    })

    assert response.status_code == 302
    assert positions(org) == [("高级工程师", "Senior Engineer", None, "")]


def test_hr_deletes_an_unused_position(org, client_as, engineer):
    response = client_as(org.users["owner"]).post(f"/people/positions/{engineer.pk}/delete/")

    assert response.status_code == 302
    assert positions(org) == []


def test_a_position_people_hold_is_not_deleted(org, client_as, engineer):
    make_employee(org.company, org.platform, position=engineer)
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(f"/people/positions/{engineer.pk}/delete/")

    assert response.status_code == 200
    assert response.context["error"] == (
        "People still hold this position; give them another one first."
    )
    assert positions(org) == [("工程师", "Engineer", "平台组", "")]


def test_the_list_keeps_a_constant_number_of_queries(org, client_as):
    client = client_as(org.users["hr"])
    with scope(company=org.company.pk):
        for i in range(3):
            create_position(company=org.company, title=f"岗位{i}", department=org.sales)
    with CaptureQueriesContext(connection) as few:
        client.get("/people/positions/")
    with scope(company=org.company.pk):
        for i in range(20):
            create_position(company=org.company, title=f"职位{i}", department=org.platform)
    with CaptureQueriesContext(connection) as many:
        client.get("/people/positions/")

    assert len(many) == len(few)
