"""Salary reports (HR and finance): cost by department, the month-over-month trend, bonuses
against OKR and KPI scores, and the finance exports of an approved or paid run."""

from django.urls import path

from . import views_reports

urlpatterns = [
    path("", views_reports.cost_report, name="reports"),
    path("trend/", views_reports.trend_report, name="report_trend"),
    path("bonuses/", views_reports.bonus_report, name="reports_bonuses"),
    path("runs/<int:pk>/bank-transfers/", views_reports.bank_transfers,
         name="report_bank_transfers"),
    path("runs/<int:pk>/accounting-summary/", views_reports.accounting_summary,
         name="report_accounting_summary"),
    path("runs/<int:pk>/iit-withholding/", views_reports.iit_withholding,
         name="report_iit_withholding"),
]
