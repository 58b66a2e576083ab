"""The Pay module's API routes, included by `core.api_v1` under /api/v1/."""

from .urls_calculators import urlpatterns as calculators
from .urls_calculators_labour import urlpatterns as calculators_labour
from .urls_payroll import urlpatterns as payroll
from .urls_payslips_pdf import urlpatterns as payslips_pdf
from .urls_records import urlpatterns as records

urlpatterns = calculators + calculators_labour + records + payroll + payslips_pdf
