"""Bonus policies over the API: HR and administrators write them, finance reads them; both run
the what-if (`simulate`), which saves nothing. Thin: `reviews.services_bonus` validates the
formula and writes."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import json_type_errors
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409

from .. import services_bonus
from ..models import BonusPolicy, Review
from .common import ReviewViewSetMixin, body, refusals
from .serializers_more import (
    BonusPolicySerializer,
    BonusSimulateSerializer,
    BonusSimulationSerializer,
)

READ = "reviews.view_bonuspolicy"
WRITE = "reviews.change_bonuspolicy"


def simulation_data(simulation) -> dict:
    """The simulation with each line's review and employee (one query)."""
    employees = dict(Review.objects.filter(pk__in=[line.key for line in simulation.lines])
                     .values_list("pk", "employee_id"))
    return {
        "lines": [{"review": line.key, "employee": employees[line.key],
                   "employee_name": line.name, "raw": line.raw, "amount": line.amount,
                   "explanation": [str(text) for text in line.explanation],
                   "error": str(line.error)} for line in simulation.lines],
        "total": simulation.total, "budget": simulation.budget,
        "over_budget": simulation.over_budget, "within_budget": simulation.within_budget,
        "error_count": simulation.error_count,
        "explanation": [str(text) for text in simulation.explanation],
    }


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "The company's bonus policies. HR, administrators and finance.")),
    create=extend_schema(description=gettext_lazy(
        "A policy: its formula is validated (400 on `formula` with the place of the error). "
        "HR and administrators.")),
    destroy=extend_schema(description=gettext_lazy(
        "409 once awards were computed with it: deactivate it instead.")),
)
class BonusPolicyViewSet(ReviewViewSetMixin, viewsets.ModelViewSet):
    serializer_class = BonusPolicySerializer
    schema = VersionedAutoSchema()
    object_permissions = {
        "retrieve": READ, "update": WRITE, "partial_update": WRITE, "destroy": WRITE,
        "simulate": "reviews.simulate_bonuspolicy",
    }

    def may_use(self, request) -> bool:
        # Detail routes decide on the object, so another company's id is a 404 first.
        if self.action == "create":
            return request.user.has_perm(WRITE)
        if self.action == "list":
            return request.user.has_perm(READ)
        return True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BonusPolicy.objects.none()
        return BonusPolicy.objects.order_by("name", "pk")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            errors = json_type_errors(serializer, kwargs["data"])
            if errors:
                raise exceptions.ValidationError(errors)
        return serializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        with refusals():
            serializer.instance = services_bonus.save_policy(
                actor=self.request.actor, company=self.request.company, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        with refusals(), edit_conflicts_as_409():
            serializer.instance = services_bonus.save_policy(
                actor=self.request.actor, company=self.request.company,
                policy=serializer.instance, version=version, **data)

    def perform_destroy(self, instance):
        # Awards PROTECT their policy: ProtectedError → 409.
        services_bonus.delete_policy(actor=self.request.actor, policy=instance)

    @extend_schema(request=BonusSimulateSerializer, responses=BonusSimulationSerializer,
                   description=gettext_lazy(
                       "What-if: every bonus the policy, with the changes given, would pay "
                       "the people of an opened cycle it applies to, and the total against "
                       "the budget; with okr_weight and kpi_weight, the final scores are "
                       "recomputed with those shares. Nothing is saved."))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def simulate(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        policy = self.get_object()
        data = body(BonusSimulateSerializer, request.data)
        cycle = data.pop("cycle")
        with refusals():
            simulation = services_bonus.simulate(actor=request.actor, policy=policy,
                                                 cycle=cycle, **data)
        return Response(BonusSimulationSerializer(simulation_data(simulation)).data)
