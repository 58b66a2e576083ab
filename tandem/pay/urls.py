from django.urls import include, path

app_name = "pay"

urlpatterns = [
    # The labour-law calculators (the same functions payroll uses).
    path("calculators/", include("tandem.pay.urls_calculators")),
    path("calculators/", include("tandem.pay.urls_calculators_labour")),
    # Salary profiles, city policies, holidays and attendance inputs.
    path("", include("tandem.pay.urls_records")),
    # Payroll runs (HR and finance) and payslips (everyone their own).
    path("runs/", include("tandem.pay.urls_runs")),
    path("payslips/", include("tandem.pay.urls_payslips")),
    # Salary reports and the finance exports.
    path("reports/", include("tandem.pay.urls_reports")),
]
