from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "tandem.kpis"
    label = "kpis"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        from . import notifications, signals  # noqa: F401 (alert kinds; check-ins → measurements)
