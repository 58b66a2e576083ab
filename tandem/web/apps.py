from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "tandem.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from . import nav

        nav.register_defaults()
        # Every installed app may ship a `nav` module that registers its own entries.
        autodiscover_modules("nav")
