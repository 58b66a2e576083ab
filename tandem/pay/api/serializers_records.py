"""Serializers of the Pay data API: they check the shape of the input; `pay.services` applies
the rules. Money is a string with two decimals ("1234.50"), rates are fractions ("0.07")."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from tandem.core.versioning import VersionedModelSerializer
from tandem.goals.api.serializers import enum_field
from tandem.org.api.serializers import StrictPrimaryKeyRelatedField
from tandem.org.models import Employee

from ..models import (
    INSURANCE_SCHEMES,
    AttendanceSummary,
    City,
    CityPolicy,
    CompanyWorkInjuryRate,
    Confidence,
    DeductionCategory,
    DeductionDeclaration,
    FixedPayItem,
    PayItemKind,
    Rounding,
    SalaryProfile,
    SchemeRate,
)


class RateField(serializers.DecimalField):
    """A rate or share as the fraction it is, without the storage's trailing zeros: "0.07",
    not "0.07000"."""

    def to_representation(self, value):
        text = super().to_representation(value)
        return format(Decimal(text).normalize(), "f") if text is not None else None


class StrictFieldsMixin:
    """Refuses fields the resource does not have (or that are read-only), instead of
    ignoring them: a typo would otherwise pass silently."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field does not exist or cannot be written.")]
                     for name in unknown})
        return super().to_internal_value(data)

    def build_standard_field(self, field_name, model_field):
        """Money keeps two decimals; rates and shares (more places) read as fractions."""
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DecimalField and model_field.decimal_places > 2:
            field_class = RateField
        return field_class, kwargs


class EmployeeField(StrictPrimaryKeyRelatedField):
    """An employee of the caller's company (the queryset is evaluated in its scope)."""

    def get_queryset(self):
        return Employee.objects.all()


_EMPLOYEE_HELP = gettext_lazy("Employee id; cannot change once created.")
_WARNINGS_HELP = gettext_lazy(
    "Present in answers to writes: what to double-check though it was accepted.")


class PayRecordSerializer(StrictFieldsMixin, VersionedModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    employee = EmployeeField(help_text=_EMPLOYEE_HELP)
    employee_name = serializers.CharField(source="employee.display_name", read_only=True)

    def validate_employee(self, employee):
        if self.instance is not None and employee.pk != self.instance.employee_id:
            raise serializers.ValidationError(_("A record cannot move to another employee."))
        return employee

    def to_representation(self, instance):
        data = super().to_representation(instance)
        warnings = getattr(instance, "warnings", None)
        if warnings is not None:
            data["warnings"] = [str(message) for message in warnings]
        return data


class FixedPayItemSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    kind = enum_field("PayItemKind", PayItemKind.choices)
    class Meta:
        model = FixedPayItem
        fields = ["kind", "name", "amount", "taxable"]


class SalaryProfileSerializer(PayRecordSerializer):
    city = StrictPrimaryKeyRelatedField(queryset=City.objects.all(), help_text=gettext_lazy(
        "City id (see /api/v1/city-policies/): its policy in force on `effective_from` sets "
        "the bands."))
    city_name = serializers.CharField(source="city.__str__", read_only=True)
    bank_account = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=34,
        help_text=gettext_lazy("Write only: 8 to 30 digits. Reads show `bank_account_masked`."))
    bank_account_masked = serializers.CharField(
        source="masked_bank_account", read_only=True, help_text=gettext_lazy("The account with all but its last four "
                                               "digits hidden."))
    items = FixedPayItemSerializer(many=True, required=False, help_text=gettext_lazy(
        "Fixed monthly allowances and deductions; on update, the list replaces the old one."))
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text=_WARNINGS_HELP)

    class Meta:
        model = SalaryProfile
        validators: list = []  # the service checks uniqueness, naming the field
        fields = ["id", "employee", "employee_name", "effective_from", "base_monthly_wage",
                  "city", "city_name", "insurance_base", "housing_fund_base",
                  "housing_fund_rate", "supplementary_housing_fund_rate",
                  "housing_fund_transferred", "first_wage_income_of_year", "bank_name",
                  "bank_account", "bank_account_masked", "note", "items", "warnings",
                  "created_at", "updated_at", "version"]
        read_only_fields = ["created_at", "updated_at"]
        optional_response_fields = ("warnings",)
        extra_kwargs = {
            "effective_from": {"help_text": gettext_lazy(
                "In force from this date until the employee's next profile starts.")},
            "insurance_base": {"help_text": gettext_lazy(
                "Declared contribution base; payroll clamps it to the city's band.")},
            "housing_fund_base": {"help_text": gettext_lazy(
                "Null: the same as `insurance_base`.")},
            "housing_fund_rate": {"help_text": gettext_lazy(
                "A fraction inside the city's band, e.g. \"0.07\".")},
        }


# One field class for both rounding fields: a schema component has one identity.
RoundingField = type(enum_field("Rounding", Rounding.choices))


class SchemeRateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    scheme = enum_field("InsuranceScheme", [(s.value, s.label) for s in INSURANCE_SCHEMES],
                        read_only=True)
    rounding = RoundingField(choices=Rounding.choices, read_only=True)
    class Meta:
        model = SchemeRate
        fields = ["scheme", "employee_rate", "employer_rate", "base_floor", "base_ceiling",
                  "employee_fixed", "employer_fixed", "rounding"]
        read_only_fields = fields


class WorkInjuryRateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    city = StrictPrimaryKeyRelatedField(queryset=City.objects.all())
    city_name = serializers.CharField(source="city.__str__", read_only=True)

    class Meta:
        model = CompanyWorkInjuryRate
        validators: list = []  # the service checks uniqueness, naming the field
        fields = ["id", "city", "city_name", "effective_from", "employer_rate"]
        extra_kwargs = {"employer_rate": {"help_text": gettext_lazy(
            "The company's class rate (with any floating adjustment) as a fraction, e.g. "
            "\"0.004\"; it replaces the city policy's default from `effective_from`.")}}


class CityPolicySerializer(StrictFieldsMixin, serializers.ModelSerializer):
    city_code = serializers.CharField(source="city.code", read_only=True)
    city_name = serializers.CharField(source="city.__str__", read_only=True)
    schemes = SchemeRateSerializer(source="scheme_rates", many=True, read_only=True)
    housing_fund_rounding = RoundingField(choices=Rounding.choices, read_only=True)
    confidence = enum_field("Confidence", Confidence.choices, read_only=True)

    class Meta:
        model = CityPolicy
        fields = ["id", "city", "city_code", "city_name", "effective_from", "effective_to",
                  "average_monthly_wage", "insurance_base_floor", "insurance_base_ceiling",
                  "housing_fund_base_floor", "housing_fund_base_ceiling",
                  "housing_fund_rate_min", "housing_fund_rate_max", "supplementary_rate_min",
                  "supplementary_rate_max", "housing_fund_rounding", "schemes", "confidence",
                  "source"]
        read_only_fields = fields


class AttendanceSummarySerializer(PayRecordSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text=_WARNINGS_HELP)

    class Meta:
        model = AttendanceSummary
        validators: list = []  # the service checks uniqueness, naming the field
        fields = ["id", "employee", "employee_name", "month", "paid_days", "absence_days",
                  "unpaid_leave_days", "overtime_workday_hours", "overtime_rest_day_hours",
                  "overtime_holiday_hours", "note", "warnings", "updated_at", "version"]
        read_only_fields = ["updated_at"]
        optional_response_fields = ("warnings",)
        extra_kwargs = {"month": {"help_text": gettext_lazy(
            "The first day of the month (YYYY-MM-01); one summary per employee and month; "
            "cannot change once created.")}}


class DeductionDeclarationSerializer(PayRecordSerializer):
    category = enum_field("DeductionCategory", DeductionCategory.choices)
    class Meta:
        model = DeductionDeclaration
        validators: list = []  # the service checks uniqueness, naming the field
        fields = ["id", "employee", "employee_name", "category", "variant", "share",
                  "monthly_amount", "dependant", "from_month", "to_month", "created_at",
                  "version"]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "variant": {"help_text": gettext_lazy(
                "Rent: tier-1 (1,500), tier-2 (1,100) or tier-3 (800); continuing education: "
                "degree or certificate; otherwise empty.")},
            "share": {"help_text": gettext_lazy(
                "The part of the standard amount taken, e.g. \"0.5\" for a 50/50 split.")},
            "monthly_amount": {"help_text": gettext_lazy(
                "Elderly support shared by siblings only: the agreed monthly amount.")},
            "from_month": {"help_text": gettext_lazy("First day of the first month.")},
            "to_month": {"help_text": gettext_lazy(
                "First day of the last month, or null while it lasts.")},
        }


class HistoryChangeSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=gettext_lazy("The field, in the request's language."))
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    """One saved change of a salary profile. The bank account is never shown."""

    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True, help_text=gettext_lazy(
        "The user name of who saved it, or null."))
    kind = enum_field("HistoryKind", [("+", gettext_lazy("Created")),
                                      ("~", gettext_lazy("Changed")),
                                      ("-", gettext_lazy("Deleted"))])
    changes = HistoryChangeSerializer(many=True)
