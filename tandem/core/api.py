"""API base classes shared by every app: the company scope for token-authenticated calls and the
permission class that asks `rules`."""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse, QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend
from django_scopes import scope
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import exceptions, filters, permissions, serializers, viewsets
from rest_framework.settings import api_settings

from .actor import resolve_actor
from .middleware import SESSION_COMPANY_KEY


class IsCompanyMember(permissions.BasePermission):
    message = _("You are not an active member of any company.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and getattr(request, "company", None) is not None


class RulesPermission(permissions.BasePermission):
    """Maps the HTTP method to `app.verb_model` and asks `rules`: for the collection on list and
    create, for the object on everything else. A viewset names its model through `queryset` or
    `permission_model`, and may name the permission of an extra action in
    `action_permissions` (e.g. `{"job_history": "org.view_employee_history"}`)."""

    verbs = {
        "GET": "view", "HEAD": "view", "OPTIONS": "view",
        "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete",
    }

    @staticmethod
    def _model(view):
        return getattr(view, "permission_model", None) or view.queryset.model

    def _perm(self, request, view, verb: str | None = None) -> str:
        action_perm = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if action_perm and verb is None:
            return action_perm
        meta = self._model(view)._meta
        return f"{meta.app_label}.{verb or self.verbs.get(request.method, 'change')}_{meta.model_name}"

    def has_permission(self, request, view):
        if getattr(view, "detail", False):
            # Decided in has_object_permission, where the object is known; members who may not
            # even see the collection stop here.
            return request.user.has_perm(self._perm(request, view, "view"))
        return request.user.has_perm(self._perm(request, view))

    def has_object_permission(self, request, view, obj):
        return request.user.has_perm(self._perm(request, view), obj)


class CompanyScopedMixin:
    """Resolves `request.actor` and `request.company` as soon as DRF has authenticated the request
    (token or session), and runs the rest of the view, permission checks included, inside
    `scope(company=...)`."""

    def perform_authentication(self, request):
        super().perform_authentication(request)
        actor = getattr(request._request, "actor", None)
        if actor is None or actor.user.pk != request.user.pk:
            session = getattr(request._request, "session", None)
            company_id = session.get(SESSION_COMPANY_KEY) if session is not None else None
            actor = resolve_actor(request.user, company_id)
        elif actor.user is not request.user:
            # Token authentication loaded its own copy of the session's user; the rules read
            # the actor from the user object they are given.
            request.user.actor = actor
        request._request.actor = actor
        request._request.company = actor.company if actor else None
        self._company_scope = scope(company=actor.company.pk if actor else [])
        self._company_scope.__enter__()

    def dispatch(self, request, *args, **kwargs):
        self._company_scope = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._company_scope is not None:
                self._company_scope.__exit__(None, None, None)
                self._company_scope = None


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField(help_text=_("What went wrong, in one sentence."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages by field name (`non_field_errors` for the object as a whole); "
                    "empty unless the input was refused."),
    )


ERROR_DESCRIPTIONS = {
    "400": _("The input is not valid; `errors` says why, field by field."),
    "401": _("Not signed in: send `Authorization: Token <token>` or a session cookie."),
    "403": _("Signed in, but not allowed to do this."),
    "404": _("No such object in your company."),
    "409": _("Refused because of the data as it stands (for example, still in use)."),
    "429": _("Too many requests; try again later."),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's inspector with two house rules:

    - response objects list every field as required, except those a serializer names in
      `Meta.optional_response_fields` (present only for some callers);
    - every operation documents the error responses it can give, in the shared error format.
    """

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            meta = getattr(serializer, "Meta", None)
            optional = set(getattr(meta, "optional_response_fields", ()))
            required = [name for name in schema.get("properties", {}) if name not in optional]
            if required:
                schema["required"] = required
            else:
                schema.pop("required", None)
        return schema

    def _query_parameters(self) -> list[dict]:
        return [p for p in self._get_parameters() if p.get("in") == "query"]

    def _names_object_in_query(self) -> bool:
        """An id in the query string (`?cycle=3` on an action) may name no object: 404."""
        return any(p.get("schema", {}).get("type") == "integer"
                   and p["name"] not in ("page", "page_size") for p in self._query_parameters())

    def _error_codes(self) -> list[str]:
        view = self.view
        codes = []
        writes = self.method in ("POST", "PUT", "PATCH")
        if writes or (self.method == "GET" and (self._is_list_view() or self._query_parameters())):
            codes.append("400")  # a malformed body, filter or page parameter
        public = any(p is permissions.AllowAny for p in getattr(view, "permission_classes", []))
        if not public:
            codes += ["401", "403"]
        if "{" in self.path or (
            self.method == "GET" and (self._is_list_view() or self._names_object_in_query())
        ):
            codes.append("404")  # unknown object, or a page number past the end
        if self.method == "DELETE" or (self.method == "POST" and "{" in self.path):
            codes.append("409")  # still in use; an action the object's state refuses
        if getattr(view, "throttle_classes", None):
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=str(ERROR_DESCRIPTIONS[code])),
                    code, direction=direction,
                )
        return dict(sorted(responses.items()))


def _json_kind(field) -> tuple[type, ...] | None:
    """The Python types of the JSON values the schema allows for a writable field (as
    drf-spectacular documents it), or None when DRF's own validation is exact enough."""
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.CharField):  # also email, URL, slug, regex fields
        return (str,)
    if isinstance(field, serializers.IntegerField):
        return (int,)
    if isinstance(field, serializers.FloatField):
        return (int, float)
    if isinstance(field, serializers.DecimalField):
        as_string = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        return (str,) if as_string else (int, float)
    if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
        queryset = field.queryset
        pk = getattr(getattr(queryset, "model", None), "_meta", None)
        if pk is not None and pk.pk.get_internal_type() in ("AutoField", "BigAutoField",
                                                            "IntegerField", "BigIntegerField"):
            return (int,)
    return None


def _mistyped(field, value) -> bool:
    """True when the value has another JSON type than the schema says and DRF would still
    accept it, converting it silently (a type DRF refuses gets DRF's own message)."""
    if value is None:
        return False  # DRF applies allow_null itself
    if isinstance(field, serializers.ChoiceField) and not isinstance(
        field, serializers.MultipleChoiceField
    ):
        # DRF matches choices by str(value): 1 would pass for "1", and true for "True".
        mismatch = not any(type(value) is type(key) for key in field.choices)
    else:
        kinds = _json_kind(field)
        if kinds is None:
            return False
        if isinstance(value, bool):
            mismatch = bool not in kinds
        elif isinstance(value, float) and float not in kinds and int in kinds:
            mismatch = not value.is_integer()
        else:
            mismatch = not isinstance(value, kinds)
    if not mismatch:
        return False
    try:
        field.to_internal_value(value)
    except (exceptions.ValidationError, DjangoValidationError):
        return False
    return True


def json_type_errors(serializer, data) -> dict[str, list[str]]:
    """Fields of a JSON body whose value has another JSON type than the schema says (a number
    for a text field, a string for an id or a flag). DRF would convert them silently (`0`
    becomes `"0"`, `"3"` becomes `3`); the API refuses them instead, as its schema promises."""
    if not isinstance(data, dict) or isinstance(data, QueryDict):
        return {}
    errors: dict[str, list[str]] = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        value = data[name]
        if isinstance(field, serializers.Serializer) and isinstance(value, dict):
            nested = json_type_errors(field, value)
            errors.update({f"{name}.{key}": messages for key, messages in nested.items()})
        elif _mistyped(field, value):
            errors[name] = [str(_WRONG_TYPE)]
    return errors


_WRONG_TYPE = _("This value has the wrong type for this field (see the API schema).")


class FilterBackend(DjangoFilterBackend):
    """django-filter, except that it refuses with 400 what it would quietly ignore (answering
    as if the filter were not there), where the schema calls the value invalid: a boolean that
    is not `true` or `false`, and an empty value for anything but a text filter."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors: dict[str, list[str]] = {}
        for name, field in filterset.form.fields.items():
            suffixes = getattr(field.widget, "suffixes", None)  # ranges: `_after`, `_before`
            params = [f"{name}_{suffix}" if suffix else name for suffix in suffixes or [""]]
            for param in params:
                values = request.query_params.getlist(param)
                if isinstance(filterset.filters.get(name), BooleanFilter):
                    if any(value not in ("true", "false") for value in values):
                        errors[param] = [str(_WRONG_BOOLEAN)]
                elif "" in values and not isinstance(field, forms.CharField):
                    errors[param] = [str(_EMPTY_FILTER)]
        if errors:
            raise exceptions.ValidationError(errors)
        return filterset


_WRONG_BOOLEAN = _("Use true or false.")
_EMPTY_FILTER = _("Give a value, or leave the parameter out.")


class CompanyModelViewSet(CompanyScopedMixin, viewsets.ModelViewSet):
    """Base of every company-owned resource: members only, rules-checked, scoped to the
    caller's company so that another company's id is a 404. Subclasses of models that have
    services write through them in `perform_create`, `perform_update` and `perform_destroy`."""

    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    filter_backends = [FilterBackend, filters.SearchFilter, filters.OrderingFilter]
    schema = AutoSchema()
    # Any single path segment reaches the viewset, so a malformed id is the API's JSON 404
    # rather than the HTML page of an unmatched URL; the schema still says `integer`.
    lookup_value_regex = "[^/]+"

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            errors = json_type_errors(serializer, kwargs["data"])
            if errors:
                raise exceptions.ValidationError(errors)
        return serializer

    def perform_create(self, serializer):
        serializer.save(company=self.request.company)


def api_not_found(request, *args, **kwargs):
    """Any URL under /api/ that names no resource: the API's JSON 404, not the HTML page (a
    malformed id with a slash in it, a mistyped path)."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail), "errors": {}},
                        status=404)
