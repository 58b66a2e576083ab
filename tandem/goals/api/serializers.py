"""Serializers of the OKR API: they check the shape of the input; `goals.services` applies the
rules. Progress, current values and statuses are read-only: services compute them."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.core.versioning import VersionedModelSerializer
from tandem.org.api.serializers import StrictPrimaryKeyRelatedField

from ..models import (
    CheckIn,
    Cycle,
    CycleKind,
    CycleStatus,
    KeyResult,
    Milestone,
    Objective,
    ObjectiveKind,
    ObjectiveStatus,
    TargetChange,
    TargetChangeKind,
    TargetChangeSource,
)
from ..progress import grade

_GRADE_HELP = gettext_lazy("OKR grade: the progress up to 1.0, with one decimal.")
_PROGRESS_HELP = gettext_lazy("Computed progress as a fraction: 0 at the start, 1 at the target, "
                              "up to the cap for overachievement.")


def enum_field(component: str, choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented as an enum component of its own name: cycles, objectives and
    employees each have a `kind` or a `status` with values of their own, and the components
    drf-spectacular would name after the field alone would collide."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]},
                         component_name=component)
    class NamedChoiceField(serializers.ChoiceField):
        """A ChoiceField whose enum gets its own schema component name."""

    return NamedChoiceField(choices=choices, **kwargs)


class CycleSerializer(serializers.ModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    kind = enum_field("CycleKindEnum", CycleKind.choices)
    status = enum_field("CycleStatusEnum", CycleStatus.choices, required=False)

    class Meta:
        model = Cycle
        fields = ["id", "name", "kind", "start", "end", "status", "parent"]
        extra_kwargs = {"parent": {"help_text": gettext_lazy(
            "The enclosing cycle (the year of a quarter), or null.")}}


class ObjectiveSerializer(VersionedModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    owner_name = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The owner's name in the language of the request: a person, a department or the "
        "company."))
    grade = serializers.SerializerMethodField(help_text=_GRADE_HELP)
    kind = enum_field("ObjectiveKindEnum", ObjectiveKind.choices, required=False)
    status = enum_field("ObjectiveStatusEnum", ObjectiveStatus.choices, read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "cycle", "level", "owner_department", "owner_employee", "owner_name",
                  "title", "description", "kind", "weight", "status", "parent", "progress",
                  "grade", "review_comment", "version"]
        read_only_fields = ["status", "progress", "review_comment"]
        extra_kwargs = {
            "owner_department": {"help_text": gettext_lazy(
                "Department id for a department objective, else null. Fixed after creation.")},
            "owner_employee": {"help_text": gettext_lazy(
                "Employee id for an individual objective, else null. Fixed after creation.")},
            "parent": {"help_text": gettext_lazy(
                "The objective this one is aligned to: one level up or the company, in the "
                "same or an enclosing cycle; null for none.")},
            "progress": {"help_text": _PROGRESS_HELP},
        }

    def get_grade(self, objective) -> str:
        return str(grade(objective.progress))


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "weight", "due", "done"]
        read_only_fields = ["done"]


class TargetChangeSerializer(serializers.ModelSerializer):
    change = enum_field("TargetChangeKindEnum", TargetChangeKind.choices, read_only=True,
                        help_text=gettext_lazy(
                            "eased (asks for less, in the key result's direction) or raised."))
    source = enum_field("TargetChangeSourceEnum", TargetChangeSource.choices, read_only=True,
                        help_text=gettext_lazy(
                            "manual, or cascade when the parent key result's target changed."))
    low_ambition_explanation = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "Why the new target was flagged, in the language of the request; empty when not."))
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = TargetChange
        fields = ["id", "old_target", "new_target", "change", "source", "reason", "by",
                  "by_name", "at", "low_ambition", "low_ambition_explanation"]
        read_only_fields = fields

    def get_by_name(self, change) -> str:
        return change.by.get_username() if change.by else ""


class KeyResultSerializer(VersionedModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    direction = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "increase or decrease, from the start and target values."))
    grade = serializers.SerializerMethodField(help_text=_GRADE_HELP)
    milestones = MilestoneSerializer(many=True, required=False, help_text=gettext_lazy(
        "The dated steps of a milestone key result; given on creation only."))
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                   max_length=500, help_text=gettext_lazy(
                                       "Why the change, kept in the history (and in the "
                                       "history of the key results a new target cascades to). "
                                       "Required to ease the target of a key result whose "
                                       "objective has been approved."))
    low_ambition = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "The target is already promised by the key result's trend or its owner's past "
        "results (assessed when the target is set)."))
    low_ambition_explanation = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "Why the target is flagged, in words and figures; empty when it is not."))
    target_changes = TargetChangeSerializer(many=True, read_only=True, help_text=gettext_lazy(
        "Every change of the target, newest first, with its reason."))

    class Meta:
        model = KeyResult
        fields = ["id", "objective", "title", "owner", "measure_type", "start_value",
                  "target_value", "current_value", "unit", "direction", "weight", "due",
                  "progress", "grade", "parent_key_result", "cascade_share",
                  "driven_by_objective", "milestones", "reason", "low_ambition",
                  "low_ambition_explanation", "target_changes", "version"]
        read_only_fields = ["current_value", "progress"]
        extra_kwargs = {
            "target_value": {"help_text": gettext_lazy(
                "The target; for a cascaded key result it is computed: parent target × share.")},
            "parent_key_result": {"help_text": gettext_lazy(
                "The key result of an objective above that this one is cascaded from, or null.")},
            "cascade_share": {"help_text": gettext_lazy(
                "Share of the parent key result's target, above 0 and at most 1.")},
            "driven_by_objective": {"help_text": gettext_lazy(
                "An objective aligned to this key result's objective whose progress this key "
                "result takes instead of check-ins; or null.")},
            "progress": {"help_text": _PROGRESS_HELP},
        }

    def get_grade(self, key_result) -> str:
        return str(grade(key_result.progress))


class CheckInSerializer(serializers.ModelSerializer):
    serializer_related_field = StrictPrimaryKeyRelatedField
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = ["id", "key_result", "value", "milestone", "milestone_done", "confidence",
                  "comment", "progress", "author", "author_name", "created_at"]
        read_only_fields = ["key_result", "progress", "author", "created_at"]
        extra_kwargs = {
            "value": {"help_text": gettext_lazy(
                "The new value (1 or 0 for a done / not done key result); null for a "
                "milestone key result.")},
            "milestone": {"help_text": gettext_lazy("The milestone whose state changes.")},
            "confidence": {"min_value": 0, "max_value": 10},
        }

    def get_author_name(self, check_in) -> str:
        return check_in.author.get_username() if check_in.author else ""


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                    help_text=gettext_lazy("Why; required to return."))


class TreeNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="objective.pk")
    parent = serializers.IntegerField(source="objective.parent_id", allow_null=True)
    depth = serializers.IntegerField(help_text=gettext_lazy("0 at the top of the tree."))
    level = serializers.CharField(source="objective.level")
    title = serializers.CharField(source="objective.title")
    owner_name = serializers.CharField(source="objective.owner_name")
    status = serializers.CharField(source="objective.status")
    progress = serializers.DecimalField(source="objective.progress", max_digits=7,
                                        decimal_places=4)


class OrphanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    level = serializers.CharField()
    title = serializers.CharField()
    owner_name = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.DecimalField(max_digits=7, decimal_places=4)


class TreeSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(allow_null=True)
    nodes = TreeNodeSerializer(many=True, help_text=gettext_lazy(
        "The objectives depth first, each followed by the objectives aligned to it."))
    orphans = OrphanSerializer(many=True, help_text=gettext_lazy(
        "Department and individual objectives aligned to nothing."))



def tree_payload(cycle_id, tree) -> dict:
    """What `TreeSerializer` gives for a whole tree, built directly: with 15,000 objectives the
    serializer alone costs ~100 ms of the request (test_tree_payload_matches_the_serializer
    keeps both the same)."""

    def progress(value) -> str:
        return f"{value:.4f}"

    return {
        "cycle": cycle_id,
        "nodes": [
            {"id": n.objective.pk, "parent": n.objective.parent_id, "depth": n.depth,
             "level": n.objective.level, "title": n.objective.title,
             "owner_name": n.objective.owner_name, "status": n.objective.status,
             "progress": progress(n.objective.progress)}
            for n in tree.flat()
        ],
        "orphans": [
            {"id": o.pk, "level": o.level, "title": o.title, "owner_name": o.owner_name,
             "status": o.status, "progress": progress(o.progress)}
            for o in tree.orphans
        ],
    }
