"""API routes of the Pay data: salary profiles, city policies, attendance summaries and
deduction declarations."""

from rest_framework.routers import SimpleRouter

from .records import (
    AttendanceSummaryViewSet,
    CityPolicyViewSet,
    DeductionDeclarationViewSet,
    SalaryProfileViewSet,
    WorkInjuryRateViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("salary-profiles", SalaryProfileViewSet, basename="salary-profile")
router.register("city-policies", CityPolicyViewSet, basename="city-policy")
router.register("attendance-summaries", AttendanceSummaryViewSet,
                basename="attendance-summary")
router.register("deduction-declarations", DeductionDeclarationViewSet,
                basename="deduction-declaration")
router.register("work-injury-rates", WorkInjuryRateViewSet, basename="work-injury-rate")

urlpatterns = router.urls
