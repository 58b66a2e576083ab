"""The Pay module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

from .rules_records import reads_all_pay_of

registry.section("pay", _("Pay"), order=40)


def _reads_all_pay(request) -> bool:
    return reads_all_pay_of(getattr(request, "actor", None))


registry.entry("pay", "my-payslips", _("My payslips"), "pay:my_payslips", icon="wallet",
               order=10)
# HR prepares the month's payroll, finance approves it (pay.rules_payroll).
registry.entry("pay", "runs", _("Payroll runs"), "pay:runs", icon="clipboard",
               permission=_reads_all_pay,
               order=20)
# Salary reports and the finance exports: salary data, as the runs.
registry.entry("pay", "reports", _("Salary reports"), "pay:reports", icon="chart",
               permission=_reads_all_pay,
               order=30)
# Salary data: everyone reads their own profile and declarations; HR and finance all, and
# the monthly inputs of payroll.
registry.entry("pay", "salary-profiles", _("Salary profiles"), "pay:salary_profiles",
               icon="wallet", order=32)
registry.entry("pay", "deductions", _("Deduction declarations"), "pay:deduction_list",
               icon="clipboard", order=35)
registry.entry("pay", "attendance", _("Attendance for payroll"), "pay:attendance",
               icon="clock", permission=_reads_all_pay, order=40)
registry.entry("pay", "pay-items", _("Pay items"), "pay:pay_items", icon="plus",
               permission=_reads_all_pay, order=45)
registry.entry("pay", "openings", _("Year-to-date figures"), "pay:openings", icon="history",
               permission=_reads_all_pay, order=50)
# Every member may check their own figures with the labour-law calculators.
registry.entry("pay", "calculators", _("Labour-law calculators"), "pay:calculators",
               icon="calculator", order=90)
