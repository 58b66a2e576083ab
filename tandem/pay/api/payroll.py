"""Viewsets of payroll: runs (create, calculate, approve, mark paid, problems), payslips and
one-off pay items. Thin: `pay.services_payroll` writes and refuses, `pay.rules_payroll` says
who may (HR prepares and calculates, finance approves, HR or finance marks paid; payslips for
HR, finance and, once approved, their employee)."""

from contextlib import contextmanager

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import (
    AutoSchema,
    CompanyModelViewSet,
    CompanyScopedMixin,
    FilterBackend,
    IsCompanyMember,
    RulesPermission,
    json_type_errors,
)
from tandem.core.drf import Conflict
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409
from tandem.org.models import Employee

from .. import services_payroll
from ..models import PayItem, PayrollRun, Payslip, RunProblem
from ..rules_payroll import visible_payslips
from ..rules_records import visible_pay_records
from .records import PayRecordFilter
from .serializers_payroll import (
    PayItemSerializer,
    PayrollRunSerializer,
    PayslipDetailSerializer,
    PayslipSerializer,
    RunProblemSerializer,
)


@contextmanager
def refusals_as_409():
    try:
        yield
    except (services_payroll.RunLocked, services_payroll.RunRefused) as refused:
        raise Conflict(refused.message) from None


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "Payroll runs, newest month first: HR and finance. draft → calculated → approved → "
        "paid; `calculating` while a background calculation works.")),
    create=extend_schema(description=gettext_lazy("HR: a draft run for a month.")),
    destroy=extend_schema(description=gettext_lazy(
        "HR: deletes a run that is not approved, with its payslips.")),
)
class PayrollRunViewSet(CompanyScopedMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                        mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                        viewsets.GenericViewSet):
    """No update: a run changes only through its actions."""

    queryset = PayrollRun.objects
    serializer_class = PayrollRunSerializer
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    filter_backends = []
    schema = AutoSchema()
    lookup_value_regex = "[^/]+"
    action_permissions = {"list": "pay.list_payrollrun",
                          "calculate": "pay.calculate_payrollrun",
                          "approve": "pay.approve_payrollrun",
                          "mark_paid": "pay.mark_paid_payrollrun",
                          "problems": "pay.view_payrollrun"}

    def get_queryset(self):
        return PayrollRun.objects.order_by("-month")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            errors = json_type_errors(serializer, kwargs["data"])
            if errors:
                raise exceptions.ValidationError(errors)
        return serializer

    def perform_create(self, serializer):
        serializer.instance = services_payroll.create_run(
            company=self.request.company, month=serializer.validated_data["month"],
            by=self.request.user)

    def perform_destroy(self, instance):
        with refusals_as_409():
            services_payroll.delete_run(run=instance, by=self.request.user)

    def _answer(self, run, code=status.HTTP_200_OK):
        return Response(PayrollRunSerializer(run).data, status=code)

    @extend_schema(request=None, responses={
        200: PayrollRunSerializer,
        202: OpenApiResponse(PayrollRunSerializer, description=gettext_lazy(
            "Started in the background: follow `status` and `progress_done`."))},
        description=gettext_lazy(
            "HR: calculates every employee employed in the month again, replacing the run's "
            "payslips and problems. Runs in the background for companies of more than 200 "
            "employees (202)."))
    @action(detail=True, methods=["post"])
    def calculate(self, request, pk=None):
        run = self.get_object()
        with refusals_as_409():
            run, background = services_payroll.request_calculation(run=run, by=request.user)
        return self._answer(run, status.HTTP_202_ACCEPTED if background else status.HTTP_200_OK)

    @extend_schema(request=None, responses=PayrollRunSerializer, description=gettext_lazy(
        "Finance: approves a calculated run without blocking problems; it cannot change "
        "afterwards (corrections are adjustment items in a later month)."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        with refusals_as_409():
            run = services_payroll.approve_run(run=self.get_object(), by=request.user)
        return self._answer(run)

    @extend_schema(request=None, responses=PayrollRunSerializer, description=gettext_lazy(
        "HR or finance: records that an approved run was paid."))
    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        with refusals_as_409():
            run = services_payroll.mark_paid(run=self.get_object(), by=request.user)
        return self._answer(run)

    @extend_schema(responses=RunProblemSerializer(many=True), description=gettext_lazy(
        "What to look at before approving, blocking ones first: employees who could not be "
        "priced (blocking) and the calculation's warnings."))
    @action(detail=True, methods=["get"])
    def problems(self, request, pk=None):
        run = self.get_object()
        problems = RunProblem.objects.filter(run=run).select_related("employee").order_by(
            "-blocking", "employee", "code", "pk")
        page = self.paginate_queryset(problems)
        return self.get_paginated_response(RunProblemSerializer(page, many=True).data)


class PayslipFilter(filters.FilterSet):
    run = filters.ModelChoiceFilter(queryset=lambda request: PayrollRun.objects.all(),
                                    help_text=gettext_lazy("Only this run's payslips."))
    employee = filters.ModelChoiceFilter(queryset=lambda request: Employee.objects.all(),
                                         help_text=gettext_lazy("Only this employee's."))
    month = filters.DateFilter(help_text=gettext_lazy("Only this month (YYYY-MM-01)."))

    class Meta:
        model = Payslip
        fields = ["run", "employee", "month"]


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "Payslips without their lines: all for HR and finance; for anyone else their own "
        "of approved and paid runs.")),
    retrieve=extend_schema(description=gettext_lazy(
        "A payslip with its lines and how each was computed.")),
)
class PayslipViewSet(CompanyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    queryset = Payslip.objects
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    filter_backends = [FilterBackend]
    filterset_class = PayslipFilter
    schema = AutoSchema()
    lookup_value_regex = "[^/]+"

    def get_serializer_class(self):
        return PayslipDetailSerializer if self.action == "retrieve" else PayslipSerializer

    def get_queryset(self):
        payslips = Payslip.objects.select_related("employee", "run").order_by("-month",
                                                                              "employee")
        if self.action == "list":
            payslips = visible_payslips(payslips.defer("lines"), self.request.actor)
        return payslips


class PayItemFilter(PayRecordFilter):
    month = filters.DateFilter(help_text=gettext_lazy("Only this month (YYYY-MM-01)."))

    class Meta:
        model = PayItem
        fields = ["employee", "month"]


@extend_schema_view(list=extend_schema(description=gettext_lazy(
    "One-off pay items (bonuses, the annual one-time bonus, allowances, deductions, "
    "corrections of earlier months): all for HR and finance, the caller's own for anyone "
    "else. HR writes, only for months whose run is not approved.")))
class PayItemViewSet(CompanyModelViewSet):
    queryset = PayItem.objects
    serializer_class = PayItemSerializer
    filterset_class = PayItemFilter
    schema = VersionedAutoSchema()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    ordering_fields = ["month"]
    ordering = ["-month", "employee", "pk"]

    def get_queryset(self):
        items = PayItem.objects.select_related("employee")
        if self.action == "list":
            items = visible_pay_records(items, self.request.actor)
        return items

    def perform_create(self, serializer):
        with refusals_as_409():
            serializer.instance = services_payroll.create_pay_item(
                company=self.request.company, by=self.request.user,
                **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("employee", None)
        version = data.pop("version")
        with refusals_as_409(), edit_conflicts_as_409():
            serializer.instance = services_payroll.update_pay_item(
                item=serializer.instance, version=version, by=self.request.user, **data)

    def perform_destroy(self, instance):
        with refusals_as_409():
            services_payroll.delete_pay_item(item=instance, by=self.request.user)
