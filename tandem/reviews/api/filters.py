"""Filters of the review API lists (django-filter). The lists hold only what the caller may
read before any filter applies."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters

from tandem.goals.api.filters import DepartmentIdFilter
from tandem.org.models import Department, Employee

from .. import selectors
from ..models import CycleStatus, ImprovementPlan, PlanStatus, Review, ReviewCycle, Stage


def _cycles(request):
    return ReviewCycle.objects.all()


def _departments(request):
    return Department.objects.all()


def _employees(request):
    return Employee.objects.all()


class ReviewCycleFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CycleStatus.choices)

    class Meta:
        model = ReviewCycle
        fields = ["status"]


class ReviewFilter(filters.FilterSet):
    cycle = filters.ModelChoiceFilter(queryset=_cycles)
    stage = filters.ChoiceFilter(choices=Stage.choices)
    employee = filters.ModelChoiceFilter(queryset=_employees)
    department = DepartmentIdFilter(queryset=_departments, help_text=gettext_lazy(
        "Only the reviews of people in this department (not those below it)."))
    mine = filters.BooleanFilter(method="filter_mine", help_text=gettext_lazy(
        "true: only the caller's own reviews."))
    team = filters.BooleanFilter(method="filter_team", help_text=gettext_lazy(
        "true: only the reviews of the people the caller leads."))

    class Meta:
        model = Review
        fields = ["cycle", "stage", "employee", "department", "mine", "team"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(selectors.own_q(self.request.actor)) if value else queryset

    def filter_team(self, queryset, name, value):
        return queryset.filter(selectors.team_q(self.request.actor)) if value else queryset


class ImprovementPlanFilter(filters.FilterSet):
    cycle = filters.ModelChoiceFilter(queryset=_cycles, field_name="review__cycle")
    employee = filters.ModelChoiceFilter(queryset=_employees)
    status = filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = ImprovementPlan
        fields = ["cycle", "employee", "status"]
