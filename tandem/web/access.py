"""Who may open the shell's pages: the dashboard, sign-in and sign-out, notifications, export
jobs. The
vocabulary is explained in `core.access_table`."""

from tandem.core.access import OPEN_NOTIFICATION
from tandem.core.access_table import ANYONE, EVERYONE

from .access_channels import ACCESS as CHANNELS
from .access_channels import FIXTURE as CHANNEL_FIXTURE
from .access_channels import OBJECTS as CHANNEL_OBJECTS
from .access_exports import ACCESS as EXPORTS
from .access_exports import FIXTURE as EXPORT_FIXTURE
from .access_exports import OBJECTS as EXPORT_OBJECTS

ACCESS = {
    # The view does not restrict methods: a POST renders the dashboard like a GET.
    "/": {"GET": EVERYONE, "POST": EVERYONE},
    # Visitors see the form; members are sent on to the dashboard.
    "/login/": {"GET": ANYONE, "POST": ANYONE},
    # Signing out is a POST (a GET is refused with 405); it works signed in or not.
    "/logout/": {"POST": ANYONE},
    # Everyone's own notifications; opening one is a POST (it marks it read), and only its
    # recipient may (objects in core/access.py).
    "/notifications/": {"GET": EVERYONE},
    "/notifications/<pk>/open/": {
        "POST": OPEN_NOTIFICATION, "model": "core.Notification", "denied_as": 404,
    },
    "/notifications/read-all/": {"POST": EVERYONE},
    "/notifications/badge/": {"GET": EVERYONE},
    "/notifications/settings/": {"GET": EVERYONE, "POST": EVERYONE},
    **CHANNELS,
    **EXPORTS,
}

FIXTURE = {**CHANNEL_FIXTURE, **EXPORT_FIXTURE}
OBJECTS: dict = {**CHANNEL_OBJECTS, **EXPORT_OBJECTS}
