"""Serializers of the KPI API: they check the shape of the input; `kpis.services` and
`kpis.links` apply the rules. Actual, attainment and score are read-only: the services compute
them from the measurements."""

from decimal import Decimal

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.core.versioning import VersionedModelSerializer
from tandem.goals.models import Cycle
from tandem.org.api.serializers import StrictPrimaryKeyRelatedField
from tandem.org.models import Employee, Position

from .. import attainment as rules
from ..models import (
    ActualSource,
    Aggregation,
    Assignment,
    Direction,
    Indicator,
    KeyResultLink,
    LinkMode,
    Measurement,
    MeasurementSource,
    PositionIndicator,
    RuleKind,
)

_ENUM_FIELDS: dict[str, type] = {}


def enum_field(component: str, choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented as an enum component of its own name (as in the goals API),
    one field class per component so that two serializers may share it."""
    if component not in _ENUM_FIELDS:
        _ENUM_FIELDS[component] = extend_schema_field(
            {"type": "string", "enum": [value for value, _label in choices]},
            component_name=component)(type(component, (serializers.ChoiceField,), {
                "__doc__": "A ChoiceField whose enum gets its own schema component name."}))
    return _ENUM_FIELDS[component](choices=choices, **kwargs)


VALUE = {"max_digits": 18, "decimal_places": 4}
FRACTION = {"max_digits": 7, "decimal_places": 4}


class KpiIndicatorSerializer(VersionedModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    display_name = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The name in the language of the request."))
    direction = enum_field("KpiDirectionEnum", Direction.choices, required=False)
    aggregation = enum_field("KpiAggregationEnum", Aggregation.choices, required=False)
    rule = enum_field("KpiRuleEnum", RuleKind.choices, required=False)
    bands = serializers.ListField(
        child=serializers.ListField(child=serializers.DecimalField(**VALUE), min_length=2,
                                    max_length=2),
        required=False, max_length=20, help_text=gettext_lazy(
            "For the banded rule: [[minimum attainment, score], ...]; empty for the default "
            "table."))
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                 max_length=20)

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "name_en", "display_name", "description", "unit",
                  "direction", "aggregation", "rule", "capped", "cap", "floor", "bands",
                  "points_per_unit", "category", "tags", "active", "version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["bands"] = [[rules.plain(Decimal(str(low))), rules.plain(Decimal(str(score)))]
                         for low, score in instance.bands or []]
        return data


class KpiRuleInForceSerializer(serializers.Serializer):
    """The attainment rule in force: the indicator's, with the assignment's overrides."""

    kind = serializers.CharField()
    direction = serializers.CharField()
    capped = serializers.BooleanField()
    cap = serializers.DecimalField(**FRACTION)
    floor = serializers.DecimalField(**FRACTION, allow_null=True)
    bands = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    points_per_unit = serializers.DecimalField(**VALUE)

    def to_representation(self, rule: rules.Rule):
        return {"kind": rule.kind, "direction": rule.direction, "capped": rule.capped,
                "cap": str(rule.cap), "floor": None if rule.floor is None else str(rule.floor),
                "bands": [[str(low), str(score)] for low, score in rule.bands],
                "points_per_unit": str(rule.points_per_unit)}


class KpiFedBySerializer(serializers.ModelSerializer):
    """A key result feeding the assignment."""

    key_result_title = serializers.CharField(source="key_result.title")
    owner_name = serializers.SerializerMethodField()
    mode = enum_field("KpiLinkModeEnum", LinkMode.choices)

    class Meta:
        model = KeyResultLink
        fields = ["id", "key_result", "key_result_title", "owner_name", "mode", "factor"]
        read_only_fields = fields

    def get_owner_name(self, link) -> str:
        owner = link.key_result.owner
        return owner.name if owner is not None else ""


class KpiAssignmentSerializer(VersionedModelSerializer):
    """Create with the indicator, the cycle and one assignee (employee, department or
    position); these are fixed afterwards."""

    serializer_related_field = StrictPrimaryKeyRelatedField
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.display_name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    assignee_kind = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "employee, department or position."))
    assignee_name = serializers.CharField(read_only=True)
    rule = enum_field("KpiRuleOverrideEnum", [("", "—"), *RuleKind.choices], required=False,
                      help_text=gettext_lazy("Overrides the indicator's rule; empty: the "
                                             "indicator's."))
    actual_source = enum_field("KpiActualSourceEnum", ActualSource.choices, required=False)
    pace_plan = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(max_length=20), min_length=2,
                                    max_length=2),
        required=False, max_length=50, help_text=gettext_lazy(
            "[[date, cumulative share], ...] inside the cycle, ending at 1; empty: linear."))
    rule_in_force = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField(help_text=gettext_lazy(
        "How the attainment and the score follow from the actual, line by line."))
    fed_by = KpiFedBySerializer(source="key_result_links", many=True, read_only=True,
                             help_text=gettext_lazy("The key results feeding this KPI."))

    class Meta:
        model = Assignment
        fields = ["id", "cycle", "indicator", "indicator_code", "indicator_name", "unit",
                  "assignee_kind", "employee", "department", "position", "assignee_name",
                  "inherited_from", "target", "weight", "threshold_floor", "threshold_stretch",
                  "rule", "cap", "floor", "rule_in_force", "actual_source", "pace_plan",
                  "actual", "linked_actual", "attainment", "score", "last_measured_on",
                  "explanation", "fed_by", "version"]
        read_only_fields = ["inherited_from", "actual", "linked_actual", "attainment", "score",
                            "last_measured_on"]

    def get_rule_in_force(self, assignment) -> KpiRuleInForceSerializer:
        return KpiRuleInForceSerializer().to_representation(assignment.rule_for())

    def get_explanation(self, assignment) -> list[str]:
        result = rules.evaluate(assignment.actual, assignment.target, assignment.rule_for())
        return [str(line) for line in result.explanation]


class KpiBulkAssignmentSerializer(serializers.Serializer):
    cycle = StrictPrimaryKeyRelatedField(queryset=Cycle.objects)
    indicator = StrictPrimaryKeyRelatedField(queryset=Indicator.objects)
    employees = serializers.ListField(
        child=StrictPrimaryKeyRelatedField(
            queryset=Employee.objects),
        min_length=1, max_length=1000)
    target = serializers.DecimalField(**VALUE)
    weight = serializers.DecimalField(**FRACTION)
    threshold_floor = serializers.DecimalField(**VALUE, required=False, allow_null=True)
    threshold_stretch = serializers.DecimalField(**VALUE, required=False, allow_null=True)


class KpiMeasurementSerializer(serializers.ModelSerializer):
    """A figure of an assignment, with its trace: the check-in and key result it came from,
    or who recorded it."""

    source = enum_field("KpiMeasurementSourceEnum", MeasurementSource.choices, read_only=True)
    key_result = serializers.SerializerMethodField()
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = ["id", "assignment", "date", "value", "note", "source", "check_in",
                  "key_result", "link", "recorded_by", "recorded_by_name", "created_at"]
        read_only_fields = ["assignment", "source", "check_in", "link", "recorded_by",
                            "created_at"]
        extra_kwargs = {"note": {"required": False}}

    def get_key_result(self, measurement) -> int | None:
        return measurement.link.key_result_id if measurement.link_id else None

    def get_recorded_by_name(self, measurement) -> str:
        user = measurement.recorded_by
        return user.get_username() if user is not None else ""


class KpiMeasurementInputSerializer(serializers.Serializer):
    """One figure to record (also what a row of the Excel import is checked with)."""

    date = serializers.DateField()
    value = serializers.DecimalField(**VALUE)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class KpiKeyResultLinkSerializer(serializers.ModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    mode = enum_field("KpiLinkModeEnum", LinkMode.choices, required=False)
    factor = serializers.DecimalField(**VALUE, required=False, allow_null=True,
                                      help_text=gettext_lazy(
                                          "Key result units × factor = indicator units; "
                                          "needed when the units differ (default 1)."))
    key_result_title = serializers.CharField(source="key_result.title", read_only=True)
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = KeyResultLink
        fields = ["id", "key_result", "assignment", "mode", "factor", "key_result_title",
                  "owner_name", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # the service names a duplicate on `assignment`

    def get_owner_name(self, link) -> str:
        owner = link.key_result.owner
        return owner.name if owner is not None else ""


class PositionKpiLineSerializer(serializers.ModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.display_name", read_only=True)

    class Meta:
        model = PositionIndicator
        fields = ["indicator", "indicator_code", "indicator_name", "target", "weight",
                  "threshold_floor", "threshold_stretch"]


class PositionKpiSetSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True)
    lines = PositionKpiLineSerializer(many=True, max_length=50)


class ApplyPositionKpisSerializer(serializers.Serializer):
    positions = serializers.ListField(
        child=StrictPrimaryKeyRelatedField(
            queryset=Position.objects),
        required=False, max_length=1000, help_text=gettext_lazy(
            "Only these positions; by default every position with a KPI set."))


class KpiAppliedSerializer(serializers.Serializer):
    created = KpiAssignmentSerializer(many=True)


class KpiImportRequestSerializer(serializers.Serializer):
    cycle = StrictPrimaryKeyRelatedField(queryset=Cycle.objects)
    file = serializers.FileField(help_text=gettext_lazy(
        "An .xlsx workbook with the columns of the template: employee number or department, "
        "indicator code, date, value, note."))


class KpiImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class KpiImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    rows = serializers.IntegerField()
    errors = KpiImportRowErrorSerializer(many=True)
