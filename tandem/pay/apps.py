from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayConfig(AppConfig):
    name = "tandem.pay"
    label = "pay"
    verbose_name = _("Pay")

    def ready(self):
        # Registers the PDF system check.
        from . import checks  # noqa: F401
