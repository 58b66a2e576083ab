"""Bad input gets a clear error in the shared format, never a 500."""

import pytest
from django.conf import settings

HIRE = {"employee_number": "N1", "name": "新人", "hire_date": "2026-01-05"}


@pytest.fixture
def api(org, api_as):
    client = api_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_body_that_is_not_json(org, api):
    response = api.post("/api/v1/employees/", "{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {}
    assert body["detail"].startswith("JSON parse error")


def test_a_json_list_instead_of_an_object(org, api):
    response = api.post("/api/v1/departments/", [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_an_unsupported_media_type(org, api):
    response = api.post("/api/v1/departments/", "name=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json() == {
        "detail": 'Unsupported media type "text/plain" in request.', "errors": {},
    }


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"department": "abc"},
         {"department": ["Incorrect type. Expected pk value, received str."]}),
        ({"department": 999999},
         {"department": ['Invalid pk "999999" - object does not exist.']}),
        ({"department": 10**30},
         {"department": [f'Invalid pk "{10**30}" - object does not exist.']}),
        ({"hire_date": "2026-02-30"},
         {"hire_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
        ({"hire_date": 20260105},
         {"hire_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
        ({"name": "名" * 61}, {"name": ["Ensure this field has no more than 60 characters."]}),
        ({"name": ["a", "b"]}, {"name": ["Not a valid string."]}),
        ({"name": "a\x00b"}, {"name": ["Null characters are not allowed."]}),
        ({"status": "retired"}, {"status": ['"retired" is not a valid choice.']}),
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        ({"phone": "call me"},
         {"phone": ["Enter a phone number of digits, spaces, dashes and an optional +."]}),
    ],
)
def test_field_errors_on_hiring(org, api, changes, errors):
    payload = HIRE | {"department": org.sales.pk} | changes
    response = api.post("/api/v1/employees/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Some fields are not valid.", "errors": errors}


def test_missing_required_fields(org, api):
    response = api.post("/api/v1/employees/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        name: ["This field is required."]
        for name in ("employee_number", "name", "department", "hire_date")
    }


def test_a_leave_date_before_the_hire_date(org, api):
    response = api.patch(
        f"/api/v1/employees/{org.employees['peer'].pk}/",
        {"status": "left", "leave_date": "2020-01-01", "version": 1}, format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "leave_date": ["The leave date cannot be before the hire date."]
    }


def test_a_job_change_before_the_hire_date(org, api):
    response = api.patch(
        f"/api/v1/employees/{org.employees['peer'].pk}/",
        {"department": org.rnd.pk, "effective_date": "2020-01-01", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "effective_date": ["A change cannot take effect before the hire date."]
    }


@pytest.mark.parametrize("pk", ["999999", str(10**30), "abc"])
def test_an_unknown_id_in_the_url_is_a_404(org, api, pk):
    response = api.get(f"/api/v1/employees/{pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"department": "abc"}, "department"),
        ({"department": "999999"}, "department"),
        ({"manager": str(10**30)}, "manager"),
        ({"status": "retired"}, "status"),
        ({"hire_date_after": "yesterday"}, "hire_date"),
    ],
)
def test_bad_filter_values_are_a_400(org, api, params, field):
    response = api.get("/api/v1/employees/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_page_past_the_end_is_a_404(org, api):
    response = api.get("/api/v1/employees/", {"page": 99})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page.", "errors": {}}


def test_a_null_character_in_the_search_is_a_400(org, api):
    response = api.get("/api/v1/employees/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Null characters are not allowed."]}


# Bad page sizes and booleans are refused with a 400 (tandem/core/tests/test_api_strict_input.py).
@pytest.mark.parametrize("params", [{"ordering": "nonsense"}, {"search": ""}])
def test_odd_query_strings_are_ignored(org, api, params):
    response = api.get("/api/v1/employees/", params)
    assert response.status_code == 200
    assert response.json()["count"] == 6


def test_a_method_the_resource_does_not_have(org, api):
    response = api.post(f"/api/v1/employees/{org.employees['peer'].pk}/", {}, format="json")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.', "errors": {}}
