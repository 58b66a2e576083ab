"""Access table of the review cycle pages, the calibration board and the review settings (see
core.access_table). The set-up pages and the settings are for HR and administrators
(reviews.change_reviewcycle / change_reviewsettings: is_people_admin); the calibration board
also for department leaders, who see and move only the people they lead; a grade move or a
return is allowed on the reviews one may calibrate (reviews.calibrate_review)."""

from tandem.core.access_table import PEOPLE_ADMINS

from .access import MANAGE_REVIEW

# HR, administrators and leaders (lead leads R&D); finance, staff and peer lead nobody.
CALIBRATORS = PEOPLE_ADMINS | {"lead"}
_CYCLE = {"model": "reviews.ReviewCycle"}

ACCESS: dict = {
    # Set-up: the list and the detail are read-only pages (GET only); the step actions show a
    # confirmation (GET) and act (POST), refusals being messages after a redirect.
    "/reviews/cycles/": {"GET": PEOPLE_ADMINS},
    "/reviews/cycles/new/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/cycles/<pk>/": {**_CYCLE, "GET": PEOPLE_ADMINS},
    "/reviews/cycles/<pk>/edit/": {**_CYCLE, "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/cycles/<pk>/delete/": {**_CYCLE, "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/cycles/<pk>/open/": {**_CYCLE, "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/cycles/<pk>/calibrate/": {**_CYCLE, "GET": PEOPLE_ADMINS,
                                        "POST": PEOPLE_ADMINS},
    "/reviews/cycles/<pk>/publish/": {**_CYCLE, "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/cycles/<pk>/close/": {**_CYCLE, "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    # The board: the filter is a GET form.
    "/reviews/cycles/<pk>/calibration/": {**_CYCLE, "GET": CALIBRATORS},
    # POST only; a refused move or return re-renders the board with the error (400).
    "/reviews/<pk>/grade/": {"model": "reviews.Review", "POST": MANAGE_REVIEW},
    "/reviews/<pk>/return/": {"model": "reviews.Review", "POST": MANAGE_REVIEW},
    "/reviews/settings/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/settings/overrides/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/settings/overrides/<pk>/delete/": {"model": "reviews.WeightOverride",
                                                 "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
}
