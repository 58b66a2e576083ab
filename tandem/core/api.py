"""API base classes shared by every app: the company scope for token-authenticated calls and the
permission class that asks `rules`."""

from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import permissions, serializers, viewsets

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

    def _error_codes(self) -> list[str]:
        view = self.view
        codes = []
        writes = self.method in ("POST", "PUT", "PATCH")
        if writes or (self.method == "GET" and self._is_list_view()):
            codes.append("400")
        public = any(p is permissions.AllowAny for p in getattr(view, "permission_classes", []))
        if not public:
            codes += ["401", "403"]
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):
            codes.append("404")  # unknown object, or a page number past the end
        if self.method == "DELETE":
            codes.append("409")
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


class CompanyModelViewSet(CompanyScopedMixin, viewsets.ModelViewSet):
    """Base of every company-owned resource: members only, rules-checked, scoped to the
    caller's company so that another company's id is a 404. Subclasses of models that have
    services write through them in `perform_create`, `perform_update` and `perform_destroy`."""

    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    schema = AutoSchema()

    def perform_create(self, serializer):
        serializer.save(company=self.request.company)
