"""The /api/v1/ router: every app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tandem.goals.api import CycleViewSet, KeyResultViewSet, ObjectiveViewSet
from tandem.goals.api.alignment import ObjectiveAlignmentViewSet
from tandem.goals.api.templates import OkrTemplateViewSet
from tandem.org.api import DepartmentViewSet, EmployeeViewSet, PositionViewSet

from .api_views import MeView, ObtainTokenView
from .notifications.api import NotificationViewSet

router = DefaultRouter(trailing_slash=True)
router.register("departments", DepartmentViewSet, basename="department")
router.register("positions", PositionViewSet, basename="position")
router.register("employees", EmployeeViewSet, basename="employee")
router.register("cycles", CycleViewSet, basename="cycle")
# Before the objectives: their detail route would take `coverage` for an id.
router.register("objectives", ObjectiveAlignmentViewSet, basename="objective-alignment")
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("key-results", KeyResultViewSet, basename="key-result")
router.register("okr-templates", OkrTemplateViewSet, basename="okr-template")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
    path("", include("tandem.pay.api.urls")),
    path("", include("tandem.kpis.api.urls")),
    path("", include("tandem.reviews.api.urls")),
    path("", include("tandem.insights.api_urls")),
]
