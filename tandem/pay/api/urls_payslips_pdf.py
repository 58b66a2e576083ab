"""API route of the payslip PDF."""

from django.urls import path

from .payslips_pdf import PayslipPdfView

urlpatterns = [
    path("payslips/<int:pk>/pdf/", PayslipPdfView.as_view(), name="payslip-pdf"),
]
