"""The income-tax calculators of the API: cumulative withholding month by month, and the annual
one-time bonus. Any member of a company may use them (everyone checks their own figures); they
store nothing and call the same functions as payroll (`pay.tax`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from tandem.core.api import AutoSchema, CompanyScopedMixin, IsCompanyMember, json_type_errors

from .. import tax as iit

MAX_MONEY = 10**12  # within DecimalField(max_digits=14, decimal_places=2)


def money_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def money_out(**kwargs) -> serializers.DecimalField:
    """A sum of up to twelve inputs of 14 digits needs two digits more."""
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def rate_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=3, decimal_places=2,
        help_text=gettext_lazy("A fraction: 0.10 is 10 %."), **kwargs)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know and JSON values of another type than the schema says
    (core.api.json_type_errors), instead of ignoring or converting them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = json_type_errors(self, data)
            unknown = sorted(set(data) - set(self.fields))
            for name in unknown:
                errors[name] = [_("Unknown field.")]
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)


def _dotted(errors, prefix: str = "") -> dict[str, list[str]]:
    """Nested errors as one flat dict: `months.1.income` is the income of the second month."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            # A list's own message (too few entries) belongs to the list itself.
            own = key == api_settings.NON_FIELD_ERRORS_KEY and prefix
            flat.update(_dotted(value, prefix if own else f"{prefix}.{key}" if prefix
                                else str(key)))
    elif isinstance(errors, list) and any(isinstance(item, dict | list) for item in errors):
        for index, item in enumerate(errors):
            if item:
                flat.update(_dotted(item, f"{prefix}.{index}"))
    elif errors:
        flat[prefix or "non_field_errors"] = [str(message) for message in errors]
    return flat


def validated(serializer_class, data) -> dict:
    body = serializer_class(data=data)
    if not body.is_valid():
        raise exceptions.ValidationError(_dotted(body.errors))
    return body.validated_data


# --- cumulative withholding ------------------------------------------------------------------


class MonthIncomeSerializer(StrictSerializer):
    income = money_field(min_value=0, max_value=MAX_MONEY,
                         help_text=gettext_lazy("Wage income of the month (收入)."))
    tax_free_income = money_field(min_value=0, max_value=MAX_MONEY, required=False,
                                  default=iit.ZERO,
                                  help_text=gettext_lazy("Tax-free income (免税收入)."))
    special_deductions = money_field(
        min_value=0, max_value=MAX_MONEY, required=False, default=iit.ZERO,
        help_text=gettext_lazy("The employee's own social insurance and housing fund shares "
                               "(专项扣除)."))
    special_additional_deductions = money_field(
        min_value=0, max_value=MAX_MONEY, required=False, default=iit.ZERO,
        help_text=gettext_lazy("Special additional deductions (专项附加扣除)."))
    other_deductions = money_field(
        min_value=0, max_value=MAX_MONEY, required=False, default=iit.ZERO,
        help_text=gettext_lazy("Other deductions allowed by law (依法确定的其他扣除)."))


class WithholdingRequestSerializer(StrictSerializer):
    first_month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, default=1,
        help_text=gettext_lazy("Calendar month of the first entry of `months` (1 to 12)."))
    first_wage_income_of_year = serializers.BooleanField(
        required=False, default=False,
        help_text=gettext_lazy("This employer pays the taxpayer's first wage income of the "
                               "year: the basic deduction counts every calendar month so far."))
    months = MonthIncomeSerializer(
        many=True, min_length=1, max_length=12,
        help_text=gettext_lazy("One entry per month at this employer, from `first_month` on; "
                               "at most 13 − first_month entries (the tax year ends in "
                               "December)."))

    def validate(self, attrs):
        if len(attrs["months"]) > 13 - attrs["first_month"]:
            raise exceptions.ValidationError({"months": [
                _("Starting in month %(first)d, at most %(count)d months fit in the tax year.")
                % {"first": attrs["first_month"], "count": 13 - attrs["first_month"]}]})
        return attrs


class MonthWithholdingSerializer(serializers.Serializer):
    month = serializers.IntegerField(help_text=gettext_lazy("Calendar month."))
    cumulative_income = money_out()
    cumulative_basic_deduction = money_out()
    cumulative_taxable_income = money_out()
    rate = rate_field()
    quick_deduction = money_out()
    cumulative_tax = money_out()
    withheld = money_out(help_text=gettext_lazy("Withheld this month (never negative)."))
    cumulative_withheld = money_out()


class WithholdingScheduleSerializer(serializers.Serializer):
    months = MonthWithholdingSerializer(many=True)
    total_withheld = money_out()


class IitWithholdingView(CompanyScopedMixin, APIView):
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember]
    schema = AutoSchema()

    @extend_schema(
        operation_id="calculators_iit_withholding",
        tags=["calculators"],
        request=WithholdingRequestSerializer,
        responses={200: WithholdingScheduleSerializer},
        description=gettext_lazy(
            "Individual income tax withheld from wages by the cumulative method (STA 2018 "
            "No. 61 Art. 6), month by month within one tax year at one employer. Stores "
            "nothing."),
    )
    def post(self, request):
        body = validated(WithholdingRequestSerializer, request.data)
        schedule = iit.cumulative_withholding(
            [iit.MonthIncome(**month) for month in body["months"]],
            first_month=body["first_month"],
            first_wage_income_of_year=body["first_wage_income_of_year"])
        return Response(WithholdingScheduleSerializer(schedule).data)


# --- annual one-time bonus -------------------------------------------------------------------


class AnnualBonusRequestSerializer(StrictSerializer):
    bonus = money_field(min_value=0, max_value=MAX_MONEY,
                        help_text=gettext_lazy("The annual one-time bonus (全年一次性奖金)."))
    other_annual_taxable_income = money_field(
        required=False, allow_null=True, default=None, min_value=-MAX_MONEY,
        max_value=MAX_MONEY,
        help_text=gettext_lazy("The year's comprehensive taxable income without the bonus "
                               "(after all deductions). Given: both methods are compared."))
    paid_on = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text=gettext_lazy("When the bonus is paid (default: today); separate taxation "
                               "is open until its `separate_valid_until`."))


class AnnualBonusTaxSerializer(serializers.Serializer):
    tax = money_out(help_text=gettext_lazy(
        "Tax on the bonus: taxed separately while that is available, else merged."))
    rate = rate_field()
    quick_deduction = money_out()
    separate_total_tax = money_out(allow_null=True, help_text=gettext_lazy(
        "The year's tax with the bonus taxed separately; null without the other income, or "
        "when separate taxation is not available."))
    merged_total_tax = money_out(allow_null=True, help_text=gettext_lazy(
        "The year's tax with the bonus merged; null without the other income."))
    cheaper = serializers.ChoiceField(
        choices=[iit.SEPARATE, iit.MERGED], allow_null=True,
        help_text=gettext_lazy("The cheaper method; null without the other income."))
    separate_available = serializers.BooleanField(help_text=gettext_lazy(
        "Whether separate taxation may be chosen on the payment date."))
    separate_valid_until = serializers.DateField(help_text=gettext_lazy(
        "Last day of separate taxation (财政部 税务总局公告2023年第30号)."))


class AnnualBonusTaxView(CompanyScopedMixin, APIView):
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember]
    schema = AutoSchema()

    @extend_schema(
        operation_id="calculators_annual_bonus_tax",
        tags=["calculators"],
        request=AnnualBonusRequestSerializer,
        responses={200: AnnualBonusTaxSerializer},
        description=gettext_lazy(
            "Tax on an annual one-time bonus taxed separately (monthly-converted table, "
            "财政部 税务总局公告2023年第30号) and, given the other income, merged into the "
            "year's comprehensive income, with the cheaper of the two. Stores nothing."),
    )
    def post(self, request):
        body = validated(AnnualBonusRequestSerializer, request.data)
        result = iit.annual_bonus_tax(
            body["bonus"], other_annual_taxable_income=body["other_annual_taxable_income"],
            on=body["paid_on"] or timezone.localdate())
        return Response(AnnualBonusTaxSerializer(result).data)
