"""The OKR template API: the company's library (built-in and saved by HR), applying a template
as a draft objective, saving an objective as a company template (`from_objective`) and
deleting one (HR; a built-in template is a 409, see `goals.okr_template_deletion`)."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters as drf_filters
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import (
    AutoSchema,
    CompanyScopedMixin,
    FilterBackend,
    IsCompanyMember,
    RulesPermission,
)
from tandem.core.drf import Conflict
from tandem.org.api.serializers import StrictPrimaryKeyRelatedField
from tandem.org.models import Department, Employee

from .. import okr_template_deletion, okr_templates, selectors
from ..models import Cycle, Industry, Level, Objective, OkrTemplate, OkrTemplateKeyResult
from .serializers import ObjectiveSerializer, enum_field
from .views import _body

# One enum component for the industry, read and written.
IndustryField = type(enum_field("OkrTemplateIndustryEnum", Industry.choices))


class OkrTemplateFilter(filters.FilterSet):
    industry = filters.ChoiceFilter(choices=Industry.choices)

    class Meta:
        model = OkrTemplate
        fields = ["industry"]


class TemplateKeyResultSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True,
                                  help_text=gettext_lazy("In the language of the request."))
    title_zh = serializers.CharField(source="title", read_only=True)
    unit = serializers.CharField(source="display_unit", read_only=True)
    milestones = serializers.ListField(child=serializers.CharField(), source="milestone_titles",
                                       read_only=True)

    class Meta:
        model = OkrTemplateKeyResult
        fields = ["title", "title_zh", "title_en", "measure_type", "start_value",
                  "target_value", "unit", "weight", "milestones"]


class OkrTemplateSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True,
                                  help_text=gettext_lazy("In the language of the request."))
    title_zh = serializers.CharField(source="title", read_only=True)
    description = serializers.CharField(source="display_description", read_only=True)
    builtin = serializers.BooleanField(read_only=True)
    industry = IndustryField(choices=Industry.choices, read_only=True)
    key_results = TemplateKeyResultSerializer(many=True, read_only=True)

    class Meta:
        model = OkrTemplate
        fields = ["id", "industry", "title", "title_zh", "title_en", "description", "kind",
                  "builtin", "key_results"]
        read_only_fields = fields


class SaveAsTemplateSerializer(serializers.Serializer):
    from_objective = StrictPrimaryKeyRelatedField(
        queryset=Objective.objects,
        help_text=gettext_lazy("The objective to copy, with its key results."))
    industry = IndustryField(choices=Industry.choices, required=False,
                             default=Industry.GENERAL)


class ApplyTemplateSerializer(serializers.Serializer):
    cycle = StrictPrimaryKeyRelatedField(queryset=Cycle.objects)
    level = enum_field("ObjectiveLevelOfTemplateEnum", Level.choices)
    owner_department = StrictPrimaryKeyRelatedField(
        queryset=Department.objects, required=False, allow_null=True,
        help_text=gettext_lazy("Department id for a department objective."))
    owner_employee = StrictPrimaryKeyRelatedField(
        queryset=Employee.objects, required=False, allow_null=True,
        help_text=gettext_lazy("Employee id for an individual objective."))


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "The company's OKR templates: the built-in library and those saved by HR.")),
    create=extend_schema(request=SaveAsTemplateSerializer, responses={201: OkrTemplateSerializer},
                         description=gettext_lazy(
                             "HR and administrators save an objective as a company template.")),
    destroy=extend_schema(description=gettext_lazy(
        "HR and administrators delete a template their company saved. A built-in template "
        "answers 409: it belongs to the library that comes with Tandem. Objectives made from "
        "the template are not affected.")),
)
class OkrTemplateViewSet(CompanyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """OKR templates by industry, in Chinese and English. Read-only but for applying one,
    saving an objective as a new one and deleting a company's own."""

    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    filter_backends = [FilterBackend, drf_filters.SearchFilter, drf_filters.OrderingFilter]
    schema = AutoSchema()
    lookup_value_regex = "[^/]+"

    queryset = OkrTemplate.objects
    serializer_class = OkrTemplateSerializer
    filterset_class = OkrTemplateFilter
    search_fields = ["title", "title_en"]
    ordering_fields = ["industry", "title"]
    action_permissions = {"apply": "goals.apply_okrtemplate"}

    def get_queryset(self):
        return okr_templates.templates_with_key_results()

    def list(self, request, *args, **kwargs):
        okr_templates.ensure_library(company=request.company)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        body = _body(SaveAsTemplateSerializer, request.data)
        template = okr_templates.save_as_template(
            objective=body.validated_data["from_objective"],
            industry=body.validated_data["industry"], by=request.user, actor=request.actor)
        data = self.get_serializer(self.get_queryset().get(pk=template.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        try:
            okr_template_deletion.delete_template(template=instance, by=self.request.user,
                                                  actor=self.request.actor)
        except okr_template_deletion.BuiltinTemplate as refusal:
            raise Conflict(str(refusal)) from refusal

    @extend_schema(request=ApplyTemplateSerializer, responses={201: ObjectiveSerializer},
                   description=gettext_lazy(
                       "Create a draft objective with the template's key results for yourself, "
                       "a department you lead or (HR and administrators) the company."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def apply(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        template = self.get_object()
        body = _body(ApplyTemplateSerializer, request.data)
        objective = okr_templates.apply_template(
            template=template, by=request.user, actor=request.actor, **body.validated_data)
        objective = selectors.objectives_with_owners().get(pk=objective.pk)
        return Response(ObjectiveSerializer(objective, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
