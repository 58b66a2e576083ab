"""Access table of the pace and alert pages (see `core.access_table`): the settings are HR's
and administrators'; the risk list and the calibration page open for every member and show
each reader what they may see (their own, their departments', or everyone's for HR)."""

from tandem.core.access_table import EVERYONE, PEOPLE_ADMINS

ACCESS: dict = {
    "/kpis/tracking/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/kpis/tracking/risks/": {"GET": EVERYONE},
    "/kpis/tracking/calibration/": {"GET": EVERYONE},
}
