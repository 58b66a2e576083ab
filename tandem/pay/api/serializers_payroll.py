"""Serializers of the payroll API: runs, their problems, payslips and one-off pay items.
Money is a string with two decimals ("1234.50"). Bank accounts are always masked here (the
bank file for finance is a later slice)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.goals.api.serializers import enum_field

from ..calculation import PROBLEM_MESSAGES
from ..models import (
    AnnualBonusMethod,
    PayItem,
    PayItemSource,
    PayItemType,
    PayrollRun,
    Payslip,
    ProblemCode,
    RunProblem,
    RunStatus,
    Scheme,
)
from .serializers_records import PayRecordSerializer, StrictFieldsMixin

# One field class for the run's status wherever it shows, so the schema has one component.
RunStatusField = type(enum_field("PayrollRunStatus", RunStatus.choices))


class PayrollRunSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    status = RunStatusField(choices=RunStatus.choices, read_only=True)

    class Meta:
        model = PayrollRun
        fields = ["id", "month", "status", "employee_count", "gross_total",
                  "employee_contributions_total", "employer_contributions_total", "tax_total",
                  "net_total", "employer_cost_total", "blocking_problem_count",
                  "warning_count", "progress_done", "progress_total", "created_at",
                  "calculated_at", "approved_at", "paid_at"]
        read_only_fields = [name for name in fields if name != "month"]
        validators: list = []  # the service refuses a second run of a month, naming `month`
        extra_kwargs = {"month": {"help_text": _(
            "Any day of the month paid; stored as its first day. One run per month.")}}


def problem_message(problem: RunProblem) -> str:
    """The problem in the reader's language: the calculation's findings with their figures,
    the run's own by their name."""
    template = PROBLEM_MESSAGES.get(problem.code)
    if template is None:
        try:
            return str(ProblemCode(problem.code).label)
        except ValueError:
            return problem.code
    params = dict(problem.params)
    if "scheme" in params:
        params["scheme"] = str(Scheme(params["scheme"]).label)
    if "reason" in params:
        params["reason"] = gettext(params["reason"])
    try:
        return gettext(template) % params
    except (KeyError, TypeError, ValueError):
        return gettext(template)


class RunProblemSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.display_name", read_only=True)
    message = serializers.SerializerMethodField()
    params = serializers.DictField(read_only=True, help_text=_(
        "The figures of the message (money as strings)."))

    class Meta:
        model = RunProblem
        fields = ["id", "employee", "employee_name", "code", "blocking", "message", "params"]
        read_only_fields = fields

    def get_message(self, problem) -> str:
        return problem_message(problem)


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    kind = serializers.CharField()


class PayslipLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text=_("In the reader's language."))
    name = serializers.CharField(help_text=_("The company's own wording of a pay item."))
    section = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    explanation = StepSerializer(many=True)


def translated_lines(lines: list[dict]) -> list[dict]:
    def step(data):
        value = data["value"]
        if data["kind"] == "text" and isinstance(value, str):
            value = gettext(value)
        return {**data, "label": gettext(data["label"]), "value": value}

    return [{**line, "label": gettext(line["label"]),
             "explanation": [step(s) for s in line["explanation"]]} for line in lines]


class PayslipSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.display_name", read_only=True)
    run_status = RunStatusField(choices=RunStatus.choices, source="run.status",
                                read_only=True)
    bank_account = serializers.CharField(source="masked_bank_account", read_only=True)

    class Meta:
        model = Payslip
        fields = ["id", "run", "run_status", "month", "employee", "employee_name", "gross",
                  "taxable_income", "employee_contributions", "employer_contributions",
                  "tax_withheld", "annual_bonus_tax", "post_tax_deductions", "net",
                  "employer_cost", "annual_bonus_method", "months_employed", "ytd_income",
                  "ytd_tax_free_income", "ytd_special_deductions",
                  "ytd_special_additional_deductions", "ytd_other_deductions", "ytd_withheld",
                  "bank_name", "bank_account"]
        read_only_fields = fields


class PayslipDetailSerializer(PayslipSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(PayslipSerializer.Meta):
        fields = [*PayslipSerializer.Meta.fields, "lines"]
        read_only_fields = fields

    @extend_schema_field(PayslipLineSerializer(many=True))
    def get_lines(self, payslip) -> list:
        return translated_lines(payslip.lines)


class PayItemSerializer(PayRecordSerializer):
    kind = enum_field("PayItemType", PayItemType.choices)
    annual_bonus_method = enum_field("AnnualBonusMethod",
                                     [("", ""), *AnnualBonusMethod.choices], required=False)
    source = enum_field("PayItemSource", PayItemSource.choices, required=False)

    class Meta:
        model = PayItem
        fields = ["id", "employee", "employee_name", "month", "kind", "name", "amount",
                  "taxable", "annual_bonus_method", "adjusts_month", "note", "source",
                  "created_at", "version"]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "month": {"help_text": _("Any day of the month paid; stored as its first day. "
                                     "Refused once that month's run is approved.")},
            "amount": {"help_text": _("Positive; only a correction may be negative.")},
            "adjusts_month": {"help_text": _("A correction: the earlier month it corrects.")},
        }
