"""Viewsets of the KPI API: thin. `kpis.services` and `kpis.links` validate, check what the
request's actor may do and write; `kpis.selectors` says which assignments a list holds."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets

from tandem.core.api import (
    AutoSchema,
    CompanyModelViewSet,
    CompanyScopedMixin,
    FilterBackend,
    IsCompanyMember,
    json_type_errors,
)
from tandem.core.drf import Conflict, JSONParser
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409

from .. import links, selectors, services
from ..models import Indicator, KeyResultLink, Measurement
from .filters import IndicatorFilter, KeyResultLinkFilter
from .permissions import KpiPermission
from .serializers import (
    KpiIndicatorSerializer,
    KpiKeyResultLinkSerializer,
    KpiMeasurementSerializer,
)

_FIXED = gettext_lazy("This cannot change after creation.")


def as_conflict(error: DjangoValidationError) -> Conflict:
    return Conflict(" ".join(str(m) for m in error.messages))


def changes(instance, data: dict) -> dict:
    return {name: value for name, value in data.items() if getattr(instance, name) != value}


def refuse_fixed(instance, data: dict, names) -> None:
    """400 on the fields that are fixed after creation when the body changes them."""
    fixed = [name for name in names if name in data and data[name] != getattr(instance, name)]
    if fixed:
        raise DjangoValidationError({name: [str(_FIXED)] for name in fixed})


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "The company's KPI library; every member reads it.")),
    destroy=extend_schema(description=gettext_lazy(
        "409 while the indicator is assigned: deactivate it instead.")),
)
class IndicatorViewSet(CompanyModelViewSet):
    """The KPI library: indicators with their attainment rule. HR and administrators keep
    it."""

    queryset = Indicator.objects
    serializer_class = KpiIndicatorSerializer
    parser_classes = [JSONParser]  # lists and flags: JSON only (documented so)
    schema = VersionedAutoSchema()
    filterset_class = IndicatorFilter
    search_fields = ["code", "name", "name_en"]
    ordering_fields = ["code", "name", "category"]

    def get_queryset(self):
        return Indicator.objects.order_by("code", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.create_indicator(
            company=self.request.company, actor=self.request.actor, by=self.request.user,
            **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        with edit_conflicts_as_409():
            services.update_indicator(indicator=serializer.instance, version=version,
                                      actor=self.request.actor, by=self.request.user,
                                      **changes(serializer.instance, data))

    def perform_destroy(self, instance):
        try:
            services.delete_indicator(indicator=instance, actor=self.request.actor)
        except DjangoValidationError as error:
            raise as_conflict(error) from error


class KpiViewSetMixin(CompanyScopedMixin):
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, KpiPermission]
    parser_classes = [JSONParser]  # lists and flags: JSON only (documented so)
    schema = AutoSchema()
    lookup_value_regex = "[^/]+"


@extend_schema_view(
    retrieve=extend_schema(description=gettext_lazy(
        "A figure with its trace: who recorded it, or the check-in and key result it came "
        "from.")),
    destroy=extend_schema(description=gettext_lazy(
        "Removes a figure entered, imported or sent through the API (by whoever may record "
        "figures on the KPI). A figure from a key result goes with its link: 409; so does any "
        "figure of a closed cycle.")),
)
class MeasurementViewSet(KpiViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                         viewsets.GenericViewSet):
    """One KPI figure."""

    serializer_class = KpiMeasurementSerializer
    object_permissions = {"retrieve": "kpis.view_assignment",
                          "destroy": "kpis.add_measurement"}

    def get_queryset(self):
        return Measurement.objects.select_related(
            "assignment", "assignment__employee", "assignment__department", "assignment__cycle",
            "link", "recorded_by")

    @staticmethod
    def rule_object(measurement):
        return measurement.assignment

    def perform_destroy(self, instance):
        try:
            services.delete_measurement(measurement=instance, actor=self.request.actor)
        except DjangoValidationError as error:
            raise as_conflict(error) from error


def _may_unlink(request, link) -> bool:
    return links.may_link(request.actor, link.key_result, link.assignment)


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "Key results feeding KPI assignments: those of the assignments the caller may read.")),
    create=extend_schema(description=gettext_lazy(
        "Link a key result to a KPI assignment: its check-ins so far, and every later one, "
        "become the assignment's figures (value × factor). Whoever may change the key result "
        "and manages or holds the assignment; HR and administrators.")),
    destroy=extend_schema(description=gettext_lazy(
        "Unlink: the figures the link brought are removed and the KPI recomputed.")),
)
class KeyResultLinkViewSet(KpiViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin,
                           mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                           viewsets.GenericViewSet):
    serializer_class = KpiKeyResultLinkSerializer
    filter_backends = [FilterBackend]
    filterset_class = KeyResultLinkFilter
    object_permissions = {"retrieve": "kpis.view_assignment", "destroy": _may_unlink}

    @staticmethod
    def rule_object(link):
        return link.assignment

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return KeyResultLink.objects.none()
        if self.action == "list":
            return selectors.visible_links(self.request.actor).order_by("pk")
        return KeyResultLink.objects.select_related(
            "key_result", "key_result__owner", "key_result__objective", "assignment",
            "assignment__employee", "assignment__department", "assignment__indicator")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            errors = json_type_errors(serializer, kwargs["data"])
            if errors:
                raise exceptions.ValidationError(errors)
        return serializer

    def perform_create(self, serializer):
        created = links.link(actor=self.request.actor, by=self.request.user,
                             **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_destroy(self, instance):
        links.unlink(key_result_link=instance, actor=self.request.actor)
