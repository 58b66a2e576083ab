"""Who may read the reports (the `rules` app imports this module at start-up). The reasons
are in `insights.access`."""

import rules

from tandem.core.permissions import is_manager, is_people_admin

# The synergy report: HR and administrators for the whole company, department leaders for the
# departments they lead and those below (the views narrow it).
rules.add_perm("insights.view_synergy", is_people_admin | is_manager)
