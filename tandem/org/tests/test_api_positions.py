"""/api/v1/positions/: job titles, of one department or of none."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.org import services
from tandem.org.models import Employee, Position

URL = "/api/v1/positions/"


@pytest.fixture
def as_hr(org, api_as):
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return api


@pytest.fixture
def positions(org):
    with scope(company=org.company.pk):
        return {
            "engineer": services.create_position(
                company=org.company, title="工程师", title_en="Engineer", department=org.platform
            ),
            "seller": services.create_position(
                company=org.company, title="销售代表", title_en="Sales rep", department=org.sales
            ),
            "assistant": services.create_position(company=org.company, title="助理"),
        }


def test_the_list(org, positions, as_hr):
    response = as_hr.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["results"][0] == {
        "id": positions["assistant"].pk, "title": "助理", "title_en": "",
        "display_name": "助理", "department": None, "department_name": None, "description": "",
        "version": 1,
    }
    assert [p["display_name"] for p in body["results"][1:]] == ["Engineer", "Sales rep"]
    assert body["results"][1]["department_name"] == "Platform"


def test_filter_by_department(org, positions, as_hr):
    results = as_hr.get(URL, {"department": org.sales.pk}).json()["results"]
    assert [p["id"] for p in results] == [positions["seller"].pk]


def test_search_by_title(org, positions, as_hr):
    results = as_hr.get(URL, {"search": "engin"}).json()["results"]
    assert [p["id"] for p in results] == [positions["engineer"].pk]


def test_create(org, as_hr):
    response = as_hr.post(URL, {
        "title": "架构师", "title_en": "Architect", "department": org.rnd.pk,
        "description": "设计系统",
    }, format="json")
    assert response.status_code == 201
    with scope(company=org.company.pk):
        created = Position.objects.get(title="架构师")
        assert (created.company, created.title_en, created.department, created.description) == (
            org.company, "Architect", org.rnd, "设计系统",
        )
    assert response.json()["id"] == created.pk


def test_a_duplicate_title_in_a_department_is_refused(org, positions, as_hr):
    response = as_hr.post(URL, {"title": "工程师", "department": org.platform.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Position with this Company, Department and Title already exists."]
    }


def test_update(org, positions, as_hr):
    response = as_hr.patch(
        f"{URL}{positions['assistant'].pk}/", {"department": org.sales.pk, "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["department_name"] == "Sales"
    with scope(company=org.company.pk):
        assert Position.objects.get(pk=positions["assistant"].pk).department == org.sales


def test_delete(org, positions, as_hr):
    assert as_hr.delete(f"{URL}{positions['assistant'].pk}/").status_code == 204
    with scope(company=org.company.pk):
        assert not Position.objects.filter(pk=positions["assistant"].pk).exists()


def test_a_position_people_hold_cannot_be_deleted(org, positions, as_hr):
    with scope(company=org.company.pk):
        Employee.objects.filter(pk=org.employees["staff"].pk).update(position=positions["engineer"])
    response = as_hr.delete(f"{URL}{positions['engineer'].pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "People still hold this position; give them another one first.", "errors": {},
    }
