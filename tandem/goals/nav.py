"""The Goals module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

registry.section("goals", _("Goals"), order=20)
registry.entry("goals", "my-okrs", _("My OKRs"), "goals:mine", icon="target",
               permission="goals.view_objective", order=10)
registry.entry("goals", "alignment", _("Alignment tree"), "goals:tree", icon="chart",
               permission="goals.view_objective", order=20)
