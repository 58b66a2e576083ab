"""Alignment in the API: the ranked parent suggestions of an objective and the alignment
coverage of a cycle (`goals.alignment` computes both), and the body of the alignment tree
(`tree_body`, served by `ObjectiveViewSet.tree`)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import AutoSchema, CompanyScopedMixin, IsCompanyMember, RulesPermission

from .. import alignment, selectors
from ..models import Cycle, Objective

_CYCLE_ID = gettext_lazy("Give a cycle id, or leave the parameter out.")


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="objective.pk")
    title = serializers.CharField(source="objective.title")
    level = serializers.CharField(source="objective.level")
    owner_name = serializers.CharField(source="objective.owner_name")
    cycle = serializers.IntegerField(source="objective.cycle_id")
    score = serializers.FloatField(help_text=gettext_lazy(
        "Text similarity from 0 to 1 (TF-IDF cosine over titles, descriptions and key "
        "results; Chinese segmented with jieba)."))


class SuggestionsSerializer(serializers.Serializer):
    warning = serializers.ChoiceField(
        choices=[alignment.NO_PARENT, alignment.OUTSIDE_CHAIN], allow_null=True,
        help_text=gettext_lazy("`no_parent`, `outside_chain` (the parent is a department "
                               "objective outside the owner's chain of departments) or null."))
    suggestions = SuggestionSerializer(many=True, help_text=gettext_lazy(
        "Objectives of the owner's chain of departments and of the company, in the same or an "
        "enclosing cycle, best match first."))


class CoverageFiguresSerializer(serializers.Serializer):
    objectives = serializers.IntegerField(help_text=gettext_lazy(
        "Department and individual objectives of the cycle."))
    aligned_objectives = serializers.IntegerField()
    objective_coverage = serializers.DecimalField(max_digits=5, decimal_places=4,
                                                  allow_null=True)
    people = serializers.SerializerMethodField(help_text=gettext_lazy(
        "People with objectives in the cycle."))
    aligned_people = serializers.SerializerMethodField()
    people_coverage = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)

    def get_people(self, coverage) -> int:
        return len(coverage.people)

    def get_aligned_people(self, coverage) -> int:
        return len(coverage.aligned_people)


class DepartmentCoverageSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    name = serializers.CharField(source="department.display_name")
    coverage = CoverageFiguresSerializer()


class CoverageSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(allow_null=True)
    company = CoverageFiguresSerializer(allow_null=True)
    departments = DepartmentCoverageSerializer(many=True, help_text=gettext_lazy(
        "Each department with objectives: its own, its people's and those of the departments "
        "below it."))


def tree_body(cycle: Cycle) -> dict:
    """What `TreeSerializer` gives for the cycle's alignment tree, built straight from
    `selectors.alignment_tree_rows`: with 15,000 objectives, a serializer field per value or
    an object per node costs more than the rest of the request (test_tree_api_body keeps the
    two the same). The dicts hold only strings and numbers, which the garbage collector does
    not track."""
    tree = selectors.alignment_tree_rows(cycle)
    return {
        "cycle": cycle.pk,
        "nodes": [
            {"id": pk, "parent": parent_id, "depth": depth, "level": level, "title": title,
             "owner_name": owner_name, "status": status, "progress": f"{progress:.4f}"}
            for (pk, parent_id, level, title, status, progress, owner_name), depth
            in zip(tree.nodes, tree.depths, strict=True)
        ],
        "orphans": [
            {"id": pk, "level": level, "title": title, "owner_name": owner_name,
             "status": status, "progress": f"{progress:.4f}"}
            for pk, _parent_id, level, title, status, progress, owner_name in tree.orphans
        ],
    }


class ObjectiveAlignmentViewSet(CompanyScopedMixin, viewsets.GenericViewSet):
    """Alignment suggestions and coverage. Everyone in the company reads them."""

    queryset = Objective.objects
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    action_permissions = {"alignment_suggestions": "goals.view_objective"}
    schema = AutoSchema()
    lookup_value_regex = "[^/]+"
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return selectors.objectives_with_owners().prefetch_related("key_results")

    @extend_schema(responses=SuggestionsSerializer, description=gettext_lazy(
        "Why the objective is badly aligned (or null), and the objectives it could align to, "
        "ranked by text similarity, with their scores."))
    @action(detail=True, methods=["get"], url_path="alignment-suggestions")
    def alignment_suggestions(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        objective = self.get_object()
        return Response(SuggestionsSerializer({
            "warning": alignment.alignment_warning(objective),
            "suggestions": alignment.suggestions(objective)}).data)

    @extend_schema(
        parameters=[OpenApiParameter("cycle", OpenApiTypes.INT, description=gettext_lazy(
            "The cycle id; by default the active cycle that contains today."))],
        responses=CoverageSerializer, description=gettext_lazy(
            "Alignment coverage of a cycle: the share of department and individual objectives "
            "whose chain of parents reaches a company objective, and the share of people with "
            "at least one such objective, for the company and each department. Without any "
            "active cycle, `cycle` and `company` are null."))
    @action(detail=False, methods=["get"])
    def coverage(self, request, format=None):  # noqa: A002 (DRF's name)
        raw = request.query_params.get("cycle")
        if raw is None:
            cycle = selectors.current_cycle(timezone.localdate())
        elif raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
            cycle = get_object_or_404(Cycle.objects, pk=int(raw))
        else:
            raise exceptions.ValidationError({"cycle": [str(_CYCLE_ID)]})
        if cycle is None:
            return Response({"cycle": None, "company": None, "departments": []})
        report = alignment.coverage(cycle)
        return Response(CoverageSerializer({
            "cycle": cycle.pk, "company": report.company,
            "departments": report.departments}).data)
