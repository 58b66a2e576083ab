"""API endpoints about the caller: obtaining a token, and who am I in which company."""

import math

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .api import AutoSchema, CompanyScopedMixin, ErrorSerializer, IsCompanyMember
from .http import client_ip
from .models import Membership


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text=gettext_lazy("Your user name."))
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"},
        help_text=gettext_lazy("Your password."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("Send it with every call as `Authorization: Token <token>`. "
                               "The same token is returned until it is revoked."),
    )


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


def _lockout_message(request) -> str:
    cool_off = get_cool_off(request)
    if not cool_off:
        return _("Too many failed sign-in attempts. Ask an administrator to unlock the account.")
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    return _(
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes."
    ) % {"minutes": minutes}


class TokenRateThrottle(ScopedRateThrottle):
    """Counts per client address as django-axes sees it (`core.http.client_ip`): DRF's own
    guess trusts X-Forwarded-For whole, which a client could vary to dodge the limit."""

    def get_ident(self, request):
        return client_ip(request) or super().get_ident(request)


class ObtainTokenView(APIView):
    """Exchange a user name and password for the user's API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenRateThrottle]
    throttle_scope = "token"
    schema = AutoSchema()

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            403: OpenApiResponse(ErrorSerializer, description=gettext_lazy(
                "Right password, but the account is not an active member of any company.")),
            429: OpenApiResponse(ErrorSerializer, description=gettext_lazy(
                "Locked out after too many failed attempts, or too many requests.")),
        },
        auth=[],
        description=gettext_lazy(
            "Returns the user's API token (created on first use). Failed attempts count toward "
            "the sign-in lock-out: after too many failures for a user name or an address (5 by "
            "default), attempts are refused with 429 for a while (15 minutes by default), even "
            "with the right password. A user without an active company membership gets 403."
        ),
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # The DRF request goes to the backends: django-axes records the failure and flags a
        # locked-out request on it (without its middleware replacing our response).
        user = authenticate(request, **form.validated_data)
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(_lockout_message(request))
            raise exceptions.ValidationError(
                {"non_field_errors": [_("The user name or password is not correct.")]}
            )
        if not Membership.objects.filter(user=user, is_active=True).exists():
            raise exceptions.PermissionDenied(
                _("This account is not an active member of any company.")
            )
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("User account id."))
    username = serializers.CharField(help_text=gettext_lazy("User name used to sign in."))
    name = serializers.CharField(
        help_text=gettext_lazy("Name from the employee record in the active language, or the "
                               "user name when there is no employee record.")
    )


class MeCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Company id."))
    name = serializers.CharField(help_text=gettext_lazy("Company name (Chinese)."))
    name_en = serializers.CharField(help_text=gettext_lazy("Company name in English; may be empty."))


class MePermissionsSerializer(serializers.Serializer):
    can_add_department = serializers.BooleanField()
    can_add_position = serializers.BooleanField()
    can_add_employee = serializers.BooleanField()
    can_view_employee_private = serializers.BooleanField(
        help_text=gettext_lazy("May read everyone's private fields (one's own are always visible).")
    )
    can_change_employee_private = serializers.BooleanField()
    can_change_company = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    user = MeUserSerializer()
    company = MeCompanySerializer(help_text=gettext_lazy("The company this call acts in."))
    role = serializers.ChoiceField(
        choices=Membership._meta.get_field("role").choices,
        help_text=gettext_lazy("Role in the company."),
    )
    is_manager = serializers.BooleanField(
        help_text=gettext_lazy("Leads a department (and so manages its whole subtree).")
    )
    managed_department_ids = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=gettext_lazy("Departments this person leads, with every department below them."),
    )
    employee_id = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Own employee record, if any.")
    )
    permissions = MePermissionsSerializer(
        help_text=gettext_lazy("What the interface may offer this person.")
    )


COLLECTION_PERMISSIONS = {
    "can_add_department": "org.add_department",
    "can_add_position": "org.add_position",
    "can_add_employee": "org.add_employee",
    "can_view_employee_private": "org.view_employee_private",
    "can_change_employee_private": "org.change_employee_private",
    "can_change_company": "core.change_company",
}


class MeView(CompanyScopedMixin, APIView):
    """Who is calling, in which company and role."""

    permission_classes = [permissions.IsAuthenticated, IsCompanyMember]
    schema = AutoSchema()

    @extend_schema(
        operation_id="me_retrieve",
        tags=["me"],
        responses={200: MeSerializer},
        description=gettext_lazy(
            "The caller: user, current company (this is also the company endpoint: there is no "
            "separate /companies/current/), role, department leadership and the permissions that "
            "shape the interface."
        ),
    )
    def get(self, request):
        actor = request.actor
        employee = actor.employee
        user = request.user
        data = {
            "user": {
                "id": user.pk,
                "username": user.get_username(),
                "name": employee.display_name if employee else user.get_username(),
            },
            "company": {
                "id": actor.company.pk, "name": actor.company.name,
                "name_en": actor.company.name_en,
            },
            "role": actor.role,
            "is_manager": actor.is_manager,
            "managed_department_ids": sorted(actor.managed_department_ids),
            "employee_id": employee.pk if employee else None,
            "permissions": {key: user.has_perm(perm) for key, perm in COLLECTION_PERMISSIONS.items()},
        }
        return Response(MeSerializer(data).data)
