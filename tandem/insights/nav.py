"""The Reports module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

import rules
from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry


def _may_read_synergy(request) -> bool:
    # The rules permission alone: has_perm would fall through to ModelBackend's two
    # permission-table queries on every page of those who may not.
    return rules.has_perm("insights.view_synergy", request.user)


registry.section("reports", _("Reports"), order=80)
registry.entry("reports", "synergy", _("OKR–KPI synergy"), "insights:synergy", icon="chart",
               permission=_may_read_synergy, order=10)
