"""Access table of the KPI pages (see `core.access_table`). The objects and the role sets per
assignment (READ_ASSIGNMENT, MANAGE_ASSIGNMENT) are in `kpis.access`."""

from tandem.core.access_table import EVERYONE, PEOPLE_ADMINS

# Department leaders, HR and administrators: the team page and the assignment pages.
MANAGERS = PEOPLE_ADMINS | {"lead"}

# Kept in step with kpis.access (imported there, so not imported from it here).
_READ = {
    "staff": frozenset({"owner", "hr", "lead", "staff"}),
    "peer": frozenset({"owner", "hr", "peer"}),
    "rnd": frozenset({"owner", "hr", "finance", "lead", "staff", "peer"}),
}
_MANAGE = {
    "staff": frozenset({"owner", "hr", "lead"}),
    "peer": frozenset({"owner", "hr"}),
    "rnd": frozenset({"owner", "hr"}),
}
# The link form: those who manage the assignment and its holder (the service checks the key
# result as well).
_LINK = {
    "staff": _MANAGE["staff"] | {"staff"},
    "peer": _MANAGE["peer"] | {"peer"},
    "rnd": _MANAGE["rnd"],
}
# Removing peer's link (peer's key result → peer's KPI): HR and administrators, and peer, who
# changes the key result and holds the KPI.
_UNLINK = {"peer_link": PEOPLE_ADMINS | {"peer"}}
# Deleting staff's entered figure: who records figures on staff's KPI.
_MEASURE = {"staff_measurement": _MANAGE["staff"]}

ACCESS: dict = {
    # My KPIs and the weighted score's explanation: every member.
    "/kpis/": {"GET": EVERYONE, "POST": EVERYONE},
    "/kpis/explain/": {"GET": EVERYONE, "POST": EVERYONE},
    "/kpis/team/": {"GET": MANAGERS, "POST": MANAGERS},
    # The library: everyone reads, HR and administrators keep it. Deleting an assigned
    # indicator is refused by the data (409), so it counts as allowed for them.
    "/kpis/library/": {"GET": EVERYONE, "POST": EVERYONE},
    "/kpis/library/new/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/kpis/library/<pk>/edit/": {"model": "kpis.Indicator", "GET": PEOPLE_ADMINS,
                                 "POST": PEOPLE_ADMINS},
    "/kpis/library/<pk>/delete/": {"model": "kpis.Indicator", "GET": PEOPLE_ADMINS,
                                   "POST": PEOPLE_ADMINS},
    "/kpis/library/<pk>/activate/": {"model": "kpis.Indicator", "GET": PEOPLE_ADMINS,
                                     "POST": PEOPLE_ADMINS},
    # Assignments: HR, administrators and department leaders (each sees what they may read).
    "/kpis/assignments/": {"GET": MANAGERS, "POST": MANAGERS},
    "/kpis/assignments/new/": {"GET": MANAGERS, "POST": MANAGERS},
    "/kpis/assignments/bulk/": {"GET": MANAGERS, "POST": MANAGERS},
    "/kpis/assignments/<pk>/": {"model": "kpis.Assignment", "GET": _READ, "POST": _READ},
    "/kpis/assignments/<pk>/explain/": {"model": "kpis.Assignment", "GET": _READ,
                                        "POST": _READ},
    "/kpis/assignments/<pk>/edit/": {"model": "kpis.Assignment", "GET": _MANAGE,
                                     "POST": _MANAGE},
    "/kpis/assignments/<pk>/delete/": {"model": "kpis.Assignment", "GET": _MANAGE,
                                       "POST": _MANAGE},
    "/kpis/assignments/<pk>/measurements/new/": {"model": "kpis.Assignment", "GET": _MANAGE,
                                                 "POST": _MANAGE},
    "/kpis/assignments/<pk>/links/new/": {"model": "kpis.Assignment", "GET": _LINK,
                                          "POST": _LINK},
    "/kpis/measurements/<pk>/delete/": {"model": "kpis.Measurement", "GET": _MEASURE,
                                        "POST": _MEASURE},
    "/kpis/links/<pk>/delete/": {"model": "kpis.KeyResultLink", "GET": _UNLINK,
                                 "POST": _UNLINK},
    # Position KPI sets and the Excel import: HR and administrators.
    "/kpis/position-sets/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/kpis/position-sets/<pk>/": {"model": "org.Position", "GET": PEOPLE_ADMINS,
                                  "POST": PEOPLE_ADMINS},
    "/kpis/position-sets/apply/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/kpis/import/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/kpis/import/template/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
}
