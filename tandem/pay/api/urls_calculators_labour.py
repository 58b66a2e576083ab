"""API routes of the labour-law calculators."""

from django.urls import path

from .calculators_labour import (
    AnnualLeaveView,
    EconomicCompensationView,
    OvertimePayView,
    ProbationView,
)

urlpatterns = [
    path("calculators/overtime-pay/", OvertimePayView.as_view(),
         name="calculator-overtime-pay"),
    path("calculators/probation/", ProbationView.as_view(), name="calculator-probation"),
    path("calculators/annual-leave/", AnnualLeaveView.as_view(),
         name="calculator-annual-leave"),
    path("calculators/economic-compensation/", EconomicCompensationView.as_view(),
         name="calculator-economic-compensation"),
]
