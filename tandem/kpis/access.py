"""Who may call the KPI URLs, pages and API, role by role and object by object; the rules
themselves are in `kpis.rules`. The vocabulary is explained in `core.access_table`.

The objects come from `kpis.testing.make_kpis` (as `org.kpis`): the library's SALES, DEFECTS
and NEW_CUST indicators; staff's assignment (DEFECTS, with one entered measurement), peer's
(NEW_CUST, fed by peer's key result through `peer_link`) and R&D's (SALES, a department's)."""


FIXTURE = {"kpis": "tandem.kpis.testing.make_kpis"}

OBJECTS = {
    "kpis.Indicator": {"sales": "kpis.sales", "defects": "kpis.defects"},
    "kpis.Assignment": {"staff": "kpis.staff", "peer": "kpis.peer", "rnd": "kpis.rnd"},
    "kpis.KeyResultLink": {"peer_link": "kpis.peer_link"},
    "kpis.Measurement": {"staff_measurement": "kpis.staff_measurement"},
}

# Who reads an assignment (kpis.rules): staff's — staff, lead (leads Platform), HR, owner;
# peer's — peer, HR, owner; R&D's (a department's) — every member.
READ_ASSIGNMENT = {
    "staff": frozenset({"owner", "hr", "lead", "staff"}),
    "peer": frozenset({"owner", "hr", "peer"}),
    "rnd": frozenset({"owner", "hr", "finance", "lead", "staff", "peer"}),
}
# Who manages (changes, records figures on) it: HR, administrators, and the leader above.
MANAGE_ASSIGNMENT = {
    "staff": frozenset({"owner", "hr", "lead"}),
    "peer": frozenset({"owner", "hr"}),
    "rnd": frozenset({"owner", "hr"}),
}

# The tables import the role sets above.
from .access_api import ACCESS as API  # noqa: E402
from .access_pages import ACCESS as PAGES  # noqa: E402
from .access_tracking import ACCESS as TRACKING  # noqa: E402

ACCESS: dict = {
    **API,
    **PAGES,
    **TRACKING,
}
