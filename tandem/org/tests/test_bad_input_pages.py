"""Bad input to the page forms and filters: the form comes back with the error on the field,
never a 500, and nothing is written. Runs on SQLite and PostgreSQL."""

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scope

from tandem.org import services
from tandem.org.models import Department, Employee, JobHistory, Position

BIG = str(10**30)


@pytest.fixture
def client(org, client_as):
    signed_in = client_as(org.users["hr"])
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return signed_in


@pytest.fixture
def engineer(org):
    with scope(company=org.company.pk):
        return services.create_position(company=org.company, title="工程师")


def snapshot(org):
    with scope(company=org.company.pk):
        return {
            "departments": list(Department.objects.order_by("pk").values()),
            "positions": list(Position.objects.order_by("pk").values()),
            "employees": list(Employee.objects.order_by("pk").values()),
            "job history": JobHistory.objects.count(),
        }


def form_data(org, kind, engineer, operation):
    """A valid post for each form; the test spoils one field."""
    staff = org.employees["staff"]
    data = {
        "department": {"name": "新部门", "name_en": "", "parent": org.rnd.pk, "leader": ""},
        "position": {"title": "新岗位", "title_en": "", "department": "", "description": ""},
        "employee": {
            "employee_number": "N1" if operation == "create" else staff.employee_number,
            "name": "新人", "gender": "unspecified", "department": org.sales.pk, "manager": "",
            "employment_type": "full_time", "status": "active", "hire_date": "2025-01-06",
        },
    }[kind]
    if operation == "update":
        data["version"] = 1
    return data


def url(org, kind, engineer, operation):
    if operation == "create":
        return f"/people/{kind}s/new/"
    pk = {"department": org.platform.pk, "position": engineer.pk,
          "employee": org.employees["staff"].pk}[kind]
    return f"/people/{kind}s/{pk}/edit/"


BAD = [
    ("department", "name", "名" * 81, "Ensure this value has at most 80 characters (it has 81)."),
    ("department", "name", "a\x00b", "Null characters are not allowed."),
    ("department", "parent", "abc", None),
    ("department", "parent", BIG, None),
    ("department", "leader", "1.5", None),
    ("position", "title", "岗" * 81, "Ensure this value has at most 80 characters (it has 81)."),
    ("position", "description", "d" * 4001,
     "Ensure this value has at most 4000 characters (it has 4001)."),
    ("position", "description", "\x00", "Null characters are not allowed."),
    ("position", "department", "-1", None),
    ("employee", "name", "名" * 61, "Ensure this value has at most 60 characters (it has 61)."),
    ("employee", "name", "\x00", "Null characters are not allowed."),
    ("employee", "home_address", "址" * 201,
     "Ensure this value has at most 200 characters (it has 201)."),
    ("employee", "hire_date", "20250106", "Enter a valid date."),
    ("employee", "hire_date", "2025-02-30", "Enter a valid date."),
    ("employee", "hire_date", "\x00", "Enter a valid date."),
    ("employee", "department", BIG, None),
    ("employee", "manager", "x", None),
    ("employee", "status", "retired", None),
    ("employee", "email", "a\x00@example.com", None),
]


@pytest.mark.parametrize("operation", ["create", "update"])
@pytest.mark.parametrize(("kind", "field", "value", "message"), BAD,
                         ids=[f"{k} {f}={v[:10]!r}" for k, f, v, _ in BAD])
def test_a_bad_field_comes_back_on_the_form_and_writes_nothing(
        org, client, engineer, kind, field, value, message, operation):
    before = snapshot(org)
    data = form_data(org, kind, engineer, operation) | {field: value}
    response = client.post(url(org, kind, engineer, operation), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message is not None:
        with translation.override("en"):  # the form's messages are lazy
            assert [str(e) for e in errors[field]] == [message]
    assert snapshot(org) == before


def test_a_note_with_a_nul_on_a_job_change_writes_nothing(org, client):
    before = snapshot(org)
    data = form_data(org, "employee", None, "update") | {
        "department": org.rnd.pk, "note": "\x00", "effective_date": "2026-01-01",
    }
    response = client.post(f"/people/employees/{org.employees['staff'].pk}/edit/", data)
    with translation.override("en"):
        assert response.context["form"].errors["note"] == ["Null characters are not allowed."]
    assert snapshot(org) == before


@pytest.mark.parametrize("params", [
    {"q": "a\x00b"}, {"q": "x" * 10_000}, {"department": BIG}, {"department": "\x00"},
    {"position": "1e400"}, {"status": "\x00"}, {"page": BIG}, {"page": "-1"}, {"page": "\x00"},
], ids=["NUL search", "long search", "huge department", "NUL department", "float position",
        "NUL status", "huge page", "negative page", "NUL page"])
def test_odd_filters_on_the_employee_list_are_ignored_and_shown(org, client, params):
    response = client.get("/people/employees/", params)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 6
    partial = client.get("/people/employees/", params, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
