"""The review API routes, included by `core.api_v1` under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .bonus import BonusPolicyViewSet
from .cycles import ReviewCycleViewSet
from .plans import ImprovementItemViewSet, ImprovementPlanViewSet
from .reviews import ReviewViewSet

router = SimpleRouter(trailing_slash=True)
router.register("review-cycles", ReviewCycleViewSet, basename="review-cycle")
router.register("reviews", ReviewViewSet, basename="review")
router.register("improvement-plans", ImprovementPlanViewSet, basename="improvement-plan")
router.register("improvement-items", ImprovementItemViewSet, basename="improvement-item")
router.register("bonus-policies", BonusPolicyViewSet, basename="bonus-policy")

urlpatterns = router.urls
