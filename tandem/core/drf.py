"""DRF settings hooks (pagination, error format). Kept apart from `core.api` because DRF
imports these while `rest_framework.viewsets` is still loading."""

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    """Page numbers from 1; `page_size` from 1, larger sizes capped at 200. A `page` or
    `page_size` that is not a positive integer is refused (DRF would quietly fall back to the
    default size, or accept `page=last`), so the parameters mean what the schema says."""

    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = gettext_lazy(
        "Number of results per page, from 1 (larger sizes are cut to 200).")
    last_page_strings = ()

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return min(_positive_int_parameter(self.page_size_query_param, raw), self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        return _positive_int_parameter(self.page_query_param, raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


def _positive_int_parameter(name: str, raw: str) -> int:
    value = int(raw) if re.fullmatch(r"[0-9]+", raw) else 0
    if value < 1:
        raise exceptions.ValidationError({name: [_("Enter a whole number from 1.")]})
    return value


class Conflict(exceptions.APIException):
    """The request is well formed but clashes with the data as it stands (a department that
    still has people, a record other records point to)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This conflicts with the data as it stands.")
    default_code = "conflict"


class FieldPermissionDenied(exceptions.PermissionDenied):
    """403 that names the fields the caller may not change, in `errors`."""

    def __init__(self, detail, errors: dict[str, list[str]]):
        super().__init__(detail)
        self.errors = errors


def _flatten(detail) -> dict[str, list[str]] | list[str]:
    if isinstance(detail, dict):
        return {str(k): _as_list(v) for k, v in detail.items()}
    return _as_list(detail)


def _as_list(value) -> list[str]:
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out.extend(_as_list(item) if isinstance(item, list | tuple | dict) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _as_list(v)]
    return [str(value)]


def django_validation_error_detail(error: DjangoValidationError):
    """Field errors as DRF names them: Django's `__all__` becomes `non_field_errors`."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(error, "error_dict"):
        return {
            non_field if field == NON_FIELD_ERRORS else field: [str(m) for m in msgs]
            for field, msgs in error.message_dict.items()
        }
    return {non_field: [str(m) for m in error.messages]}


def _as_api_exception(exc):
    """Django's own exceptions, and database refusals that bad input can trigger, as the DRF
    exception with the right status."""
    from .versioning import EditConflict, VersionConflict  # here: versioning imports this module

    if isinstance(exc, EditConflict):
        return VersionConflict(exc)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(django_validation_error_detail(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, ProtectedError | RestrictedError):
        return Conflict(_("Other records still refer to this one, so it cannot be deleted."))
    if isinstance(exc, IntegrityError):
        # The services validate first; this is a concurrent write that got there before us.
        return Conflict(_("This change clashes with data saved meanwhile. Reload and try again."))
    return exc


def exception_handler(exc, context):
    """Every error is `{"detail": "...", "errors": {field: [messages]}}`."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        response.data = {"detail": _("Some fields are not valid."), "errors": errors}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        errors = getattr(exc, "errors", None) or {}
        response.data = {"detail": str(detail), "errors": errors}
    return response


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which lets Python's RecursionError through on a body nested a few
    thousand levels deep (a 500); here that body is a 400 like any other malformed JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                _("JSON parse error - the body is nested too deeply.")
            ) from None
