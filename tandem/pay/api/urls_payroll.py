"""API routes of payroll: runs, payslips and one-off pay items."""

from rest_framework.routers import SimpleRouter

from .payroll import PayItemViewSet, PayrollRunViewSet, PayslipViewSet

router = SimpleRouter(trailing_slash=True)
router.register("payroll-runs", PayrollRunViewSet, basename="payroll-run")
router.register("payslips", PayslipViewSet, basename="payslip")
router.register("pay-items", PayItemViewSet, basename="pay-item")

urlpatterns = router.urls
