"""Pages of the calculators' index and the income-tax calculators (under /pay/calculators/)."""

from django.urls import path

from . import views_calculators as views

urlpatterns = [
    path("", views.calculators, name="calculators"),
    path("iit/", views.iit_calculator, name="calculator_iit"),
    path("annual-bonus/", views.annual_bonus_calculator, name="calculator_annual_bonus"),
]
