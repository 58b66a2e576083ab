"""The Pay module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

from .rules_records import reads_all_pay_of

registry.section("pay", _("Pay"), order=40)
registry.entry("pay", "my-payslips", _("My payslips"), "pay:my_payslips", icon="wallet",
               order=10)
# HR prepares the month's payroll, finance approves it (pay.rules_payroll).
registry.entry("pay", "runs", _("Payroll runs"), "pay:runs", icon="clipboard",
               permission=lambda request: reads_all_pay_of(getattr(request, "actor", None)),
               order=20)
# Every member may check their own figures with the labour-law calculators.
registry.entry("pay", "calculators", _("Labour-law calculators"), "pay:calculators",
               icon="calculator", order=90)
