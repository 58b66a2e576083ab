"""Filters of the KPI API lists (django-filter)."""

import json

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters

from tandem.goals.api.filters import DepartmentIdFilter
from tandem.goals.models import Cycle, KeyResult
from tandem.org.models import Department, Employee, Position

from .. import selectors
from ..models import Assignment, Indicator, KeyResultLink


def _cycles(request):
    return Cycle.objects.all()


def _departments(request):
    return Department.objects.all()


def _employees(request):
    return Employee.objects.all()


def _positions(request):
    return Position.objects.all()


def _indicators(request):
    return Indicator.objects.all()


def _assignments(request):
    return Assignment.objects.all()


def _key_results(request):
    return KeyResult.objects.all()


class IndicatorFilter(filters.FilterSet):
    category = filters.CharFilter(help_text=gettext_lazy("Only this category."))
    tag = filters.CharFilter(method="filter_tag", help_text=gettext_lazy(
        "Only the indicators with this tag."))
    active = filters.BooleanFilter()

    class Meta:
        model = Indicator
        fields = ["category", "tag", "active"]

    def filter_tag(self, queryset, name, value):
        if connection.features.supports_json_field_contains:
            return queryset.filter(tags__contains=[value])
        # SQLite keeps the list as JSON text (non-ASCII escaped): match the quoted word.
        return queryset.filter(tags__icontains=json.dumps(value))


class AssignmentFilter(filters.FilterSet):
    cycle = filters.ModelChoiceFilter(queryset=_cycles)
    employee = filters.ModelChoiceFilter(queryset=_employees, help_text=gettext_lazy(
        "Only this person's assignments (their own and those inherited from their position)."))
    department = DepartmentIdFilter(queryset=_departments, method="filter_department",
                                    help_text=gettext_lazy(
                                        "The department's assignments and those of the people "
                                        "in it."))
    position = filters.ModelChoiceFilter(queryset=_positions, help_text=gettext_lazy(
        "Only the position's own assignments (its KPI set given for a cycle)."))
    indicator = filters.ModelChoiceFilter(queryset=_indicators)
    mine = filters.BooleanFilter(method="filter_mine", help_text=gettext_lazy(
        "true: only the caller's own assignments."))
    team = filters.BooleanFilter(method="filter_team", help_text=gettext_lazy(
        "true: only the assignments of the people and departments the caller leads."))

    class Meta:
        model = Assignment
        fields = ["cycle", "employee", "department", "position", "indicator", "mine", "team"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(Q(department=value) | Q(employee__department=value))

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return selectors.mine(queryset, self.request.actor)

    def filter_team(self, queryset, name, value):
        if not value:
            return queryset
        return selectors.team(queryset, self.request.actor)


class KeyResultLinkFilter(filters.FilterSet):
    key_result = filters.ModelChoiceFilter(queryset=_key_results)
    assignment = filters.ModelChoiceFilter(queryset=_assignments)

    class Meta:
        model = KeyResultLink
        fields = ["key_result", "assignment"]
