"""The API refuses input its schema calls invalid instead of quietly reading it some other way
(found by the fuzzer, `test_api_fuzz.py`): wrong JSON types, malformed page parameters and
filters, malformed ids."""

import json

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture
def as_hr(org, api_as):
    client = api_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("changes, field", [
    ({"description": 0}, "description"),
    ({"title": 12}, "title"),
    ({"department": "rnd-as-string"}, "department"),
    ({"description": 1.5}, "description"),
])
def test_a_json_value_of_the_wrong_type_is_refused(org, as_hr, changes, field):
    if changes.get("department") == "rnd-as-string":
        changes = {"department": str(org.rnd.pk)}  # DRF would take "7" for 7
    body = {"title": "顾问"} | changes
    response = as_hr.post("/api/v1/positions/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some fields are not valid.",
        "errors": {field: ["This value has the wrong type for this field (see the API schema)."]},
    }


def test_a_type_that_drf_refuses_keeps_drf_s_message(as_hr):
    response = as_hr.post("/api/v1/positions/", {"title": "顾问", "department": True},
                          format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "department": ["Incorrect type. Expected pk value, received bool."]
    }


def test_form_encoded_values_are_strings_and_still_accepted(org, as_hr):
    response = as_hr.post("/api/v1/positions/", {"title": "顾问", "department": org.rnd.pk})
    assert response.status_code == 201
    assert response.json()["department"] == org.rnd.pk


@pytest.mark.parametrize("params, name", [
    ({"page_size": "lots"}, "page_size"), ({"page_size": "0"}, "page_size"),
    ({"page_size": "-3"}, "page_size"), ({"page_size": ""}, "page_size"),
    ({"page": "last"}, "page"), ({"page": "0"}, "page"), ({"page": "1.5"}, "page"),
])
def test_page_parameters_must_be_positive_whole_numbers(as_hr, params, name):
    response = as_hr.get("/api/v1/employees/", params)
    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["Enter a whole number from 1."]}


def test_a_large_page_size_is_cut_to_200(org, as_hr):
    response = as_hr.get("/api/v1/employees/", {"page_size": "100000"})
    assert response.status_code == 200
    assert response.json()["count"] == len(response.json()["results"]) == 6


def test_page_parameters_are_documented_from_1(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/employees/"]["get"]["parameters"]}
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1}


@pytest.mark.parametrize("params, name, message", [
    ({"include_subdepartments": "perhaps"}, "include_subdepartments", "Use true or false."),
    ({"include_subdepartments": "1"}, "include_subdepartments", "Use true or false."),
    ({"hire_date_before": ""}, "hire_date_before", "Give a value, or leave the parameter out."),
    ({"department": ""}, "department", "Give a value, or leave the parameter out."),
    ({"status": ""}, "status", "Give a value, or leave the parameter out."),
])
def test_filters_refuse_what_they_would_ignore(as_hr, params, name, message):
    response = as_hr.get("/api/v1/employees/", params)
    assert response.status_code == 400
    assert response.json()["errors"] == {name: [message]}


def test_filters_still_work(org, as_hr):
    response = as_hr.get("/api/v1/departments/", {"is_root": "true"})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {org.rnd.pk, org.sales.pk}
    assert as_hr.get("/api/v1/employees/", {"search": ""}).status_code == 200


@pytest.mark.parametrize("lookup", ["-2.5e-16", "abc", "1.0"])
def test_a_malformed_id_is_the_api_404(as_hr, lookup):
    response = as_hr.get(f"/api/v1/employees/{lookup}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_the_json_kinds_follow_the_schema_generator():
    from rest_framework import serializers

    from tandem.core.api import _json_kind

    assert _json_kind(serializers.DecimalField(max_digits=5, decimal_places=2)) == (str,)
    assert _json_kind(serializers.DecimalField(max_digits=5, decimal_places=2,
                                               coerce_to_string=False)) == (int, float)
    assert _json_kind(serializers.BooleanField()) == (bool,)
    assert _json_kind(serializers.DateField()) is None


def test_an_unknown_api_url_is_a_json_404(rf):
    from tandem.core.api import api_not_found

    with translation.override("en"):
        response = api_not_found(rf.get("/api/v1/employees/a/b/job-history/"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": "Not found.", "errors": {}}
