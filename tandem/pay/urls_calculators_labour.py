"""Pages of the labour-law calculators (under /pay/calculators/)."""

from django.urls import path

from . import views_calculators_labour as views

urlpatterns = [
    path("overtime/", views.overtime_calculator, name="calculator_overtime"),
    path("probation/", views.probation_calculator, name="calculator_probation"),
    path("annual-leave/", views.annual_leave_calculator, name="calculator_annual_leave"),
    path("economic-compensation/", views.economic_compensation_calculator,
         name="calculator_economic_compensation"),
]
