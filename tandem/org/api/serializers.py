"""Serializers of the org chart API: they check the shape of the input; the services in
`org.services` apply the rules."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from tandem.core.versioning import VersionedModelSerializer

from ..models import EMPLOYMENT_DATES, PRIVATE_FIELDS, Department, Employee, JobHistory, Position

_DISPLAY_NAME_HELP = gettext_lazy("The name in the language of the request.")


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id must be an integer (or a string of digits): DRF would take 1.5 for 1, and an
    integer too large for the database, or a float like 1e400, would fail in the query."""

    def to_internal_value(self, data):
        if isinstance(data, str) and data.isascii() and data.isdigit():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= 2**63 - 1:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class OrgSerializer(VersionedModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField


class DepartmentSerializer(OrgSerializer):
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
                  "headcount", "version"]
        extra_kwargs = {
            "name": {"help_text": gettext_lazy("Name (Chinese), unique among its siblings.")},
            "name_en": {"help_text": gettext_lazy("English name; may be empty.")},
            "parent": {"help_text": gettext_lazy(
                "Parent department id, or null at the top. Change it to move the department "
                "with its subtree; it cannot move under itself.")},
            "leader": {"help_text": gettext_lazy(
                "Employee id of the leader, or null. The leader manages the whole subtree.")},
        }


class PositionSerializer(OrgSerializer):
    display_name = serializers.CharField(read_only=True, help_text=_DISPLAY_NAME_HELP)
    department_name = serializers.CharField(
        source="department.display_name", read_only=True, allow_null=True,
        help_text=gettext_lazy("The department's name, or null."),
    )

    class Meta:
        model = Position
        fields = ["id", "title", "title_en", "display_name", "department", "department_name",
                  "description", "version"]
        extra_kwargs = {
            "title": {"help_text": gettext_lazy("Title (Chinese), unique within its department.")},
            "title_en": {"help_text": gettext_lazy("English title; may be empty.")},
            "department": {"help_text": gettext_lazy(
                "Department id, or null for a position any department may use.")},
            "description": {"help_text": gettext_lazy("What the job is about.")},
        }


class CompanyUserField(StrictPrimaryKeyRelatedField):
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


class EmployeeSerializer(OrgSerializer):
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
        write_only=True, required=False, validators=[EMPLOYMENT_DATES],
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
            "created_at", "updated_at", "version",
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
        attrs = super().validate(attrs)
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
