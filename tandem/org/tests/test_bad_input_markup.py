"""HTML and script in text fields are data: stored exactly as typed, shown escaped on every
page that displays them, never run."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.org.models import Department, Employee, JobHistory, Position

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
IMAGE = '<img src=x onerror="alert(1)">'
IMAGE_ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


@pytest.fixture
def api(org, api_as):
    client = api_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def marked_up(org, api):
    """A department, a position and an employee (with a job change note) whose text fields
    carry markup, all entered through the API."""
    department = api.post("/api/v1/departments/", {"name": SCRIPT, "name_en": SCRIPT},
                          format="json").json()
    position = api.post("/api/v1/positions/", {
        "title": IMAGE, "title_en": IMAGE, "description": SCRIPT,
    }, format="json").json()
    employee = api.post("/api/v1/employees/", {
        "employee_number": "X1", "name": SCRIPT, "english_name": SCRIPT,
        "department": department["id"], "hire_date": "2025-01-01",
        "home_address": SCRIPT,
    }, format="json").json()
    changed = api.patch(f"/api/v1/employees/{employee['id']}/", {
        "position": position["id"], "note": SCRIPT, "version": employee["version"],
    }, format="json")
    assert changed.status_code == 200, changed.json()
    return {"department": department, "position": position, "employee": employee}


def test_the_text_is_stored_exactly_as_typed(org, api, marked_up):
    with scope(company=org.company.pk):
        department = Department.objects.get(pk=marked_up["department"]["id"])
        position = Position.objects.get(pk=marked_up["position"]["id"])
        employee = Employee.objects.get(pk=marked_up["employee"]["id"])
        note = JobHistory.objects.filter(employee=employee).latest("recorded_at").note
    assert (department.name, position.title, position.description, employee.name,
            employee.home_address, note) == (SCRIPT, IMAGE, SCRIPT, SCRIPT, SCRIPT, SCRIPT)
    assert api.get(f"/api/v1/employees/{employee.pk}/").json()["name"] == SCRIPT


@pytest.mark.parametrize(("page", "expected"), [
    ("/people/departments/", [ESCAPED]),
    ("/people/positions/", [IMAGE_ESCAPED, ESCAPED]),
    ("/people/employees/", [ESCAPED]),
    ("/people/employees/?q=script", [ESCAPED]),
    ("employee detail", [ESCAPED, IMAGE_ESCAPED]),
    ("employee edit", [ESCAPED]),
    ("department edit", [ESCAPED]),
    ("position edit", [IMAGE_ESCAPED, ESCAPED]),
])
def test_every_page_shows_it_escaped(org, client_as, marked_up, page, expected):
    urls = {
        "employee detail": f"/people/employees/{marked_up['employee']['id']}/",
        "employee edit": f"/people/employees/{marked_up['employee']['id']}/edit/",
        "department edit": f"/people/departments/{marked_up['department']['id']}/edit/",
        "position edit": f"/people/positions/{marked_up['position']['id']}/edit/",
    }
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(urls.get(page, page))
    assert response.status_code == 200
    body = response.content.decode()
    for escaped in expected:
        assert escaped in body
    assert SCRIPT not in body
    assert IMAGE not in body
