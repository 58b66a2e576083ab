"""Bad input to every writable API resource (departments, positions, employees; create and
update): a 400 that names the field, never a 500, and nothing written. Runs on SQLite and
PostgreSQL (which refuses NUL characters in text: they must be stopped before the query)."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.org import services
from tandem.org.models import Department, Employee, JobHistory, Position

BIG = 10**30


@pytest.fixture
def api(org, api_as):
    client = api_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def engineer(org):
    with scope(company=org.company.pk):
        return services.create_position(company=org.company, title="工程师", department=org.platform)


def snapshot(org):
    """Everything a bad request could have written to."""
    with scope(company=org.company.pk):
        return {
            "departments": list(Department.objects.order_by("pk").values()),
            "positions": list(Position.objects.order_by("pk").values()),
            "employees": list(Employee.objects.order_by("pk").values()),
            "job history": JobHistory.objects.count(),
            "change history": sum(m.history.count() for m in (Department, Position, Employee)),
        }


def valid_body(org, resource):
    return {
        "departments": {"name": "新部门", "parent": org.rnd.pk},
        "positions": {"title": "新岗位", "department": org.sales.pk, "description": "写代码"},
        "employees": {"employee_number": "N1", "name": "新人", "department": org.sales.pk,
                      "hire_date": "2026-01-05"},
    }[resource]


def target(org, resource, engineer):
    """(url, body to send besides the bad field) for a create, or for an update."""
    return {
        "departments": f"/api/v1/departments/{org.platform.pk}/",
        "positions": f"/api/v1/positions/{engineer.pk}/",
        "employees": f"/api/v1/employees/{org.employees['staff'].pk}/",
    }[resource]


def send(api, org, engineer, resource, operation, bad: dict):
    if operation == "create":
        return api.post(f"/api/v1/{resource}/", valid_body(org, resource) | bad, format="json")
    return api.patch(target(org, resource, engineer), {"version": 1} | bad, format="json")


# Each bad value with the message the field gives (None: only the field is checked; the wording
# of type errors belongs to core.drf's exception handler).
TOO_LONG = {
    "departments": [("name", "名" * 81, "Ensure this field has no more than 80 characters."),
                    ("name_en", "n" * 81, "Ensure this field has no more than 80 characters.")],
    "positions": [("title", "岗" * 81, "Ensure this field has no more than 80 characters."),
                  ("description", "d" * 4001,
                   "Ensure this field has no more than 4000 characters.")],
    "employees": [("name", "名" * 61, "Ensure this field has no more than 60 characters."),
                  ("employee_number", "9" * 33,
                   "Ensure this field has no more than 32 characters."),
                  ("home_address", "址" * 201,
                   "Ensure this field has no more than 200 characters.")],
}
WRONG_TYPES = {
    "departments": [
        ("parent", "abc", None),
        ("parent", 1.5, None),
        ("parent", True, None),
        ("parent", [1], None),
        ("parent", BIG, f'Invalid pk "{BIG}" - object does not exist.'),
        ("name", ["a", "b"], None),
        ("name", {"zh": "a"}, None),
    ],
    "positions": [
        ("department", "1; drop table", None),
        ("department", {"id": 1}, None),
        ("title", ["a"], None),
    ],
    "employees": [
        ("department", "sales", None),
        ("manager", -1, 'Invalid pk "-1" - object does not exist.'),
        ("hire_date", 20240101, None),
        ("hire_date", "2024-02-30", None),
        ("hire_date", ["2024-01-01"], None),
        ("status", 1, None),
        ("email", ["a@example.com"], None),
    ],
}
NUL = {
    "departments": ["name", "name_en"],
    "positions": ["title", "title_en", "description"],
    "employees": ["name", "english_name", "employee_number", "home_address", "email", "phone",
                  "hire_date", "status"],
}


def cases(table):
    return [
        pytest.param(resource, operation, field, value, message,
                     id=f"{operation} {resource} {field}={str(value)[:12]!s}")
        for resource, rows in table.items() for field, value, message in rows
        for operation in ("create", "update")
    ]


@pytest.mark.parametrize(("resource", "operation", "field", "value", "message"),
                         cases(TOO_LONG) + cases(WRONG_TYPES))
def test_oversize_and_wrongly_typed_values_are_a_400_on_the_field(
        org, api, engineer, resource, operation, field, value, message):
    before = snapshot(org)
    response = send(api, org, engineer, resource, operation, {field: value})
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]
    assert snapshot(org) == before


@pytest.mark.parametrize("operation", ["create", "update"])
@pytest.mark.parametrize(("resource", "field"),
                         [(r, f) for r, fields in NUL.items() for f in fields])
def test_a_nul_character_is_a_400_not_a_database_error(org, api, engineer, resource, field,
                                                        operation):
    before = snapshot(org)
    response = send(api, org, engineer, resource, operation, {field: "a\x00b"})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
    assert snapshot(org) == before


def test_a_nul_character_in_a_job_change_note_is_a_400(org, api):
    before = snapshot(org)
    response = api.patch(f"/api/v1/employees/{org.employees['staff'].pk}/", {
        "department": org.sales.pk, "note": "调岗\x00", "version": 1,
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"note": ["Null characters are not allowed."]}
    assert snapshot(org) == before


RAW_BODIES = {
    "truncated": '{"name": "x"',
    "not JSON at all": "name=x&parent=1",
    "a bare string": '"x"',
    "NaN": '{"name": NaN}',
    "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "a float too large for an id": '{"name": "x", "parent": 1e400}',
    "an integer too large for the database": '{"name": "x", "parent": 1' + "0" * 40 + "}",
    "a lone surrogate": '{"name": "\\ud800"}',
    "invalid UTF-8": b'{"name": "\xff\xfe"}',
}


@pytest.mark.parametrize("body", list(RAW_BODIES.values()), ids=list(RAW_BODIES))
@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_malformed_bodies_are_a_400(org, api, body, method):
    before = snapshot(org)
    url = "/api/v1/departments/" + ("" if method == "post" else f"{org.platform.pk}/")
    response = getattr(api, method)(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"detail", "errors"}
    assert snapshot(org) == before


def test_a_body_beyond_the_upload_limit_is_a_400(org, api):
    body = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    before = snapshot(org)
    response = api.post("/api/v1/departments/", body, content_type="application/json")
    assert response.status_code == 400
    assert snapshot(org) == before


def test_a_form_encoded_body_is_checked_like_json(org, api):
    response = api.post("/api/v1/departments/", {"name": "x" * 81, "parent": "1.5"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"name", "parent"}


@pytest.mark.parametrize("resource", ["departments", "positions", "employees"])
@pytest.mark.parametrize("params", [
    {"page": str(BIG)}, {"page": "1e400"}, {"page": "\x00"}, {"page_size": str(BIG)},
    {"search": "x" * 5000}, {"search": "\x00"}, {"ordering": "\x00"}, {"ordering": "-" * 300},
], ids=["huge page", "float page", "NUL page", "huge page_size", "long search", "NUL search",
        "NUL ordering", "odd ordering"])
def test_odd_list_parameters_never_fail_the_server(org, api, resource, params):
    response = api.get(f"/api/v1/{resource}/", params)
    assert response.status_code in (200, 400, 404), response.content
    assert set(response.json()) >= ({"results"} if response.status_code == 200
                                    else {"detail", "errors"})


def test_a_huge_page_size_is_cut_to_200(org, api):
    response = api.get("/api/v1/employees/", {"page_size": str(BIG)})
    assert response.status_code == 200
    assert response.json()["count"] == 6


@pytest.mark.parametrize(("params", "field"), [
    ({"department": str(BIG)}, "department"), ({"department": "\x00"}, "department"),
    ({"manager": "1.5"}, "manager"), ({"position": "-1"}, "position"),
    ({"hire_date_after": "99999-01-01"}, "hire_date"), ({"hire_date_before": "\x00"}, "hire_date"),
    ({"status": "active\x00"}, "status"),
])
def test_bad_employee_filters_are_a_400_on_the_filter(org, api, params, field):
    response = api.get("/api/v1/employees/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(("params", "field"), [
    ({"parent": str(BIG)}, "parent"), ({"parent": "x"}, "parent"), ({"is_root": "\x00"}, "is_root"),
])
def test_bad_department_filters_are_a_400_on_the_filter(org, api, params, field):
    response = api.get("/api/v1/departments/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("pk", [str(BIG), "1e400", "-1", "%00"])
@pytest.mark.parametrize("resource", ["departments", "positions", "employees"])
def test_odd_ids_in_the_url_are_a_404(org, api, resource, pk):
    assert api.get(f"/api/v1/{resource}/{pk}/").status_code == 404
    assert api.patch(f"/api/v1/{resource}/{pk}/", {"version": 1}, format="json").status_code == 404
