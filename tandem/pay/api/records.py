"""Viewsets of the Pay data: thin. `pay.services` validates and writes; `pay.rules_records`
says who may read and write (HR writes; HR and finance read everyone's; an employee reads only
their own; managers see none of their reports' pay). Lists hold only what the caller may
read; another record of the company is a 403, another company's a 404."""

from django.db.models import Q
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action

from tandem.core.api import (
    AutoSchema,
    CompanyModelViewSet,
    CompanyScopedMixin,
    FilterBackend,
    IsCompanyMember,
    RulesPermission,
)
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409
from tandem.org.models import Employee
from tandem.web.history import change_history

from .. import services, services_deductions, services_reference
from ..models import (
    AttendanceSummary,
    City,
    CityPolicy,
    CompanyWorkInjuryRate,
    DeductionCategory,
    DeductionDeclaration,
    SalaryProfile,
)
from ..rules_records import visible_pay_records
from .serializers_records import (
    AttendanceSummarySerializer,
    CityPolicySerializer,
    DeductionDeclarationSerializer,
    HistoryEntrySerializer,
    SalaryProfileSerializer,
    WorkInjuryRateSerializer,
)

# The account number stays out of the change history: reads show it masked only.
HIDDEN_IN_HISTORY = ("bank_account",)


def _employees(request):
    return Employee.objects.all()


class PayRecordFilter(filters.FilterSet):
    employee = filters.ModelChoiceFilter(queryset=_employees,
                                         help_text=gettext_lazy("Only this employee's records."))


class SalaryProfileFilter(PayRecordFilter):
    on = filters.DateFilter(
        method="_in_force",
        help_text=gettext_lazy("Only the profiles in force on this date (YYYY-MM-DD)."))

    class Meta:
        model = SalaryProfile
        fields = ["employee", "on"]

    def _in_force(self, queryset, name, value):
        from ..selectors import in_force

        return in_force(queryset, value, key=("employee",))


class AttendanceSummaryFilter(PayRecordFilter):
    month = filters.DateFilter(help_text=gettext_lazy("Only this month (YYYY-MM-01)."))

    class Meta:
        model = AttendanceSummary
        fields = ["employee", "month"]


class DeductionDeclarationFilter(PayRecordFilter):
    category = filters.ChoiceFilter(choices=DeductionCategory.choices)

    class Meta:
        model = DeductionDeclaration
        fields = ["employee", "category"]


class PayRecordViewSet(CompanyModelViewSet):
    """Shared by the three employee-owned resources. Every object of the company is found (so
    that the permission check answers 403, not 404), but lists show only the readable ones."""

    schema = VersionedAutoSchema()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        records = self.queryset.model.objects.select_related("employee")
        if self.action == "list":
            records = visible_pay_records(records, self.request.actor)
        return records

    def _changes(self, serializer) -> tuple[int, dict]:
        data = dict(serializer.validated_data)
        data.pop("employee", None)
        version = data.pop("version")
        instance = serializer.instance
        return version, {name: value for name, value in data.items()
                         if name == "items" or getattr(instance, name) != value}


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "Salary profiles: all of them for HR and finance, only the caller's own for anyone "
        "else. Bank accounts are always masked.")),
    create=extend_schema(description=gettext_lazy(
        "HR: a new profile from `effective_from` (a change of pay is a new profile, so past "
        "months keep their terms). `warnings` says what to double-check.")),
    update=extend_schema(description=gettext_lazy("HR: corrects a profile.")),
    partial_update=extend_schema(description=gettext_lazy("HR: corrects a profile.")),
)
class SalaryProfileViewSet(PayRecordViewSet):
    queryset = SalaryProfile.objects
    serializer_class = SalaryProfileSerializer
    filterset_class = SalaryProfileFilter
    ordering_fields = ["effective_from"]
    ordering = ["employee", "-effective_from"]

    def get_queryset(self):
        return super().get_queryset().select_related("city").prefetch_related("items")

    def _answer(self, serializer, profile):
        profile = self.get_queryset().get(pk=profile.pk)
        profile.warnings = services.salary_profile_warnings(profile)
        serializer.instance = profile

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        profile = services.create_salary_profile(company=self.request.company,
                                                 by=self.request.user, **data)
        self._answer(serializer, profile)

    def perform_update(self, serializer):
        version, changes = self._changes(serializer)
        with edit_conflicts_as_409():
            profile = services.update_salary_profile(profile=serializer.instance,
                                                     version=version, by=self.request.user,
                                                     **changes)
        self._answer(serializer, profile)

    def perform_destroy(self, instance):
        services.delete_salary_profile(profile=instance, by=self.request.user)

    @extend_schema(
        operation_id="salary_profiles_history_list",
        responses=HistoryEntrySerializer(many=True),
        description=gettext_lazy(
            "Who changed the profile when, newest first: for the same people who may read "
            "it (HR, finance, the employee). Changes of the bank account are left out."),
    )
    @action(detail=True, methods=["get"], url_path="history", filter_backends=[])
    def history(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        profile = self.get_object()
        entries = [
            {"when": entry.when, "who": entry.who.username if entry.who else None,
             "kind": entry.kind,
             "changes": [{"label": c.label, "old": c.old, "new": c.new}
                         for c in entry.changes]}
            for entry in change_history(profile, exclude=HIDDEN_IN_HISTORY)
        ]
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "Monthly attendance summaries for payroll: all for HR and finance, only the caller's "
        "own for anyone else.")),
)
class AttendanceSummaryViewSet(PayRecordViewSet):
    queryset = AttendanceSummary.objects
    serializer_class = AttendanceSummarySerializer
    filterset_class = AttendanceSummaryFilter
    ordering_fields = ["month"]
    ordering = ["-month", "employee"]

    def _answer(self, serializer, summary):
        summary = self.get_queryset().get(pk=summary.pk)
        summary.warnings = services.attendance_warnings(summary)
        serializer.instance = summary

    def perform_create(self, serializer):
        summary = services.create_attendance_summary(
            company=self.request.company, by=self.request.user, **serializer.validated_data)
        self._answer(serializer, summary)

    def perform_update(self, serializer):
        version, changes = self._changes(serializer)
        with edit_conflicts_as_409():
            summary = services.update_attendance_summary(
                summary=serializer.instance, version=version, by=self.request.user, **changes)
        self._answer(serializer, summary)

    def perform_destroy(self, instance):
        services.delete_attendance_summary(summary=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "Special additional deduction declarations: all for HR and finance, only the "
        "caller's own for anyone else. Serious illness is not declarable (annual "
        "reconciliation only); housing-loan interest and rent exclude each other in a year.")),
)
class DeductionDeclarationViewSet(PayRecordViewSet):
    queryset = DeductionDeclaration.objects
    serializer_class = DeductionDeclarationSerializer
    filterset_class = DeductionDeclarationFilter
    ordering_fields = ["from_month"]
    ordering = ["employee", "-from_month"]

    def perform_create(self, serializer):
        serializer.instance = services_deductions.create_declaration(
            company=self.request.company, by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        version, changes = self._changes(serializer)
        with edit_conflicts_as_409():
            serializer.instance = services_deductions.update_declaration(
                declaration=serializer.instance, version=version, by=self.request.user,
                **changes)

    def perform_destroy(self, instance):
        services_deductions.delete_declaration(declaration=instance, by=self.request.user)


class CityPolicyFilter(filters.FilterSet):
    city = filters.ModelChoiceFilter(queryset=City.objects.all(),
                                     help_text=gettext_lazy("Only this city's policies."))
    on = filters.DateFilter(method="_in_force", help_text=gettext_lazy(
        "Only the policies in force on this date (YYYY-MM-DD)."))

    class Meta:
        model = CityPolicy
        fields = ["city", "on"]

    def _in_force(self, queryset, name, value):
        return queryset.filter(effective_from__lte=value).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=value))


@extend_schema_view(list=extend_schema(description=gettext_lazy(
    "City social-insurance and housing-fund policies by period, with their scheme rates: "
    "public reference data shared by every company (staff maintain it in the admin). "
    "Filter with `on` for the policies in force on a date.")))
class CityPolicyViewSet(CompanyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list only: the policies are not a company's objects, so there is no per-company
    detail to isolate; `?city=` and `?on=` select one."""

    queryset = CityPolicy.objects.select_related("city").prefetch_related("scheme_rates")
    serializer_class = CityPolicySerializer
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    filter_backends = [FilterBackend]
    filterset_class = CityPolicyFilter
    schema = AutoSchema()


@extend_schema_view(list=extend_schema(description=gettext_lazy(
    "The company's work-injury class rates by city and start date: every member reads them, "
    "HR and administrators keep them.")))
class WorkInjuryRateViewSet(CompanyModelViewSet):
    queryset = CompanyWorkInjuryRate.objects
    serializer_class = WorkInjuryRateSerializer
    ordering_fields = ["effective_from"]
    ordering = ["city", "-effective_from"]

    def get_queryset(self):
        return CompanyWorkInjuryRate.objects.select_related("city")

    def perform_create(self, serializer):
        serializer.instance = services_reference.create_work_injury_rate(
            company=self.request.company, by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services_reference.update_work_injury_rate(
            rate=serializer.instance, by=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services_reference.delete_work_injury_rate(rate=instance, by=self.request.user)
