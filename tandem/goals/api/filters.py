"""Filters of the OKR API lists (django-filter)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tandem.org.models import Department, Employee

from ..models import Cycle, CycleKind, CycleStatus, KeyResult, Level, Objective, ObjectiveStatus


def _cycles(request):
    return Cycle.objects.all()


def _departments(request):
    return Department.objects.all()


def _employees(request):
    return Employee.objects.all()


def _objectives(request):
    return Objective.objects.all()


@extend_schema_field(OpenApiTypes.INT)
class DepartmentIdFilter(filters.ModelChoiceFilter):
    """A department id (the filter runs a method, so the schema cannot infer the type)."""


def _key_results(request):
    return KeyResult.objects.all()


class CycleFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CycleKind.choices)
    status = filters.ChoiceFilter(choices=CycleStatus.choices)
    parent = filters.ModelChoiceFilter(queryset=_cycles, help_text=gettext_lazy(
        "Only the cycles inside this one."))

    class Meta:
        model = Cycle
        fields = ["kind", "status", "parent"]


class ObjectiveFilter(filters.FilterSet):
    cycle = filters.ModelChoiceFilter(queryset=_cycles,
                                      help_text=gettext_lazy("Only the objectives of this cycle."))
    level = filters.ChoiceFilter(choices=Level.choices)
    status = filters.ChoiceFilter(choices=ObjectiveStatus.choices)
    owner = filters.ModelChoiceFilter(
        field_name="owner_employee", queryset=_employees,
        help_text=gettext_lazy("Only the individual objectives of this employee."))
    department = DepartmentIdFilter(
        queryset=_departments, method="filter_department",
        help_text=gettext_lazy("The objectives of this department and of the people in it."))
    parent = filters.ModelChoiceFilter(queryset=_objectives,
                                       help_text=gettext_lazy("Only the objectives aligned to "
                                                              "this one."))

    class Meta:
        model = Objective
        fields = ["cycle", "level", "status", "owner", "department", "parent"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(Q(owner_department=value) | Q(owner_employee__department=value))


class KeyResultFilter(filters.FilterSet):
    objective = filters.ModelChoiceFilter(queryset=_objectives)
    owner = filters.ModelChoiceFilter(queryset=_employees)
    parent_key_result = filters.ModelChoiceFilter(
        queryset=_key_results, help_text=gettext_lazy("Only the key results cascaded from this one."))

    class Meta:
        model = KeyResult
        fields = ["objective", "owner", "parent_key_result"]
