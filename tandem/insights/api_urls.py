"""The reports' API routes, included by `core.api_v1` under /api/v1/."""

from django.urls import path

from .api import SynergyReportView

urlpatterns: list = [
    path("reports/synergy/", SynergyReportView.as_view(), name="report-synergy"),
]
