"""The Goals module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

from .views_approval import may_approve_something
from .views_team import may_see_a_team

registry.section("goals", _("Goals"), order=20)
registry.entry("goals", "my-okrs", _("My OKRs"), "goals:mine", icon="target",
               permission="goals.view_objective", order=10)
registry.entry("goals", "alignment", _("Alignment tree"), "goals:tree", icon="chart",
               permission="goals.view_objective", order=20)
registry.entry("goals", "approvals", _("Approvals"), "goals:approvals", icon="clipboard",
               permission=may_approve_something, order=40)
registry.entry("goals", "team", _("My team's OKRs"), "goals:team", icon="users",
               permission=may_see_a_team, order=15)
registry.entry("goals", "templates", _("OKR templates"), "goals:templates", icon="book",
               permission="goals.view_objective", order=50)
