"""The payroll run pages (HR and finance): the list with a new run, one run with its inputs
check, problems, totals and payslips, its progress while calculating, and its actions."""

from django.urls import path

from . import views_runs

urlpatterns = [
    path("", views_runs.run_list, name="runs"),
    path("<int:pk>/", views_runs.run_detail, name="run_detail"),
    path("<int:pk>/progress/", views_runs.run_progress, name="run_progress"),
    path("<int:pk>/calculate/", views_runs.run_calculate, name="run_calculate"),
    path("<int:pk>/approve/", views_runs.run_approve, name="run_approve"),
    path("<int:pk>/mark-paid/", views_runs.run_mark_paid, name="run_mark_paid"),
    path("<int:pk>/delete/", views_runs.run_delete, name="run_delete"),
]
