"""The API's exception handler turns every refusal into `{"detail": ..., "errors": {...}}`
with the right status, including Django's exceptions and database refusals."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions

from tandem.core.drf import Conflict, FieldPermissionDenied, exception_handler


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_a_django_validation_error_by_field():
    error = DjangoValidationError({"__all__": ["Clash."], "name": ["Too long.", "Odd."]})
    assert handle(error) == (400, {
        "detail": "Some fields are not valid.",
        "errors": {"non_field_errors": ["Clash."], "name": ["Too long.", "Odd."]},
    })


def test_a_django_validation_error_without_field():
    assert handle(DjangoValidationError("Not now.")) == (400, {
        "detail": "Some fields are not valid.", "errors": {"non_field_errors": ["Not now."]},
    })


def test_nested_drf_errors_are_flattened_to_lists_of_strings():
    error = exceptions.ValidationError({"items": [{"id": ["Bad id."]}, {"name": ["Empty."]}]})
    assert handle(error)[1]["errors"] == {"items": ["id: Bad id.", "name: Empty."]}


def test_not_found_and_permission_denied():
    assert handle(Http404("No Employee matches")) == (404, {"detail": "Not found.", "errors": {}})
    assert handle(PermissionDenied()) == (
        403, {"detail": "You do not have permission to perform this action.", "errors": {}},
    )


def test_a_refusal_that_names_fields():
    error = FieldPermissionDenied("Not these.", {"name": ["Only HR."]})
    assert handle(error) == (403, {"detail": "Not these.", "errors": {"name": ["Only HR."]}})


def test_database_refusals_are_conflicts():
    assert handle(ProtectedError("protected", set())) == (409, {
        "detail": "Other records still refer to this one, so it cannot be deleted.", "errors": {},
    })
    assert handle(IntegrityError("duplicate key")) == (409, {
        "detail": "This change clashes with data saved meanwhile. Reload and try again.",
        "errors": {},
    })
    assert handle(Conflict("Still in use.")) == (409, {"detail": "Still in use.", "errors": {}})


def test_anything_else_is_left_to_django():
    assert exception_handler(RuntimeError("bug"), {}) is None
