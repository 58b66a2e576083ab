"""Viewsets of the OKR API: thin. The services in `goals.services` validate, check what the
request's actor may do and write."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import CompanyModelViewSet, json_type_errors
from tandem.core.drf import Conflict
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409

from .. import selectors, services
from ..models import CheckIn, Cycle, KeyResult, Objective, TargetChange
from .alignment import tree_body
from .filters import CycleFilter, KeyResultFilter, ObjectiveFilter
from .serializers import (
    CheckInSerializer,
    CycleSerializer,
    KeyResultSerializer,
    ObjectiveSerializer,
    ReviewSerializer,
    TreeSerializer,
)


def _as_conflict(error: DjangoValidationError) -> Conflict:
    return Conflict(" ".join(str(m) for m in error.messages))


_CYCLE_ID = gettext_lazy("Give a cycle id, or leave the parameter out.")
_FIXED = gettext_lazy("This cannot change after creation.")


def _body(serializer_class, data):
    """The validated body of an action, refusing values of the wrong JSON type like the
    viewsets do (core.api.json_type_errors)."""
    body = serializer_class(data=data)
    errors = json_type_errors(body, data)
    if errors:
        raise exceptions.ValidationError(errors)
    body.is_valid(raise_exception=True)
    return body


def _changes(instance, data: dict) -> dict:
    return {name: value for name, value in data.items() if getattr(instance, name) != value}


@extend_schema_view(destroy=extend_schema(description=gettext_lazy(
    "409 while the cycle still has objectives or cycles inside it.")))
class CycleViewSet(CompanyModelViewSet):
    """OKR cycles (year, half, quarter, month), nested. Everyone reads them; HR and
    administrators maintain them."""

    queryset = Cycle.objects
    serializer_class = CycleSerializer
    ordering_fields = ["start", "name"]
    search_fields = ["name"]
    filterset_class = CycleFilter

    def get_queryset(self):
        return Cycle.objects.order_by("-start", "end", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.create_cycle(
            company=self.request.company, actor=self.request.actor, **serializer.validated_data)

    def perform_update(self, serializer):
        services.update_cycle(cycle=serializer.instance, actor=self.request.actor,
                              **serializer.validated_data)

    def perform_destroy(self, instance):
        try:
            services.delete_cycle(cycle=instance, actor=self.request.actor)
        except DjangoValidationError as error:
            raise _as_conflict(error) from error


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "Every objective of the company: OKRs are public inside the company.")),
    partial_update=extend_schema(description=gettext_lazy(
        "Change the wording, kind, weight or alignment. Rewording an approved objective sends "
        "it back for approval. Cycle, level and owner are fixed after creation.")),
)
class ObjectiveViewSet(CompanyModelViewSet):
    """Objectives of the company, its departments and its people. Employees write their own,
    department leaders those of their departments and people, HR and administrators all."""

    queryset = Objective.objects
    serializer_class = ObjectiveSerializer
    schema = VersionedAutoSchema()
    filterset_class = ObjectiveFilter
    search_fields = ["title", "description"]
    ordering_fields = ["title", "progress", "weight"]
    action_permissions = {
        "submit": "goals.submit_objective",
        "approve": "goals.approve_objective",
        "return_to_owner": "goals.approve_objective",
    }

    def get_queryset(self):
        return selectors.objectives_with_owners().order_by("cycle_id", "level", "pk")

    def perform_create(self, serializer):
        objective = services.create_objective(
            company=self.request.company, by=self.request.user, actor=self.request.actor,
            **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=objective.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        with edit_conflicts_as_409():
            services.update_objective(objective=serializer.instance, by=self.request.user,
                                      actor=self.request.actor, version=version,
                                      **_changes(serializer.instance, data))
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.delete_objective(objective=instance, by=self.request.user,
                                  actor=self.request.actor)

    def _review(self, request, service):
        objective = self.get_object()
        body = _body(ReviewSerializer, request.data)
        try:
            service(objective=objective, comment=body.validated_data.get("comment", ""),
                    by=request.user, actor=request.actor)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise _as_conflict(error) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=objective.pk)).data)

    @extend_schema(request=None, responses=ObjectiveSerializer, description=gettext_lazy(
        "The owner submits a draft (with at least one key result) for approval; 409 when it "
        "is not a draft."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        objective = self.get_object()
        try:
            services.submit_objective(objective=objective, by=request.user, actor=request.actor)
        except DjangoValidationError as error:
            raise _as_conflict(error) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=objective.pk)).data)

    @extend_schema(request=ReviewSerializer, responses=ObjectiveSerializer,
                   description=gettext_lazy(
                       "The owner's manager (or HR) approves a submitted objective; 409 when "
                       "it is not submitted."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        return self._review(request, services.approve_objective)

    @extend_schema(request=ReviewSerializer, responses=ObjectiveSerializer,
                   operation_id="objectives_return_create", description=gettext_lazy(
                       "The owner's manager (or HR) returns a submitted objective to its owner "
                       "as a draft, with a comment saying why."))
    @action(detail=True, methods=["post"], url_path="return", filter_backends=[])
    def return_to_owner(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        return self._review(request, services.return_objective)

    @extend_schema(
        parameters=[OpenApiParameter("cycle", OpenApiTypes.INT, description=gettext_lazy(
            "The cycle id; by default the active cycle that contains today."))],
        responses=TreeSerializer, description=gettext_lazy(
            "The cycle's alignment tree: company objectives at the top, each objective followed "
            "by those aligned to it, with progress, owner and status; orphans apart. Without "
            "any active cycle, `cycle` is null and the lists are empty."))
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def tree(self, request, format=None):  # noqa: A002 (DRF's name)
        raw = request.query_params.get("cycle")
        if raw is None:
            cycle = selectors.current_cycle(timezone.localdate())
        elif raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
            cycle = get_object_or_404(Cycle.objects, pk=int(raw))
        else:
            raise exceptions.ValidationError({"cycle": [str(_CYCLE_ID)]})
        if cycle is None:
            return Response({"cycle": None, "nodes": [], "orphans": []})
        return Response(tree_body(cycle))


@extend_schema_view(
    partial_update=extend_schema(description=gettext_lazy(
        "A new target flows down to the key results cascaded from this one (child target = "
        "parent target × share), with `reason` in their history; they keep their approval and "
        "their owners are told. Easing the target of an approved key result needs `reason` "
        "(400 on `reason` without one); the owner's lead is told.")),
)
class KeyResultViewSet(CompanyModelViewSet):
    """Key results. Their progress is computed from check-ins (or taken from an aligned
    objective); whoever may change the objective changes its key results."""

    queryset = KeyResult.objects
    serializer_class = KeyResultSerializer
    schema = VersionedAutoSchema()
    filterset_class = KeyResultFilter
    search_fields = ["title"]
    ordering_fields = ["title", "progress"]
    action_permissions = {"add_check_in": "goals.check_in_keyresult",
                          "check_ins": "goals.view_keyresult"}

    def get_queryset(self):
        changes = TargetChange.objects.select_related("by").order_by("-at", "-pk")
        return (KeyResult.objects.select_related("objective", "objective__owner_employee",
                                                 "objective__owner_department")
                .prefetch_related("milestones", Prefetch("target_changes", queryset=changes))
                .order_by("objective_id", "pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        milestones = [services.MilestoneSpec(**spec) for spec in data.pop("milestones", [])]
        objective = data.pop("objective")
        kr = services.create_key_result(objective=objective, milestones=milestones,
                                        by=self.request.user, actor=self.request.actor, **data)
        serializer.instance = self.get_queryset().get(pk=kr.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        reason = data.pop("reason", "")
        fixed = [name for name in ("objective", "milestones") if name in data
                 and (name == "milestones" or data[name] != serializer.instance.objective)]
        if fixed:
            raise DjangoValidationError({name: [str(_FIXED)] for name in fixed})
        data.pop("objective", None)
        with edit_conflicts_as_409():
            services.update_key_result(key_result=serializer.instance, reason=reason,
                                       by=self.request.user, actor=self.request.actor,
                                       version=version, **_changes(serializer.instance, data))
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.delete_key_result(key_result=instance, by=self.request.user,
                                   actor=self.request.actor)

    @extend_schema(operation_id="key_results_check_ins_list",
                   responses=CheckInSerializer(many=True),
                   description=gettext_lazy("The key result's check-ins, newest first."))
    @action(detail=True, methods=["get"], url_path="check-ins", filter_backends=[])
    def check_ins(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        key_result = self.get_object()
        entries = CheckIn.objects.filter(key_result=key_result).select_related("author")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(CheckInSerializer(page, many=True).data)

    @extend_schema(operation_id="key_results_check_ins_create", request=CheckInSerializer,
                   responses={201: CheckInSerializer}, description=gettext_lazy(
                       "Record a check-in: the new value (or a milestone's state) becomes the "
                       "current value; progress rolls up to the company. The key result's "
                       "owner, the objective's owner, HR and administrators."))
    @check_ins.mapping.post
    def add_check_in(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        key_result = self.get_object()
        body = _body(CheckInSerializer, request.data)
        entry = services.check_in(key_result=key_result, by=request.user, actor=request.actor,
                                  **body.validated_data)
        return Response(CheckInSerializer(entry).data, status=status.HTTP_201_CREATED)
