"""Serializers of the review API for cycles and reviews: they check the shape of the input;
`reviews.services` applies the rules. Scores, grades and the explanation are read-only (the
services compute them), and a person reads their own result only once it is published
(`reviews.view_result`): until then those fields are null. Decimals are strings."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.core.versioning import MAX_VERSION, VersionedModelSerializer
from tandem.kpis.api.serializers import enum_field
from tandem.org.api.serializers import StrictPrimaryKeyRelatedField

from .. import services
from ..models import CycleStatus, Review, ReviewCycle, Scope, Stage

SCORE = {"max_digits": 7, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 4}
RESULT_FIELDS = ("okr_score", "kpi_score", "final_score", "calculated_grade", "grade",
                 "grade_reason", "adjustment", "adjustment_reason", "manager_summary",
                 "explanation")


def text(value) -> str | None:
    return None if value is None else str(value)


def lines(explanation) -> list[str]:
    return [str(line) for line in explanation]


# ---------------------------------------------------------------------------------------------
# Cycles


class ReviewCycleSerializer(VersionedModelSerializer):
    """Create and change a cycle while it is being set up; the steps run through the actions
    (open, start-calibration, publish, close)."""

    serializer_related_field = StrictPrimaryKeyRelatedField
    scope = enum_field("ReviewScopeEnum", Scope.choices, required=False)
    status = enum_field("ReviewCycleStatusEnum", CycleStatus.choices, read_only=True)

    class Meta:
        model = ReviewCycle
        fields = ["id", "name", "goal_cycles", "scope", "departments", "people",
                  "self_assessment", "peer_feedback", "calibration", "acknowledgement",
                  "self_deadline", "manager_deadline", "calibration_deadline",
                  "acknowledgement_deadline", "status", "created_at", "opened_at",
                  "published_at", "closed_at", "version"]
        read_only_fields = ["created_at", "opened_at", "published_at", "closed_at"]
        extra_kwargs = {
            "goal_cycles": {"help_text": gettext_lazy("The goal cycles reviewed (ids).")},
            "departments": {"help_text": gettext_lazy(
                "With scope \"departments\": the departments reviewed, with those below.")},
            "people": {"help_text": gettext_lazy("With scope \"people\": the people reviewed.")},
        }


class ReviewDepartmentGradesSerializer(serializers.Serializer):
    department = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Headcount per grade, every grade of the cycle's scale."))


class ReviewGradeSuggestionSerializer(serializers.Serializer):
    review = serializers.IntegerField()
    employee = serializers.IntegerField()
    employee_name = serializers.CharField()
    current = serializers.CharField()
    suggested = serializers.CharField()
    reason = serializers.CharField()


class ReviewDistributionSerializer(serializers.Serializer):
    use_distribution = serializers.BooleanField(help_text=gettext_lazy(
        "Whether the company asked for the forced distribution when the cycle opened; the "
        "suggestions are computed either way."))
    quotas = serializers.DictField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Headcount per grade the frozen shares give (largest remainder)."))
    actual = serializers.DictField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Headcount per grade now."))
    suggestions = ReviewGradeSuggestionSerializer(many=True, help_text=gettext_lazy(
        "Only the people whose grade differs from the distribution; nobody is moved."))
    departments = ReviewDepartmentGradesSerializer(many=True)
    explanation = serializers.ListField(child=serializers.CharField())


# ---------------------------------------------------------------------------------------------
# The explanation of a review's scores (services.explain)


class ReviewObjectiveExplanationSerializer(serializers.Serializer):
    objective = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    progress = serializers.CharField()
    expectation = serializers.CharField()
    ratio = serializers.CharField()
    capped = serializers.BooleanField()
    difficulty = serializers.CharField()
    weight = serializers.CharField()
    score = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())

    def to_representation(self, part):
        return {"objective": part.key, "title": part.title, "kind": part.kind,
                "progress": str(part.progress), "expectation": str(part.expectation),
                "ratio": str(part.ratio), "capped": part.capped,
                "difficulty": str(part.difficulty), "weight": str(part.weight),
                "score": str(part.score), "lines": lines(part.explanation)}


class ReviewOkrExplanationSerializer(serializers.Serializer):
    score = serializers.CharField(allow_null=True)
    objectives = ReviewObjectiveExplanationSerializer(many=True)
    lines = serializers.ListField(child=serializers.CharField())

    def to_representation(self, result):
        return {"score": text(result.score),
                "objectives": [ReviewObjectiveExplanationSerializer(part).data
                               for part in result.objectives],
                "lines": lines(result.explanation)}


class ReviewKpiPartExplanationSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.CharField()
    score = serializers.CharField()
    measured = serializers.BooleanField()
    contribution = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())

    def to_representation(self, part):
        return {"assignment": part.key, "name": str(part.name), "weight": str(part.weight),
                "score": str(part.score), "measured": part.measured,
                "contribution": str(part.contribution), "lines": lines(part.explanation)}


class ReviewKpiExplanationSerializer(serializers.Serializer):
    score = serializers.CharField(allow_null=True)
    weight_total = serializers.CharField()
    parts = ReviewKpiPartExplanationSerializer(many=True)
    lines = serializers.ListField(child=serializers.CharField())

    def to_representation(self, result):
        return {"score": text(result.score), "weight_total": str(result.weight_total),
                "parts": [ReviewKpiPartExplanationSerializer(part).data for part in result.parts],
                "lines": lines(result.explanation)}


class ReviewFinalExplanationSerializer(serializers.Serializer):
    score = serializers.CharField(allow_null=True)
    okr_weight = serializers.CharField()
    kpi_weight = serializers.CharField()
    adjustment = serializers.CharField()
    grade = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())

    def to_representation(self, result):
        return {"score": text(result.score), "okr_weight": str(result.okr_weight),
                "kpi_weight": str(result.kpi_weight), "adjustment": str(result.adjustment),
                "grade": result.grade, "lines": lines(result.explanation)}


class ReviewExplanationSerializer(serializers.Serializer):
    """Each KR and KPI with its figures, the rule applied, the shares, the adjustment and its
    reason, in the language of the request."""

    okr = ReviewOkrExplanationSerializer()
    kpi = ReviewKpiExplanationSerializer()
    final = ReviewFinalExplanationSerializer()

    def to_representation(self, review):
        okr, kpi, final = services.explain(review)
        return {"okr": ReviewOkrExplanationSerializer(okr).data,
                "kpi": ReviewKpiExplanationSerializer(kpi).data,
                "final": ReviewFinalExplanationSerializer(final).data}


# ---------------------------------------------------------------------------------------------
# Reviews


class ReviewSerializer(serializers.ModelSerializer):
    cycle_name = serializers.CharField(source="cycle.name", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.name", read_only=True,
                                          allow_null=True, default=None)
    stage = enum_field("ReviewStageEnum", Stage.choices, read_only=True)
    result_visible = serializers.SerializerMethodField(help_text=gettext_lazy(
        "false: the person reviewed reads their own review before its publication, and the "
        "scores, grade, adjustment, manager's assessment and explanation are null."))
    manager_summary = serializers.CharField(read_only=True, allow_null=True)
    adjustment = serializers.DecimalField(**SCORE, read_only=True, allow_null=True)
    adjustment_reason = serializers.CharField(read_only=True, allow_null=True)
    okr_score = serializers.DecimalField(**SCORE, read_only=True, allow_null=True)
    kpi_score = serializers.DecimalField(**SCORE, read_only=True, allow_null=True)
    final_score = serializers.DecimalField(**SCORE, read_only=True, allow_null=True)
    calculated_grade = serializers.CharField(read_only=True, allow_null=True, help_text=(
        gettext_lazy("The grade the final score gives.")))
    grade = serializers.CharField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "The grade that counts (after calibration)."))
    grade_reason = serializers.CharField(read_only=True, allow_null=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "cycle", "cycle_name", "employee", "employee_name", "department",
                  "reviewer", "reviewer_name", "stage", "okr_weight", "kpi_weight",
                  "weight_source", "self_summary", "self_submitted_at", "manager_summary",
                  "manager_submitted_at", "adjustment", "adjustment_reason", "okr_score",
                  "kpi_score", "final_score", "calculated_grade", "grade", "grade_reason",
                  "result_visible", "explanation", "published_at", "acknowledged_at",
                  "acknowledgement_comment", "version"]
        read_only_fields = fields

    def _visible(self, review) -> bool:
        cache = self.context.setdefault("result_visible", {})
        if review.pk not in cache:
            user = self.context["request"].user
            cache[review.pk] = user.has_perm("reviews.view_result", review)
        return cache[review.pk]

    def get_result_visible(self, review) -> bool:
        return self._visible(review)

    @extend_schema_field(ReviewExplanationSerializer(allow_null=True))
    def get_explanation(self, review):
        return ReviewExplanationSerializer(review).data if self._visible(review) else None

    def to_representation(self, review):
        data = super().to_representation(review)
        if not self._visible(review):
            data.update(dict.fromkeys(RESULT_FIELDS))
        return data


# ---------------------------------------------------------------------------------------------
# The bodies of the step actions


def version_field(required: bool = True) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required, min_value=1, max_value=MAX_VERSION, help_text=gettext_lazy(
            "The version of the review as you read it: 409 when it was saved by someone else "
            "since."))


class ReviewSelfAssessmentSerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True, max_length=4000, trim_whitespace=False)
    version = version_field()


class ReviewRatingSerializer(serializers.Serializer):
    objective = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=(
        gettext_lazy("An objective of the review (see explanation.okr.objectives).")))
    difficulty = serializers.DecimalField(max_digits=7, decimal_places=4, help_text=(
        gettext_lazy("The difficulty coefficient, within the company's bounds.")))
    reason = serializers.CharField(allow_blank=True, max_length=500, required=False,
                                   default="", help_text=gettext_lazy(
                                       "Required when the coefficient is not 1."))


class ReviewAssessmentSerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True, max_length=4000, required=False,
                                    default="", trim_whitespace=False)
    adjustment = serializers.DecimalField(**SCORE, required=False, default="0",
                                          help_text=gettext_lazy(
                                              "Points added or taken off, within the "
                                              "company's limit, with a reason."))
    adjustment_reason = serializers.CharField(allow_blank=True, max_length=500,
                                              required=False, default="")
    ratings = serializers.ListField(child=ReviewRatingSerializer(), required=False, default=list,
                                    max_length=200)
    submit = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy(
        "false: save a draft; true: submit the assessment."))
    version = version_field()

    def validate_ratings(self, ratings):
        objectives = [row["objective"] for row in ratings]
        if len(objectives) != len(set(objectives)):
            raise serializers.ValidationError(gettext_lazy("Rate each objective once."))
        return ratings


class ReviewGradeSerializer(serializers.Serializer):
    grade = serializers.CharField(max_length=8)
    reason = serializers.CharField(allow_blank=True, max_length=500, required=False,
                                   default="", help_text=gettext_lazy(
                                       "Required unless the grade is the one the score "
                                       "gives."))


class ReviewReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=500, help_text=gettext_lazy(
        "What the manager should look at again."))


class ReviewAcknowledgeSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, max_length=2000, required=False,
                                    default="")
