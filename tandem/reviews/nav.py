"""The review module's entries in the left navigation (discovered by `web.apps.WebConfig`).
Permissions are read through `rules` directly: the model backend would query the database for
every entry of every page."""

import rules
from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

registry.section("reviews", _("Reviews"), order=35)


def _may(permission: str):
    def check(request) -> bool:
        return rules.has_perm(permission, request.user)

    return check


def _leads_or_reads_all(request) -> bool:
    actor = getattr(request, "actor", None)
    return actor is not None and (actor.is_admin or actor.is_hr or actor.is_finance
                                  or actor.is_manager)


registry.entry("reviews", "mine", _("My reviews"), "reviews:mine", icon="star", order=10)
# The people one leads (HR and administrators: everyone; finance reads).
registry.entry("reviews", "team", _("Team reviews"), "reviews:team", icon="users",
               permission=_leads_or_reads_all, order=20)
registry.entry("reviews", "plans", _("Improvement plans"), "reviews:plans", icon="clipboard",
               order=30)
# HR runs the cycles, keeps the settings and the rules; finance reads the bonus policies.
registry.entry("reviews", "cycles", _("Review cycles"), "reviews:cycles", icon="history",
               permission=_may("reviews.change_reviewcycle"), order=40)
registry.entry("reviews", "bonus", _("Bonus policies"), "reviews:bonus_policies",
               icon="wallet", permission=_may("reviews.view_bonuspolicy"), order=50)
registry.entry("reviews", "rules", _("Improvement rules"), "reviews:rules", icon="book",
               permission=_may("reviews.change_improvementrule"), order=60)
registry.entry("reviews", "settings", _("Review settings"), "reviews:settings",
               icon="settings", permission=_may("reviews.change_reviewsettings"), order=70)
