"""Who may call core's URLs: the API root, sign-in by token, "me", the API schema and its
documentation, the language switch and the caller's notifications. The vocabulary is explained
in `core.access_table`."""

from .access_table import ANYONE, EVERYONE

# Objects that make_org does not build (sets `org.notifications`): one notification for staff
# and one for peer.
FIXTURE = {"notifications": "tandem.core.notifications.testing.make_notifications"}

# A notification is its recipient's alone: everyone else is refused (with 404, the row is
# not theirs to know of).
OPEN_NOTIFICATION = {"staff": frozenset({"staff"}), "peer": frozenset({"peer"})}

ACCESS = {
    # The router's index of resources: members only, like the resources themselves.
    "/api/v1/": {"GET": EVERYONE},
    # Exchanging a password for a token needs no sign-in; an empty body is a 400.
    "/api/v1/auth/token/": {"POST": ANYONE},
    "/api/v1/me/": {"GET": EVERYONE},
    # The OpenAPI schema and Swagger UI are public: they describe the API, not its data.
    "/api/schema/": {"GET": ANYONE},
    "/api/docs/": {"GET": ANYONE},
    # The language switch (Django's set_language) works before sign-in too.
    "/i18n/setlang/": {"GET": ANYONE, "POST": ANYONE},
    # Notifications: everyone lists and marks their own (members without an employee record
    # get an empty list).
    "/api/v1/notifications/": {"GET": EVERYONE},
    "/api/v1/notifications/read-all/": {"POST": EVERYONE},
    "/api/v1/notifications/<pk>/read/": {
        "POST": OPEN_NOTIFICATION, "model": "core.Notification", "denied_as": 404,
    },
}

OBJECTS = {
    "core.Notification": {"staff": "notifications.staff", "peer": "notifications.peer"},
}
