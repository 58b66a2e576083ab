"""Improvement plans over the API: the plans the caller may read with their items, adding an
item, agreeing a plan, and changing or deleting an item. Thin: `reviews.services_plans`
checks and writes."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import FilterBackend

from .. import selectors, services_plans
from ..models import ImprovementItem, ImprovementPlan
from .common import ReviewViewSetMixin, body, refusals
from .filters import ImprovementPlanFilter
from .serializers_more import (
    ImprovementItemSerializer,
    ImprovementItemUpdateSerializer,
    ImprovementPlanAgreeSerializer,
    ImprovementPlanSerializer,
)


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "The improvement plans the caller may read: HR and administrators all; anyone else "
        "their own and those of the people they lead. Each with its items.")),
)
class ImprovementPlanViewSet(ReviewViewSetMixin, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImprovementPlanSerializer
    filter_backends = [FilterBackend]
    filterset_class = ImprovementPlanFilter
    object_permissions = {
        "retrieve": "reviews.view_improvementplan",
        "items": "reviews.change_improvementplan", "agree": "reviews.change_improvementplan",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImprovementPlan.objects.none()
        rows = (selectors.visible_plans(self.request.actor) if self.action == "list"
                else ImprovementPlan.objects.select_related("review", "review__cycle",
                                                            "employee"))
        return rows.prefetch_related("items")  # ordered by the model.order_by("-created_at", "-pk")

    def _answer(self, plan, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(ImprovementPlanSerializer(fresh).data, status=code)

    @extend_schema(request=ImprovementItemSerializer,
                   responses={201: ImprovementItemSerializer}, description=gettext_lazy(
                       "Add an item to the plan (the plan goes back to draft, to be agreed "
                       "again). The manager, the person, HR and administrators."))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def items(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        plan = self.get_object()
        data = body(ImprovementItemSerializer, request.data)
        with refusals():
            item = services_plans.add_item(actor=request.actor, plan=plan, **data)
        return Response(ImprovementItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImprovementPlanAgreeSerializer, responses=ImprovementPlanSerializer,
                   description=gettext_lazy(
                       "The caller agrees the plan: the person for themself, anyone else as "
                       "the manager; with both it is agreed."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def agree(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        plan = self.get_object()
        data = body(ImprovementPlanAgreeSerializer, request.data)
        with refusals():
            services_plans.agree(actor=request.actor, plan=plan, version=data.get("version"))
        return self._answer(plan)


@extend_schema_view(
    partial_update=extend_schema(description=gettext_lazy(
        "Change an item; changing what it asks (not its status or note) takes the plan back "
        "to draft.")),
)
class ImprovementItemViewSet(ReviewViewSetMixin, mixins.RetrieveModelMixin,
                             mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """One item of a plan: read, PATCH and DELETE (no PUT: every field is optional)."""

    serializer_class = ImprovementItemSerializer
    object_permissions = {
        "retrieve": "reviews.view_improvementplan",
        "partial_update": "reviews.change_improvementplan",
        "destroy": "reviews.change_improvementplan",
    }

    @staticmethod
    def rule_object(item):
        return item.plan

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImprovementItem.objects.none()
        return ImprovementItem.objects.select_related("plan", "plan__review")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ImprovementItemUpdateSerializer
        return ImprovementItemSerializer

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        data = body(ImprovementItemUpdateSerializer, request.data, partial=True)
        with refusals():
            item = services_plans.update_item(actor=request.actor, item=item, **data)
        return Response(ImprovementItemSerializer(item).data)

    def perform_destroy(self, instance):
        with refusals():
            services_plans.delete_item(actor=self.request.actor, item=instance)
