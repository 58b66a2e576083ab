"""Serializers of the review API for improvement plans and bonuses. Money is a string of
Decimal, like everywhere in the API."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from tandem.core.versioning import MAX_VERSION, VersionedModelSerializer
from tandem.kpis.api.serializers import enum_field
from tandem.org.api.serializers import StrictPrimaryKeyRelatedField

from ..models import (
    AwardStatus,
    BonusAward,
    BonusPolicy,
    ImprovementItem,
    ImprovementPlan,
    ItemKind,
    ItemStatus,
    PlanStatus,
    ReviewCycle,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 4}


# ---------------------------------------------------------------------------------------------
# Improvement plans


class ImprovementItemSerializer(serializers.ModelSerializer):
    kind = enum_field("ImprovementItemKindEnum", ItemKind.choices)
    status = enum_field("ImprovementItemStatusEnum", ItemStatus.choices, required=False)

    class Meta:
        model = ImprovementItem
        fields = ["id", "plan", "kind", "title", "action", "course", "reason", "status", "due",
                  "note", "order", "carried_from", "updated_at"]
        read_only_fields = ["plan", "reason", "order", "carried_from", "updated_at"]


class ImprovementItemUpdateSerializer(ImprovementItemSerializer):
    """PATCH: every field optional."""

    kind = enum_field("ImprovementItemKindEnum", ItemKind.choices, required=False)

    class Meta(ImprovementItemSerializer.Meta):
        extra_kwargs = {"title": {"required": False}, "action": {"required": False}}


class ImprovementPlanSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="review.cycle_id", read_only=True)
    cycle_name = serializers.CharField(source="review.cycle.name", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    status = enum_field("ImprovementPlanStatusEnum", PlanStatus.choices, read_only=True)
    items = ImprovementItemSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementPlan
        fields = ["id", "review", "cycle", "cycle_name", "employee", "employee_name", "status",
                  "manager_agreed_at", "employee_agreed_at", "created_at", "items", "version"]
        read_only_fields = fields


class ImprovementPlanAgreeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, help_text=gettext_lazy(
            "The version of the plan as you read it: 409 when it changed since."))


# ---------------------------------------------------------------------------------------------
# Bonus policies


class BonusPolicySerializer(VersionedModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField

    class Meta:
        model = BonusPolicy
        fields = ["id", "name", "formula", "base_bonus", "extra_bonus", "minimum_final_score",
                  "cap", "budget", "department", "position", "active", "updated_at", "version"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "formula": {"help_text": gettext_lazy(
                "An expression over the review's figures, e.g. kpi_rate * base_bonus + "
                "okr_rate * extra_bonus; validated on save.")},
            "department": {"help_text": gettext_lazy(
                "Empty with position empty: the company's policy.")},
        }


class BonusSimulateSerializer(serializers.Serializer):
    """The what-if: the policy with these changes, over one cycle's reviews; nothing saved."""

    cycle = StrictPrimaryKeyRelatedField(queryset=ReviewCycle.objects, help_text=gettext_lazy(
        "An opened review cycle."))
    formula = serializers.CharField(max_length=1000, required=False, trim_whitespace=False)
    base_bonus = serializers.DecimalField(**MONEY, min_value=0, required=False)
    extra_bonus = serializers.DecimalField(**MONEY, min_value=0, required=False)
    minimum_final_score = serializers.DecimalField(max_digits=7, decimal_places=2,
                                                   required=False, allow_null=True)
    cap = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True)
    budget = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True)
    okr_weight = serializers.DecimalField(**SHARE, min_value=0, max_value=1, required=False,
                                          help_text=gettext_lazy(
                                              "Other shares for everyone: give both or "
                                              "neither."))
    kpi_weight = serializers.DecimalField(**SHARE, min_value=0, max_value=1, required=False)


class BonusLineSerializer(serializers.Serializer):
    review = serializers.IntegerField()
    employee = serializers.IntegerField()
    employee_name = serializers.CharField()
    raw = serializers.DecimalField(**MONEY)
    amount = serializers.DecimalField(**MONEY)
    explanation = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(help_text=gettext_lazy(
        "Empty, or why this person's bonus could not be computed."))


class BonusSimulationSerializer(serializers.Serializer):
    lines = BonusLineSerializer(many=True)
    total = serializers.DecimalField(**MONEY)
    budget = serializers.DecimalField(**MONEY, allow_null=True)
    over_budget = serializers.DecimalField(**MONEY)
    within_budget = serializers.BooleanField()
    error_count = serializers.IntegerField()
    explanation = serializers.ListField(child=serializers.CharField())


class BonusAwardSerializer(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="review.employee_id", read_only=True)
    employee_name = serializers.CharField(source="review.employee.name", read_only=True)
    policy_name = serializers.CharField(source="policy.name", read_only=True)
    status = enum_field("BonusAwardStatusEnum", AwardStatus.choices, read_only=True)
    explanation = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = BonusAward
        fields = ["id", "review", "employee", "employee_name", "policy", "policy_name", "amount",
                  "raw", "explanation", "status", "month", "annual_bonus", "pay_item",
                  "approved_at"]
        read_only_fields = fields


class BonusApproveSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=gettext_lazy(
        "The month the bonuses are paid in (any day of it), e.g. 2026-12-01."))
    annual_bonus = serializers.BooleanField(required=False, default=False, help_text=(
        gettext_lazy("true: as the annual one-time bonus (taxed separately when cheaper).")))
