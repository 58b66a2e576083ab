"""The caller's own notifications over the API: list, mark one read, mark all read. Another
person's notification is a 404 like another company's."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import AutoSchema, CompanyScopedMixin, FilterBackend, IsCompanyMember

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    category = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "What it is about (goals, pay, ...): people mute notifications by category."))
    title = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "In the language of the request."))
    body = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "In the language of the request; may be empty."))
    actor_name = serializers.SerializerMethodField(help_text=gettext_lazy(
        "Who did what this is about; null when nobody in particular."))

    class Meta:
        model = Notification
        fields = ["id", "kind", "category", "title", "body", "url", "actor_name", "created_at",
                  "read_at"]
        read_only_fields = fields

    def get_actor_name(self, notification) -> str | None:
        return notification.actor.display_name if notification.actor_id else None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "How many notifications were unread and are now read."))


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull",
                                   help_text=gettext_lazy("true: only the unread ones."))

    class Meta:
        model = Notification
        fields = ["unread"]


@extend_schema_view(list=extend_schema(description=gettext_lazy(
    "The caller's own notifications, newest first.")))
class NotificationViewSet(CompanyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Notifications of the calling member. A member without an employee record has none."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember]
    filter_backends = [FilterBackend]
    filterset_class = NotificationFilter
    schema = AutoSchema()
    lookup_value_regex = "[^/]+"
    queryset = Notification.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.notifications_for(self.request.actor.employee)

    @extend_schema(request=None, responses=NotificationSerializer, description=gettext_lazy(
        "Mark one of your notifications read (again is harmless)."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        notification = self.get_object()
        services.mark_read(notification=notification, by=request.actor.employee)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer, description=gettext_lazy(
        "Mark all your notifications read."))
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[],
            pagination_class=None)
    def read_all(self, request, format=None):  # noqa: A002 (DRF's name)
        employee = request.actor.employee
        marked = services.mark_all_read(by=employee) if employee is not None else 0
        return Response({"marked": marked})
