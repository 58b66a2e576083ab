"""Viewsets of the org chart API: thin. The services in `org.services` apply the rules,
including what a department leader may change (given the request's actor)."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from tandem.core.api import CompanyModelViewSet
from tandem.core.drf import Conflict, FieldPermissionDenied
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409

from .. import services
from ..models import Department, Employee, EmployeeStatus, JobHistory, Position
from .filters import DepartmentFilter, EmployeeFilter, PositionFilter
from .serializers import (
    DepartmentSerializer,
    EmployeeSerializer,
    JobHistorySerializer,
    PositionSerializer,
)


def _as_conflict(error: DjangoValidationError) -> Conflict:
    return Conflict(" ".join(str(m) for m in error.messages))


@contextmanager
def _field_refusals_as_403():
    """A leader's change of fields that are not theirs to change: 403 naming those fields
    (the exception handler would drop the names of a plain PermissionDenied)."""
    try:
        yield
    except services.FieldsRefused as refusal:
        raise FieldPermissionDenied(refusal.detail, refusal.errors) from refusal


@extend_schema_view(
    list=extend_schema(description=gettext_lazy("Departments of the company, by name.")),
    partial_update=extend_schema(description=gettext_lazy(
        "Rename, change the leader, or move the department (PATCH `parent`). A leader may only "
        "edit departments they lead, and keep them under one they lead.")),
    destroy=extend_schema(description=gettext_lazy(
        "Only an empty department can be deleted: 409 while it has sub-departments, people, "
        "positions or job history.")),
)
class DepartmentViewSet(CompanyModelViewSet):
    """The department tree. Everyone in the company reads it; HR and administrators maintain it,
    and a department leader maintains the subtree they lead."""

    queryset = Department.objects
    serializer_class = DepartmentSerializer
    schema = VersionedAutoSchema()
    filterset_class = DepartmentFilter
    search_fields = ["name", "name_en"]
    ordering_fields = ["name", "name_en"]

    def get_queryset(self):
        # An aggregate drops Meta.ordering, hence the explicit one.
        return Department.objects.select_related("leader").annotate(
            headcount=Count("employees", filter=~Q(employees__status=EmployeeStatus.LEFT))
        ).order_by("name", "pk")

    def perform_create(self, serializer):
        department = services.create_department(
            company=self.request.company, by=self.request.user, actor=self.request.actor,
            **serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=department.pk)

    def perform_update(self, serializer):
        with edit_conflicts_as_409():
            services.update_department(department=serializer.instance, by=self.request.user,
                                       actor=self.request.actor, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        try:
            services.delete_department(department=instance, by=self.request.user)
        except DjangoValidationError as error:
            raise _as_conflict(error) from error


@extend_schema_view(
    destroy=extend_schema(description=gettext_lazy(
        "409 while people still hold the position.")),
)
class PositionViewSet(CompanyModelViewSet):
    """Positions (job titles), of one department or of none. Everyone in the company reads them;
    HR and administrators maintain them."""

    queryset = Position.objects
    serializer_class = PositionSerializer
    schema = VersionedAutoSchema()
    filterset_class = PositionFilter
    search_fields = ["title", "title_en"]
    ordering_fields = ["title", "title_en"]

    def get_queryset(self):
        return Position.objects.select_related("department").order_by("title", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.create_position(
            company=self.request.company, by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        with edit_conflicts_as_409():
            services.update_position(position=serializer.instance, by=self.request.user,
                                     **serializer.validated_data)

    def perform_destroy(self, instance):
        try:
            services.delete_position(position=instance, by=self.request.user)
        except DjangoValidationError as error:
            raise _as_conflict(error) from error


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "The company's employees. Private fields appear only on the records the caller may "
        "see them on.")),
    partial_update=extend_schema(description=gettext_lazy(
        "HR and administrators may change everything. A department leader may change only the "
        "department (within their subtree), position and manager of the people below them, "
        "with `effective_date` and `note`; other fields give 403.")),
    destroy=extend_schema(description=gettext_lazy(
        "Removes a record entered by mistake (people who worked here are marked as left "
        "instead); 409 while others report to them or they lead a department.")),
)
class EmployeeViewSet(CompanyModelViewSet):
    """Employee records. Everyone in the company reads the directory; HR and administrators
    maintain it. Private fields are present only for HR, finance, administrators and the
    employee themself."""

    queryset = Employee.objects
    serializer_class = EmployeeSerializer
    schema = VersionedAutoSchema()
    filterset_class = EmployeeFilter
    search_fields = ["name", "english_name", "employee_number", "email", "phone"]
    ordering_fields = ["employee_number", "name", "english_name", "hire_date", "status"]
    action_permissions = {"job_history": "org.view_employee_history"}

    def get_queryset(self):
        return Employee.objects.select_related("department", "position", "manager")

    def perform_create(self, serializer):
        with _field_refusals_as_403():
            employee = services.create_employee(
                company=self.request.company, by=self.request.user, actor=self.request.actor,
                **serializer.validated_data,
            )
        serializer.instance = self.get_queryset().get(pk=employee.pk)

    def perform_update(self, serializer):
        employee = serializer.instance
        data = dict(serializer.validated_data)
        effective_date = data.pop("effective_date", None)
        note = data.pop("note", "")
        version = data.pop("version")
        changes = {name: value for name, value in data.items() if getattr(employee, name) != value}
        with _field_refusals_as_403(), edit_conflicts_as_409():
            services.update_employee(
                employee=employee, by=self.request.user, actor=self.request.actor,
                version=version, effective_date=effective_date, note=note, **changes,
            )
        serializer.instance = self.get_queryset().get(pk=employee.pk)

    def perform_destroy(self, instance):
        try:
            services.delete_employee(employee=instance, by=self.request.user)
        except DjangoValidationError as error:
            raise _as_conflict(error) from error

    @extend_schema(
        operation_id="employees_job_history_list",
        responses=JobHistorySerializer(many=True),
        description=gettext_lazy(
            "Where the employee worked from which date, newest first. For HR, administrators, "
            "their manager and the employee themself."),
    )
    @action(detail=True, methods=["get"], url_path="job-history", filter_backends=[])
    def job_history(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        employee = self.get_object()
        entries = JobHistory.objects.filter(employee=employee).select_related(
            "department", "position", "manager", "recorded_by"
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(JobHistorySerializer(page, many=True).data)
