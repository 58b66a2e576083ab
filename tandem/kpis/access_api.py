"""Access table of the KPI API (see `core.access_table`; objects and role sets in
`kpis.access`). Lists are open to every member and hold only what the caller may read
(tested in kpis/tests/test_api_*.py); objects follow `kpis.rules`."""

from tandem.core.access_table import EVERYONE, PEOPLE_ADMINS

from .access import MANAGE_ASSIGNMENT as _MANAGE
from .access import READ_ASSIGNMENT as _READ

# peer_link: peer's key result feeding peer's assignment. Unlinking: who may change the key
# result and manage or hold the assignment (kpis.links.may_link).
_UNLINK = {"peer_link": PEOPLE_ADMINS | {"peer"}}
_READ_LINK = {"peer_link": _READ["peer"]}

ACCESS: dict = {
    "/api/v1/kpis/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS},
    "/api/v1/kpis/<pk>/": {
        "model": "kpis.Indicator",
        "GET": EVERYONE, "PUT": PEOPLE_ADMINS, "PATCH": PEOPLE_ADMINS,
        # Assigned indicators are refused with 409 (allowed, refused by the data).
        "DELETE": PEOPLE_ADMINS,
    },
    # Everyone may create: the service checks the assignee (400 for an empty body).
    "/api/v1/kpi-assignments/": {"GET": EVERYONE, "POST": EVERYONE},
    "/api/v1/kpi-assignments/bulk/": {"POST": EVERYONE},
    "/api/v1/kpi-assignments/import/": {"POST": PEOPLE_ADMINS | {"lead"}},
    "/api/v1/kpi-assignments/<pk>/": {
        "model": "kpis.Assignment",
        "GET": _READ, "PUT": _MANAGE, "PATCH": _MANAGE, "DELETE": _MANAGE,
    },
    "/api/v1/kpi-assignments/<pk>/measurements/": {
        "model": "kpis.Assignment", "GET": _READ, "POST": _MANAGE,
    },
    "/api/v1/kpi-measurements/<pk>/": {
        "model": "kpis.Measurement",
        "GET": {"staff_measurement": _READ["staff"]},
        "DELETE": {"staff_measurement": _MANAGE["staff"]},
    },
    "/api/v1/kr-kpi-links/": {"GET": EVERYONE, "POST": EVERYONE},
    "/api/v1/kr-kpi-links/<pk>/": {
        "model": "kpis.KeyResultLink", "GET": _READ_LINK, "DELETE": _UNLINK,
    },
    # Position KPI sets: everyone reads, HR and administrators write and apply them.
    "/api/v1/positions/<pk>/kpi-set/": {
        "model": "org.Position", "GET": EVERYONE, "PUT": PEOPLE_ADMINS,
    },
    "/api/v1/cycles/<pk>/apply-position-kpis/": {"model": "goals.Cycle", "POST": PEOPLE_ADMINS},
}
