"""KPI assignments over the API: the list (only what the caller may read), one assignee or
many at once, their figures (`measurements`), and the Excel import of figures. Thin: the
services write, `kpis.rules` decides per object, `kpis.selectors` filters the lists."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from tandem.core.api import FilterBackend, json_type_errors
from tandem.core.drf import JSONParser
from tandem.core.permissions import is_people_admin
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409

from .. import imports, selectors, services
from ..models import Assignment, Measurement, MeasurementSource
from .filters import AssignmentFilter
from .serializers import (
    KpiAssignmentSerializer,
    KpiBulkAssignmentSerializer,
    KpiImportRequestSerializer,
    KpiImportResultSerializer,
    KpiMeasurementInputSerializer,
    KpiMeasurementSerializer,
)
from .views import KpiViewSetMixin, as_conflict, changes, refuse_fixed

FIXED_FIELDS = ("cycle", "indicator", "employee", "department", "position")
MAX_MEASUREMENTS = 500

MEASUREMENTS_IN = PolymorphicProxySerializer(
    component_name="KpiMeasurementsInput",
    serializers=[KpiMeasurementInputSerializer, KpiMeasurementInputSerializer(many=True)],
    resource_type_field_name=None, many=False)
MEASUREMENTS_OUT = PolymorphicProxySerializer(
    component_name="KpiMeasurementsRecorded",
    serializers=[KpiMeasurementSerializer, KpiMeasurementSerializer(many=True)],
    resource_type_field_name=None, many=False)


def body(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    errors = json_type_errors(serializer, data)
    if errors:
        raise exceptions.ValidationError(errors)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def may_import(request) -> bool:
    """HR, administrators and department leaders (each row is checked again)."""
    actor = request.actor
    return actor is not None and (is_people_admin(request.user) or actor.is_manager)


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "KPI assignments the caller may read: HR and administrators all; anyone else their "
        "own, those of the people and departments they lead, and every department's and "
        "position's.")),
    create=extend_schema(description=gettext_lazy(
        "Give an indicator for a cycle to one employee, department or position (a position's "
        "is inherited by everyone in it). HR and administrators anywhere; a leader to the "
        "people and departments below them. An assignee's weights add up to at most 100 %.")),
    destroy=extend_schema(description=gettext_lazy(
        "Deletes the assignment with its figures; 409 in a closed cycle.")),
)
class AssignmentViewSet(KpiViewSetMixin, viewsets.ModelViewSet):
    serializer_class = KpiAssignmentSerializer
    schema = VersionedAutoSchema()
    filter_backends = [FilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = AssignmentFilter
    search_fields = ["indicator__code", "indicator__name", "employee__name"]
    ordering_fields = ["score", "attainment", "weight"]
    object_permissions = {
        "retrieve": "kpis.view_assignment", "update": "kpis.change_assignment",
        "partial_update": "kpis.change_assignment", "destroy": "kpis.delete_assignment",
        "measurements": "kpis.view_assignment", "add_measurements": "kpis.add_measurement",
    }

    def may_use(self, request) -> bool:
        if self.action == "import_measurements":
            return may_import(request)
        return True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        if self.action == "list":
            assignments = selectors.visible_assignments(self.request.actor)
        else:
            assignments = selectors.assignments_with_relations()
        return assignments.prefetch_related(selectors.links_prefetch()).order_by(
            "cycle_id", "indicator__code", "pk")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            errors = json_type_errors(serializer, kwargs["data"])
            if errors:
                raise exceptions.ValidationError(errors)
        return serializer

    def _reload(self, serializer, pk):
        serializer.instance = self.get_queryset().get(pk=pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        assignment = services.assign(actor=self.request.actor, by=self.request.user, **data)
        self._reload(serializer, assignment.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        refuse_fixed(serializer.instance, data, FIXED_FIELDS)
        for name in FIXED_FIELDS:
            data.pop(name, None)
        with edit_conflicts_as_409():
            services.update_assignment(assignment=serializer.instance, version=version,
                                       actor=self.request.actor, by=self.request.user,
                                       **changes(serializer.instance, data))
        self._reload(serializer, serializer.instance.pk)

    def perform_destroy(self, instance):
        try:
            services.delete_assignment(assignment=instance, actor=self.request.actor)
        except DjangoValidationError as error:
            raise as_conflict(error) from error

    @extend_schema(request=KpiBulkAssignmentSerializer,
                   responses={201: KpiAssignmentSerializer(many=True)},
                   description=gettext_lazy(
                       "The same indicator, target and weight to many people at once: all "
                       "or nothing, every refusal named. 403 when any of them is not the "
                       "caller's to assign."))
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request, format=None):  # noqa: A002 (DRF's name)
        data = dict(body(KpiBulkAssignmentSerializer, request.data))
        created = services.bulk_assign(actor=request.actor, by=request.user, **data)
        rows = self.get_queryset().filter(pk__in=[a.pk for a in created])
        return Response(KpiAssignmentSerializer(rows, many=True).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="kpi_assignments_measurements_list",
                   responses=KpiMeasurementSerializer(many=True), description=gettext_lazy(
                       "The assignment's figures, oldest first, each with its source and "
                       "trace (check-in and key result, or who recorded it)."))
    @action(detail=True, methods=["get"], filter_backends=[])
    def measurements(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        assignment = self.get_object()
        figures = (Measurement.objects.filter(assignment=assignment)
                   .select_related("link", "recorded_by").order_by("date", "pk"))
        page = self.paginate_queryset(figures)
        return self.get_paginated_response(KpiMeasurementSerializer(page, many=True).data)

    @extend_schema(operation_id="kpi_assignments_measurements_create", request=MEASUREMENTS_IN,
                   responses={201: MEASUREMENTS_OUT}, description=gettext_lazy(
                       "Record one figure (an object) or several (a list), all or nothing; "
                       "the answer has the same shape. Source \"api\". Errors of a list are "
                       "keyed by position: \"0.value\". Whoever may record figures on the KPI "
                       "(HR, administrators, the leaders above the assignee)."))
    @measurements.mapping.post
    def add_measurements(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        assignment = self.get_object()
        many = isinstance(request.data, list)
        items = request.data if many else [request.data]
        if many and not 1 <= len(items) <= MAX_MEASUREMENTS:
            raise exceptions.ValidationError({"non_field_errors": [str(gettext_lazy(
                "Send from 1 to %(max)s figures at a time.") % {"max": MAX_MEASUREMENTS})]})
        rows, errors = [], {}
        for index, item in enumerate(items):
            try:
                rows.append({"assignment": assignment,
                             **body(KpiMeasurementInputSerializer, item)})
            except exceptions.ValidationError as error:
                detail = error.detail if isinstance(error.detail, dict) else {
                    "non_field_errors": error.detail}
                for field, messages in detail.items():
                    errors[f"{index}.{field}" if many else field] = messages
        if errors:
            raise exceptions.ValidationError(errors)
        created = services.record_measurements(rows=rows, source=MeasurementSource.API,
                                               actor=request.actor, by=request.user)
        created = list(Measurement.objects.filter(pk__in=[m.pk for m in created])
                       .select_related("link", "recorded_by").order_by("pk"))
        data = KpiMeasurementSerializer(created, many=True).data
        return Response(data if many else data[0], status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="kpi_assignments_import", request={
        "multipart/form-data": KpiImportRequestSerializer},
        responses={200: KpiImportResultSerializer}, description=gettext_lazy(
            "Import figures from an Excel workbook for a cycle: one row per figure (employee "
            "number or department name, indicator code, date, value, note). All or nothing: "
            "400 with every row's errors (`errors` keyed \"row N\", or \"file\"), or 200 "
            "with the counts. HR, administrators and department leaders, for the KPIs they "
            "may record figures on."))
    @action(detail=False, methods=["post"], url_path="import", filter_backends=[],
            pagination_class=None, parser_classes=[MultiPartParser, JSONParser])
    def import_measurements(self, request, format=None):  # noqa: A002 (DRF's name)
        data = body(KpiImportRequestSerializer, request.data)
        result = imports.import_measurements(company=request.company, cycle=data["cycle"],
                                             uploaded_file=data["file"], actor=request.actor,
                                             by=request.user)
        if not result.ok:
            raise ImportRefused(result)
        return Response(KpiImportResultSerializer(result.as_dict()).data)


class ImportRefused(exceptions.ValidationError):
    """400 with the row errors: `errors` maps "row N" (or "file") to its messages."""

    def __init__(self, result):
        detail: dict[str, list[str]] = {}
        for error in result.errors:
            key = f"row {error.row}" if error.row is not None else "file"
            column = f"{error.column}: " if error.column else ""
            detail.setdefault(key, []).append(f"{column}{error.message}")
        super().__init__(detail)

