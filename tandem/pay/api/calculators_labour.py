"""The labour-law calculators of the API: overtime pay, probation limits, statutory annual leave
and economic compensation. Any member of a company may use them; they store nothing and call
the same functions as payroll (`pay.labour`). Input is strict (`StrictSerializer`: unknown
fields and JSON values of the wrong type are refused); money goes both ways as strings with
two decimal places."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api import AutoSchema, CompanyScopedMixin, IsCompanyMember

from .. import labour
from ..forms_labour import (
    CONTRACT_TYPE_CHOICES,
    FIRST_LEAVE_YEAR,
    LAST_YEAR,
    MAX_MONTH_HOURS,
    MAX_TERM_MONTHS,
    MAX_YEARS_WORKED,
    annual_leave_errors,
    probation_errors,
    service_errors,
)
from .calculators_tax import MAX_MONEY, StrictSerializer, money_field, validated


def money_input(help_text) -> serializers.DecimalField:
    return money_field(min_value=0, max_value=MAX_MONEY, help_text=help_text)


def hours_input(help_text) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0,
                                    max_value=MAX_MONTH_HOURS, help_text=help_text)


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise exceptions.ValidationError({name: [message] for name, message in errors.items()})


class CalculatorView(CompanyScopedMixin, APIView):
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember]
    schema = AutoSchema()


# --- overtime pay ----------------------------------------------------------------------------


class OvertimeHoursSerializer(StrictSerializer):
    monthly_wage = money_input(gettext_lazy("The monthly wage overtime is paid on (CNY)."))
    workday_hours = hours_input(gettext_lazy("Extended hours on workdays (paid 150 %)."))
    rest_day_hours = hours_input(gettext_lazy(
        "Hours on rest days without time off in lieu (paid 200 %)."))
    holiday_hours = hours_input(gettext_lazy("Hours on statutory holidays (paid 300 %)."))


class OvertimePaySerializer(serializers.Serializer):
    hourly_wage = money_field(help_text=gettext_lazy(
        "Monthly wage ÷ 174 (人社部发〔2025〕2号), shown to the fen; the pays use it unrounded."))
    workday_pay = money_field()
    rest_day_pay = money_field()
    holiday_pay = money_field()
    total = money_field()


class OvertimePayView(CalculatorView):
    @extend_schema(
        operation_id="calculators_overtime_pay",
        tags=["calculators"],
        request=OvertimeHoursSerializer,
        responses={200: OvertimePaySerializer},
        description=gettext_lazy(
            "Overtime pay at the legal minimum rates (劳动法 Art. 44): workdays 150 %, rest days "
            "without time off in lieu 200 %, statutory holidays 300 %; from the hourly wage = "
            "monthly wage ÷ 174, each amount rounded half-up to the fen. Stores nothing."),
    )
    def post(self, request):
        body = validated(OvertimeHoursSerializer, request.data)
        return Response(OvertimePaySerializer(labour.overtime_pay(**body)).data)


# --- probation -------------------------------------------------------------------------------


class ProbationContractSerializer(StrictSerializer):
    contract_type = serializers.ChoiceField(choices=CONTRACT_TYPE_CHOICES, help_text=gettext_lazy(
        "fixed: fixed term; open_ended: no fixed term; task: for a specific task; part_time: "
        "non-full-time work."))
    term_months = serializers.IntegerField(
        min_value=1, max_value=MAX_TERM_MONTHS, required=False, allow_null=True, default=None,
        help_text=gettext_lazy("Term of a fixed-term contract in months (required for it)."))
    contract_wage = money_input(gettext_lazy("Monthly wage in the contract (CNY)."))
    local_minimum_wage = money_input(gettext_lazy(
        "Monthly minimum wage where the employer is (CNY)."))
    had_probation_with_employer = serializers.BooleanField(
        required=False, default=False,
        help_text=gettext_lazy("The employee already had a probation with this employer."))

    def validate(self, attrs):
        _refuse(probation_errors(attrs["contract_type"], attrs["term_months"]))
        return attrs


class ProbationLimitSerializer(serializers.Serializer):
    max_probation_months = serializers.IntegerField(help_text=gettext_lazy(
        "The longest probation the contract may set (劳动合同法 Art. 19, 70); 0 for none."))
    probation_wage_floor = money_field(help_text=gettext_lazy(
        "The lowest probation wage: the higher of the contract wage × 0.8 and the local "
        "minimum wage (劳动合同法 Art. 20; 实施条例 Art. 15)."))


class ProbationView(CalculatorView):
    @extend_schema(
        operation_id="calculators_probation",
        tags=["calculators"],
        request=ProbationContractSerializer,
        responses={200: ProbationLimitSerializer},
        description=gettext_lazy(
            "The longest probation a labour contract may set and the lowest probation wage. "
            "Stores nothing."),
    )
    def post(self, request):
        body = validated(ProbationContractSerializer, request.data)
        return Response(ProbationLimitSerializer(labour.probation_limit(**body)).data)


# --- annual leave ----------------------------------------------------------------------------


class AnnualLeaveCaseSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=FIRST_LEAVE_YEAR, max_value=LAST_YEAR,
                                    help_text=gettext_lazy("The leave year (a calendar year)."))
    cumulative_years_worked = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=MAX_YEARS_WORKED,
        help_text=gettext_lazy("Years worked with every employer in total."))
    join_date = serializers.DateField(required=False, allow_null=True, default=None,
                                      help_text=gettext_lazy("Joined this employer on."))
    leave_date = serializers.DateField(required=False, allow_null=True, default=None,
                                       help_text=gettext_lazy("Last day at this employer."))
    taken_days = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=366,
        help_text=gettext_lazy("Leave days already taken in the year."))
    average_monthly_wage = money_input(gettext_lazy(
        "Average monthly wage over the last 12 months, overtime pay excluded (CNY)."))

    def validate(self, attrs):
        _refuse(annual_leave_errors(attrs["year"], attrs["join_date"], attrs["leave_date"]))
        return attrs


class AnnualLeaveSerializer(serializers.Serializer):
    full_year_days = serializers.IntegerField(help_text=gettext_lazy(
        "Days for a whole year by years worked: 5, 10 or 15; 0 under one year."))
    prorated_days = serializers.IntegerField(help_text=gettext_lazy(
        "Days for the part of the year at this employer, fractions dropped."))
    unused_days_payable = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text=gettext_lazy(
            "Days not taken, each paid an extra 200 %, if the employer did not arrange them."))
    unused_leave_extra_pay = money_field(help_text=gettext_lazy(
        "Unused days × daily wage (average monthly wage ÷ 21.75) × 200 %."))


class AnnualLeaveView(CalculatorView):
    @extend_schema(
        operation_id="calculators_annual_leave",
        tags=["calculators"],
        request=AnnualLeaveCaseSerializer,
        responses={200: AnnualLeaveSerializer},
        description=gettext_lazy(
            "Statutory annual leave for the year (职工带薪年休假条例; 企业职工带薪年休假实施办法 "
            "Art. 4, 5, 12), pro rata for a joiner or a leaver, and the extra pay due for the "
            "unused days. Stores nothing."),
    )
    def post(self, request):
        body = validated(AnnualLeaveCaseSerializer, request.data)
        return Response(AnnualLeaveSerializer(labour.annual_leave(**body)).data)


# --- economic compensation -------------------------------------------------------------------


class ServicePeriodSerializer(StrictSerializer):
    service_start = serializers.DateField(help_text=gettext_lazy("First day of service."))
    service_end = serializers.DateField(help_text=gettext_lazy("Last day of service."))
    average_monthly_wage = money_input(gettext_lazy(
        "Average monthly wage over the 12 months before the end (or the months worked, if "
        "fewer), bonuses, allowances and subsidies included (CNY)."))
    local_average_monthly_wage = money_input(gettext_lazy(
        "The local average monthly wage of the previous year, as the city published it (CNY)."))
    local_minimum_wage = money_field(
        min_value=0, max_value=MAX_MONEY, required=False, allow_null=True, default=None,
        help_text=gettext_lazy("Optional: the local monthly minimum wage; a lower average wage "
                               "counts as the minimum wage (实施条例 Art. 27)."))

    def validate(self, attrs):
        _refuse(service_errors(attrs["service_start"], attrs["service_end"]))
        return attrs


class EconomicCompensationSerializer(serializers.Serializer):
    n = serializers.DecimalField(max_digits=4, decimal_places=1, help_text=gettext_lazy(
        "Months of wage due: one per year of service, a remainder of 6 months or more counts "
        "as a year, a shorter one as half; at most 12 for a high earner."))
    monthly_wage_used = money_field(help_text=gettext_lazy(
        "The average monthly wage (at least the minimum wage, when given), or 3 × the local "
        "average for a high earner."))
    compensation = money_field(help_text=gettext_lazy("n × the monthly wage used."))


class EconomicCompensationView(CalculatorView):
    @extend_schema(
        operation_id="calculators_economic_compensation",
        tags=["calculators"],
        request=ServicePeriodSerializer,
        responses={200: EconomicCompensationSerializer},
        description=gettext_lazy(
            "Economic compensation on termination (劳动合同法 Art. 47): n months of wage for "
            "n years of service, with the cap for wages above 3 × the local average. Stores "
            "nothing."),
    )
    def post(self, request):
        body = validated(ServicePeriodSerializer, request.data)
        return Response(EconomicCompensationSerializer(
            labour.economic_compensation(**body)).data)
