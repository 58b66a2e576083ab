"""Filters of the org chart API lists (django-filter)."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters

from ..models import Department, Employee, EmployeeStatus, Position
from ..selectors import subtree_ids


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
