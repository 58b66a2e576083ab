"""What the review API's viewsets share: the base mixin (members only, the company's scope,
JSON bodies), reading an action's body with the API's strict JSON types, and turning the
services' refusals into the API's answers."""

import re
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, status

from tandem.core.api import AutoSchema, CompanyScopedMixin, IsCompanyMember, json_type_errors
from tandem.core.drf import Conflict, JSONParser
from tandem.core.versioning import EditConflict

from .permissions import ReviewPermission


class ReviewViewSetMixin(CompanyScopedMixin):
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, ReviewPermission]
    parser_classes = [JSONParser]  # lists and flags: JSON only
    schema = AutoSchema()
    lookup_value_regex = "[^/]+"


class StepRefused(exceptions.APIException):
    """400 whose `detail` is the service's own sentence (a step that is not open, a cycle in
    the wrong state), repeated in `errors.non_field_errors`."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.errors = {"non_field_errors": [message]}


def body(serializer_class, data, **kwargs) -> dict:
    """The validated body: a value of another JSON type than the schema says is refused, as
    everywhere in the API."""
    serializer = serializer_class(data=data, **kwargs)
    errors = json_type_errors(serializer, data)
    if errors:
        raise exceptions.ValidationError(errors)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@contextmanager
def refusals(renames: dict | None = None, as_conflict: bool = False):
    """The services' ValidationError as the API answers it: field errors under the body's
    names (`renames`: service field → body field, or a callable), a refusal without a field as
    `StepRefused` (or 409 with `as_conflict`). A version conflict stays a 409 (`core.drf`)."""
    try:
        yield
    except EditConflict:
        raise
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            message = " ".join(str(m) for m in error.messages)
            raise (Conflict(message) if as_conflict else StepRefused(message)) from None
        fields = {}
        for field, messages in error.message_dict.items():
            name = "non_field_errors" if field == NON_FIELD_ERRORS else _rename(field, renames)
            fields.setdefault(name, []).extend(str(m) for m in messages)
        raise exceptions.ValidationError(fields) from None


def _rename(field: str, renames) -> str:
    if callable(renames):
        return renames(field)
    return (renames or {}).get(field, field)


def ratings_renamer(order: list[int]):
    """The assessment service names a rating's errors `difficulty_<objective id>`; the body
    sends a list, so they become `ratings.<position>.difficulty`; the other names become the
    body's."""
    positions = {objective: index for index, objective in enumerate(order)}

    def rename(field: str) -> str:
        match = re.fullmatch(r"(difficulty|reason)_(\d+)", field)
        if match and int(match.group(2)) in positions:
            return f"ratings.{positions[int(match.group(2))]}.{match.group(1)}"
        # A bare "reason" is the adjustment's (scoring.validate_adjustment).
        return {"manager_summary": "summary", "reason": "adjustment_reason"}.get(field, field)

    return rename
