"""The Pay module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

registry.section("pay", _("Pay"), order=40)
# Every member may check their own figures with the labour-law calculators.
registry.entry("pay", "calculators", _("Labour-law calculators"), "pay:calculators",
               icon="calculator", order=90)
