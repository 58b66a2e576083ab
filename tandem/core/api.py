"""API base classes shared by every app: the company scope for token-authenticated calls and the
permission class that asks `rules`."""

from django_scopes import scope
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from .actor import resolve_actor
from .middleware import SESSION_COMPANY_KEY


class IsCompanyMember(permissions.BasePermission):
    message = "You are not a member of any company."

    def has_permission(self, request, view):
        return request.user.is_authenticated and getattr(request, "company", None) is not None


class RulesPermission(permissions.BasePermission):
    """Maps the HTTP method to `app.verb_model` and asks `rules`, for the collection and then for
    the object. A viewset names its model through `queryset`, or `permission_model`."""

    verbs = {
        "GET": "view", "HEAD": "view", "OPTIONS": "view",
        "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete",
    }

    def _perm(self, request, view) -> str:
        model = getattr(view, "permission_model", None) or view.queryset.model
        verb = self.verbs.get(request.method, "change")
        return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"

    def has_permission(self, request, view):
        perm = self._perm(request, view)
        if request.method == "POST" or getattr(view, "action", None) == "list":
            return request.user.has_perm(perm)
        # Object-level methods are decided in has_object_permission, where the object is known.
        return request.user.has_perm(f"{perm.split('.')[0]}.view_{perm.split('_', 1)[1]}")

    def has_object_permission(self, request, view, obj):
        return request.user.has_perm(self._perm(request, view), obj)


class CompanyScopedMixin:
    """Opens `scope(company=...)` once DRF has authenticated the request (token or session), and
    closes it when the response is finalised."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        actor = resolve_actor(request.user, request.session.get(SESSION_COMPANY_KEY)
                              if hasattr(request, "session") else None)
        request._request.actor = actor
        request._request.company = actor.company if actor else None
        self._company_scope = scope(company=actor.company.pk if actor else [])
        self._company_scope.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        company_scope = getattr(self, "_company_scope", None)
        if company_scope is not None:
            company_scope.__exit__(None, None, None)
            self._company_scope = None
        return super().finalize_response(request, response, *args, **kwargs)


class CompanyModelViewSet(CompanyScopedMixin, viewsets.ModelViewSet):
    """Base of every company-owned resource: members only, rules-checked, scoped to the
    caller's company so that another company's id is a 404."""

    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]

    def perform_create(self, serializer):
        serializer.save(company=self.request.company)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)
