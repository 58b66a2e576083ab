"""Payslip pages: "My payslips", a payslip as a document, and its PDF."""

from django.urls import path

from . import views_payslips

urlpatterns = [
    path("", views_payslips.my_payslips, name="my_payslips"),
    path("<int:pk>/", views_payslips.payslip_detail, name="payslip_detail"),
    path("<int:pk>/pdf/", views_payslips.payslip_pdf, name="payslip_pdf"),
]
