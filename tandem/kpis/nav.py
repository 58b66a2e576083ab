"""The KPIs module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

from .views_common import is_people_admin, manages_kpis, may_see_a_team
from .views_tracking import may_change_tracking

registry.section("kpis", _("KPIs"), order=30)
registry.entry("kpis", "my-kpis", _("My KPIs"), "kpis:mine", icon="gauge", order=10)
registry.entry("kpis", "team", _("My team's KPIs"), "kpis:team", icon="users",
               permission=may_see_a_team, order=15)
registry.entry("kpis", "library", _("KPI library"), "kpis:library", icon="book",
               permission="kpis.view_indicator", order=20)
registry.entry("kpis", "assignments", _("Assignments"), "kpis:assignments", icon="clipboard",
               permission=manages_kpis, order=30)
registry.entry("kpis", "import", _("Import"), "kpis:import", icon="plus",
               permission=is_people_admin, order=40)
# Pace and risk (kpis.risk): what is at risk (each person their own, leaders their people),
# how reliable confidence calls were, and the company's thresholds (HR and administrators).
registry.entry("kpis", "risks", _("Items at risk"), "kpis:tracking_risks", icon="gauge",
               order=50)
registry.entry("kpis", "calibration", _("Confidence calibration"),
               "kpis:tracking_calibration", icon="chart", order=60)
registry.entry("kpis", "tracking", _("Pace and alert settings"), "kpis:tracking_settings",
               icon="settings", permission=may_change_tracking, order=70)
