"""Who may configure the company's notification channels and routing: owners, administrators
and HR (the same people who keep the org chart). Imported by the channel pages; the rules
could move to `core/permissions.py` with the others."""

import rules

from tandem.core.permissions import is_people_admin

rules.add_perm("core.manage_notification_channels", is_people_admin)


def may_manage_channels(request) -> bool:
    """For the navigation entry: the same rule, from a request."""
    # The rules permission alone: has_perm would fall through to ModelBackend's two
    # permission-table queries on every page of those who may not.
    return rules.has_perm("core.manage_notification_channels", request.user)
