"""Who may call core's URLs: the API root, sign-in by token, "me", the API schema and its
documentation, and the language switch. The vocabulary is explained in `core.access_table`."""

from .access_table import ANYONE, EVERYONE

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
}

OBJECTS: dict = {}
