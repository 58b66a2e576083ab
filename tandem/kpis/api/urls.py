"""The KPI API routes, included by `core.api_v1` under /api/v1/."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from .assignments import AssignmentViewSet
from .positions import ApplyPositionKpisView, PositionKpiSetView
from .views import IndicatorViewSet, KeyResultLinkViewSet, MeasurementViewSet

router = SimpleRouter(trailing_slash=True)
router.register("kpis", IndicatorViewSet, basename="kpi")
router.register("kpi-assignments", AssignmentViewSet, basename="kpi-assignment")
router.register("kpi-measurements", MeasurementViewSet, basename="kpi-measurement")
router.register("kr-kpi-links", KeyResultLinkViewSet, basename="kr-kpi-link")

urlpatterns = [
    re_path(r"^positions/(?P<pk>[^/]+)/kpi-set/$", PositionKpiSetView.as_view(),
            name="position-kpi-set"),
    re_path(r"^cycles/(?P<pk>[^/]+)/apply-position-kpis/$", ApplyPositionKpisView.as_view(),
            name="cycle-apply-position-kpis"),
    *router.urls,
]
