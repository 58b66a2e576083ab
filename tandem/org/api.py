"""REST resources of the org chart: departments, positions, employees and their job history.
Serializers check the shape of the input; the services in `org.services` apply the rules."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from tandem.core.api import CompanyModelViewSet
from tandem.core.drf import Conflict, FieldPermissionDenied
from tandem.core.permissions import is_people_admin

from . import services
from .models import (
    JOB_FIELDS,
    PRIVATE_FIELDS,
    Department,
    Employee,
    EmployeeStatus,
    JobHistory,
    Position,
)
from .selectors import subtree_ids

# ---------------------------------------------------------------------------------------------
# Serializers

_DISPLAY_NAME_HELP = gettext_lazy("The name in the language of the request.")


class DepartmentSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text=_DISPLAY_NAME_HELP)
    leader_name = serializers.CharField(
        source="leader.display_name", read_only=True, allow_null=True,
        help_text=gettext_lazy("The leader's name, or null."),
    )
    headcount = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy("People in this department itself (not its sub-departments) "
                               "who have not left."),
    )

    class Meta:
        model = Department
        fields = ["id", "name", "name_en", "display_name", "parent", "leader", "leader_name",
                  "headcount"]
        extra_kwargs = {
            "name": {"help_text": gettext_lazy("Name (Chinese), unique among its siblings.")},
            "name_en": {"help_text": gettext_lazy("English name; may be empty.")},
            "parent": {"help_text": gettext_lazy(
                "Parent department id, or null at the top. Change it to move the department "
                "with its subtree; it cannot move under itself.")},
            "leader": {"help_text": gettext_lazy(
                "Employee id of the leader, or null. The leader manages the whole subtree.")},
        }


class PositionSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text=_DISPLAY_NAME_HELP)
    department_name = serializers.CharField(
        source="department.display_name", read_only=True, allow_null=True,
        help_text=gettext_lazy("The department's name, or null."),
    )

    class Meta:
        model = Position
        fields = ["id", "title", "title_en", "display_name", "department", "department_name",
                  "description"]
        extra_kwargs = {
            "title": {"help_text": gettext_lazy("Title (Chinese), unique within its department.")},
            "title_en": {"help_text": gettext_lazy("English title; may be empty.")},
            "department": {"help_text": gettext_lazy(
                "Department id, or null for a position any department may use.")},
            "description": {"help_text": gettext_lazy("What the job is about.")},
        }


class CompanyUserField(serializers.PrimaryKeyRelatedField):
    """A user account with a membership in the caller's company, looked up per request."""

    def get_queryset(self):
        company = getattr(self.context.get("request"), "company", None)
        users = get_user_model().objects.all()
        return users.filter(memberships__company=company) if company else users.none()


_PRIVATE_HELP = gettext_lazy(
    "Private: present only for HR, finance, administrators and the employee themself; "
    "writable by HR and administrators only."
)
_JOB_CHANGE_HELP = gettext_lazy(
    "Changing it adds a job history entry that takes effect on `effective_date`."
)


class EmployeeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text=_DISPLAY_NAME_HELP)
    user = CompanyUserField(
        queryset=get_user_model().objects, required=False, allow_null=True,
        help_text=gettext_lazy("Id of the user account that signs in as this employee (a "
                               "member of the company), or null."),
    )
    department_name = serializers.CharField(
        source="department.display_name", read_only=True,
        help_text=gettext_lazy("The department's name."),
    )
    position_title = serializers.CharField(
        source="position.display_name", read_only=True, allow_null=True,
        help_text=gettext_lazy("The position's title, or null."),
    )
    manager_name = serializers.CharField(
        source="manager.display_name", read_only=True, allow_null=True,
        help_text=gettext_lazy("The manager's name, or null."),
    )
    effective_date = serializers.DateField(
        write_only=True, required=False,
        help_text=gettext_lazy("Updates only: the date a change of department, position or "
                               "manager takes effect (today when not given)."),
    )
    note = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200,
        help_text=gettext_lazy("Updates only: a note kept with the job change."),
    )

    class Meta:
        model = Employee
        fields = [
            "id", "employee_number", "name", "english_name", "display_name", "gender", "user",
            "email", "phone", "department", "department_name", "position", "position_title",
            "manager", "manager_name", "employment_type", "status", "hire_date",
            "probation_end_date", "leave_date", *PRIVATE_FIELDS, "effective_date", "note",
            "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Read by core.api.AutoSchema: left out of responses for callers who may not see them.
        optional_response_fields = PRIVATE_FIELDS
        extra_kwargs = {
            "employee_number": {"help_text": gettext_lazy("Unique within the company.")},
            "name": {"help_text": gettext_lazy("Name (Chinese).")},
            "english_name": {"help_text": gettext_lazy("English name; may be empty.")},
            "email": {"help_text": gettext_lazy("Work email.")},
            "phone": {"help_text": gettext_lazy(
                "Work phone: digits, spaces, dashes and an optional +.")},
            "department": {"help_text": _JOB_CHANGE_HELP},
            "position": {"help_text": _JOB_CHANGE_HELP},
            "manager": {"help_text": _JOB_CHANGE_HELP},
            "leave_date": {"help_text": gettext_lazy(
                "Required with the status “left”, and only then.")},
            **{name: {"help_text": _PRIVATE_HELP} for name in PRIVATE_FIELDS},
        }

    def validate(self, attrs):
        if self.instance is None:
            extra = [name for name in ("effective_date", "note") if name in attrs]
            if extra:
                message = _("Only used when changing an existing employee.")
                raise serializers.ValidationError({name: [message] for name in extra})
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.has_perm("org.view_employee_private", instance):
            for name in PRIVATE_FIELDS:
                data.pop(name, None)
        return data


class JobHistorySerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.display_name", read_only=True)
    position_title = serializers.CharField(
        source="position.display_name", read_only=True, allow_null=True
    )
    manager_name = serializers.CharField(
        source="manager.display_name", read_only=True, allow_null=True
    )
    recorded_by_username = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True,
        help_text=gettext_lazy("Who recorded the change, or null when done by the system."),
    )

    class Meta:
        model = JobHistory
        fields = ["id", "effective_date", "change", "department", "department_name", "position",
                  "position_title", "manager", "manager_name", "note", "recorded_by",
                  "recorded_by_username", "recorded_at"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Filters


def _departments(request):
    return Department.objects.all()


def _positions(request):
    return Position.objects.all()


def _employees(request):
    return Employee.objects.all()


class DepartmentFilter(filters.FilterSet):
    parent = filters.ModelChoiceFilter(
        queryset=_departments, help_text=gettext_lazy("Only the direct children of this department.")
    )
    is_root = filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull",
        help_text=gettext_lazy("true: only top-level departments; false: only the others."),
    )

    class Meta:
        model = Department
        fields = ["parent", "is_root"]


class PositionFilter(filters.FilterSet):
    department = filters.ModelChoiceFilter(
        queryset=_departments, help_text=gettext_lazy("Only the positions of this department.")
    )

    class Meta:
        model = Position
        fields = ["department"]


class EmployeeFilter(filters.FilterSet):
    department = filters.ModelChoiceFilter(
        queryset=_departments, help_text=gettext_lazy("Only the people of this department.")
    )
    include_subdepartments = filters.BooleanFilter(
        method="_applied_with_department",
        help_text=gettext_lazy("With `department`: include everyone in its sub-departments too."),
    )
    status = filters.ChoiceFilter(choices=EmployeeStatus.choices)
    position = filters.ModelChoiceFilter(queryset=_positions)
    manager = filters.ModelChoiceFilter(
        queryset=_employees, help_text=gettext_lazy("Only the direct reports of this employee.")
    )
    hire_date = filters.DateFromToRangeFilter(
        help_text=gettext_lazy("Hired on or after `hire_date_after` and on or before "
                               "`hire_date_before` (YYYY-MM-DD).")
    )

    class Meta:
        model = Employee
        fields = ["department", "include_subdepartments", "status", "position", "manager",
                  "hire_date"]

    def _applied_with_department(self, queryset, name, value: bool):
        return queryset  # read by filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        department = data.get("department")
        if department is None or not data.get("include_subdepartments"):
            return super().filter_queryset(queryset)
        data["department"] = None
        queryset = super().filter_queryset(queryset)
        company = getattr(self.request, "company", None) or department.company
        return queryset.filter(department__in=subtree_ids(company, [department.pk]))


# ---------------------------------------------------------------------------------------------
# Views


def _led_by(actor, employee: Employee) -> bool:
    """Someone a department leader may pick: a person in their subtree, or themself."""
    own = actor.employee
    return employee.department_id in actor.managed_department_ids or (
        own is not None and employee.pk == own.pk
    )


def _as_conflict(error: DjangoValidationError) -> Conflict:
    return Conflict(" ".join(str(m) for m in error.messages))


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
    filterset_class = DepartmentFilter
    search_fields = ["name", "name_en"]
    ordering_fields = ["name", "name_en"]

    def get_queryset(self):
        # An aggregate drops Meta.ordering, hence the explicit one.
        return Department.objects.select_related("leader").annotate(
            headcount=Count("employees", filter=~Q(employees__status=EmployeeStatus.LEFT))
        ).order_by("name", "pk")

    def _keep_within_led_subtree(self, data: dict, department: Department | None = None) -> None:
        """A leader (not HR) keeps what they create or move inside the subtree they lead and
        picks leaders from it; the department at the top of their subtree keeps its place and
        its leader, which are decided above them (as on the department form)."""
        if is_people_admin(self.request.user):
            return
        actor = self.request.actor
        led = actor.managed_department_ids
        changed = {
            name: data[name] for name in ("parent", "leader")
            if name in data and (department is None or data[name] != getattr(department, name))
        }
        if department is None:
            changed.setdefault("parent", None)
        errors = {}
        if department is not None and department.parent_id not in led:
            message = _("Where the top department you lead sits, and who leads it, is decided "
                        "above you.")
            errors = {name: [message] for name in changed}
        else:
            if "parent" in changed and (changed["parent"] is None
                                        or changed["parent"].pk not in led):
                errors["parent"] = [_("Choose a parent among the departments you lead.")]
            leader = changed.get("leader")
            if leader is not None and not _led_by(actor, leader):
                errors["leader"] = [_("Choose a leader from the departments you lead.")]
        if errors:
            raise serializers.ValidationError(errors)

    def perform_create(self, serializer):
        self._keep_within_led_subtree(serializer.validated_data)
        department = services.create_department(
            company=self.request.company, by=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=department.pk)

    def perform_update(self, serializer):
        self._keep_within_led_subtree(serializer.validated_data, serializer.instance)
        services.update_department(department=serializer.instance, by=self.request.user,
                                   **serializer.validated_data)
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
    filterset_class = EmployeeFilter
    search_fields = ["name", "english_name", "employee_number", "email", "phone"]
    ordering_fields = ["employee_number", "name", "english_name", "hire_date", "status"]
    action_permissions = {"job_history": "org.view_employee_history"}

    def get_queryset(self):
        return Employee.objects.select_related("department", "position", "manager")

    def _check_may_change(self, employee: Employee | None, changes: dict) -> None:
        """A department leader (let through by the object permission) changes job fields
        only, and keeps people inside the subtree they lead; private fields are for HR."""
        user = self.request.user
        refused: dict[str, list[str]] = {}
        detail = _("You may not change some of these fields.")
        leader_only = employee is not None and not is_people_admin(user)
        if leader_only:
            detail = _("As their manager you may change only the department, position and "
                       "manager.")
            message = _("Only HR and administrators can change this field.")
            refused |= {name: [message] for name in changes if name not in JOB_FIELDS}
        private = [name for name in changes if name in PRIVATE_FIELDS]
        if private and not user.has_perm("org.change_employee_private", employee):
            message = _("Only HR and administrators can change private fields.")
            refused |= {name: [message] for name in private}
        if refused:
            raise FieldPermissionDenied(detail, refused)
        if leader_only:
            self._keep_within_led_subtree(changes)

    def _keep_within_led_subtree(self, changes: dict) -> None:
        """A leader moves people only among the departments they lead, to positions of those
        departments (or of none), under managers from their subtree (as on the job form)."""
        actor = self.request.actor
        led = actor.managed_department_ids
        errors = {}
        department, position, manager = (changes.get(name) for name in (
            "department", "position", "manager"))
        if department is not None and department.pk not in led:
            errors["department"] = [_("Choose one of the departments you lead.")]
        if position is not None and position.department_id not in (None, *led):
            errors["position"] = [_("Choose a position of the departments you lead, or one "
                                    "open to any department.")]
        if manager is not None and not _led_by(actor, manager):
            errors["manager"] = [_("Choose a manager from the departments you lead.")]
        if errors:
            raise serializers.ValidationError(errors)

    def perform_create(self, serializer):
        self._check_may_change(None, serializer.validated_data)
        employee = services.create_employee(
            company=self.request.company, by=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=employee.pk)

    def perform_update(self, serializer):
        employee = serializer.instance
        data = dict(serializer.validated_data)
        effective_date = data.pop("effective_date", None)
        note = data.pop("note", "")
        changes = {name: value for name, value in data.items() if getattr(employee, name) != value}
        self._check_may_change(employee, changes)
        services.update_employee(
            employee=employee, by=self.request.user, effective_date=effective_date, note=note,
            **changes,
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
    def job_history(self, request, pk=None):
        employee = self.get_object()
        entries = JobHistory.objects.filter(employee=employee).select_related(
            "department", "position", "manager", "recorded_by"
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(JobHistorySerializer(page, many=True).data)
