"""Access table of the bonus pages (see core.access_table): HR and administrators keep the
policies and approve the awards; finance reads both and runs the what-if."""

from tandem.core.access_table import PEOPLE_ADMINS

READERS = PEOPLE_ADMINS | {"finance"}

ACCESS: dict = {
    "/reviews/bonus/": {"GET": READERS},
    "/reviews/bonus/new/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    # Finance reads the editor read-only; saving is HR's.
    "/reviews/bonus/<pk>/": {"model": "reviews.BonusPolicy", "GET": READERS,
                             "POST": PEOPLE_ADMINS},
    "/reviews/bonus/<pk>/simulate/": {"model": "reviews.BonusPolicy", "POST": READERS},
    "/reviews/cycles/<pk>/bonuses/": {"model": "reviews.ReviewCycle", "GET": READERS,
                                      "POST": PEOPLE_ADMINS},
    # Starts an export job (`core.export_jobs`): POST (htmx) its progress bar, GET the file.
    "/reviews/cycles/<pk>/bonuses/export/": {"model": "reviews.ReviewCycle", "GET": READERS,
                                             "POST": READERS},
}
