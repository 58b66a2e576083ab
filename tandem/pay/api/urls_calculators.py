"""API routes of the income-tax calculators."""

from django.urls import path

from .calculators_tax import AnnualBonusTaxView, IitWithholdingView

urlpatterns = [
    path("calculators/iit-withholding/", IitWithholdingView.as_view(),
         name="calculator-iit-withholding"),
    path("calculators/annual-bonus-tax/", AnnualBonusTaxView.as_view(),
         name="calculator-annual-bonus-tax"),
]
