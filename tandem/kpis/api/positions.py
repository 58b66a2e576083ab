"""Position KPI sets over the API: `/api/v1/positions/{id}/kpi-set/` (GET, PUT the whole set)
and `/api/v1/cycles/{id}/apply-position-kpis/` (give the sets for a cycle)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from tandem.core.api import AutoSchema, CompanyScopedMixin, IsCompanyMember
from tandem.core.drf import JSONParser
from tandem.core.permissions import is_people_admin
from tandem.goals.models import Cycle
from tandem.org.models import Position

from .. import selectors, services
from ..models import PositionIndicator
from .assignments import body
from .serializers import (
    ApplyPositionKpisSerializer,
    KpiAppliedSerializer,
    KpiAssignmentSerializer,
    PositionKpiSetSerializer,
)


class _Base(CompanyScopedMixin, GenericAPIView):
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember]
    schema = AutoSchema()
    pagination_class = None
    filter_backends = []
    parser_classes = [JSONParser]

    def require_people_admin(self, request):
        if not is_people_admin(request.user):
            raise exceptions.PermissionDenied


def _set_of(position) -> dict:
    lines = (PositionIndicator.objects.filter(position=position).select_related("indicator")
             .order_by("indicator__code", "pk"))
    return PositionKpiSetSerializer({"position": position.pk, "lines": list(lines)}).data


class PositionKpiSetView(_Base):
    """A position's default KPI set: what its people receive for a cycle (applied with
    `apply-position-kpis`) and what a new hire in the position starts with."""

    serializer_class = PositionKpiSetSerializer
    queryset = Position.objects

    @extend_schema(operation_id="positions_kpi_set_retrieve", description=gettext_lazy(
        "The position's KPI set; every member reads it."))
    def get(self, request, pk):
        if not request.user.has_perm("kpis.view_positionindicator"):
            raise exceptions.PermissionDenied
        return Response(_set_of(get_object_or_404(Position.objects, pk=_pk(pk))))

    @extend_schema(operation_id="positions_kpi_set_update", description=gettext_lazy(
        "Replace the position's KPI set; the weights add up to 100 % (an empty list clears "
        "it). HR and administrators."))
    def put(self, request, pk):
        position = get_object_or_404(Position.objects, pk=_pk(pk))
        self.require_people_admin(request)
        data = body(PositionKpiSetSerializer, request.data)
        services.set_position_kpis(position=position, lines=data["lines"], actor=request.actor)
        return Response(_set_of(position))


class ApplyPositionKpisView(_Base):
    serializer_class = ApplyPositionKpisSerializer
    queryset = Cycle.objects

    @extend_schema(operation_id="cycles_apply_position_kpis", request=ApplyPositionKpisSerializer,
                   responses={201: KpiAppliedSerializer}, description=gettext_lazy(
                       "Give each position its KPI set for this cycle (positions that already "
                       "hold an indicator in the cycle keep theirs); everyone in a position "
                       "inherits it. HR and administrators."))
    def post(self, request, pk):
        cycle = get_object_or_404(Cycle.objects, pk=_pk(pk))
        self.require_people_admin(request)
        data = body(ApplyPositionKpisSerializer, request.data)
        created = services.apply_position_sets(cycle=cycle, positions=data.get("positions"),
                                               actor=request.actor, by=request.user)
        rows = (selectors.assignments_with_relations()
                .prefetch_related(selectors.links_prefetch())
                .filter(pk__in=[a.pk for a in created]).order_by("pk"))
        return Response({"created": KpiAssignmentSerializer(rows, many=True).data},
                        status=status.HTTP_201_CREATED)


def _pk(raw) -> int:
    """A malformed or out-of-range id names nothing: 404."""
    text = str(raw)
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**63):
        raise exceptions.NotFound
    return int(text)
