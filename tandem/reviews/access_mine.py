"""Access table of my reviews, the team's reviews, the review page, its explanation and peer
feedback (see core.access_table). The role sets per review are in `reviews.access`, which
imports this module at its end, so they are restated here."""

from tandem.core.access_table import EVERYONE, NOBODY

# reviews.rules.reads_review: HR, administrators, finance, the person, the leaders above.
_READ = {
    "staff": frozenset({"owner", "hr", "finance", "lead", "staff"}),
    "peer": frozenset({"owner", "hr", "finance", "peer"}),
    "staff_done": frozenset({"owner", "hr", "finance", "lead", "staff"}),
}
# reviews.assess_manager: HR, administrators and the leaders above (not the person).
_MANAGE = {
    "staff": frozenset({"owner", "hr", "lead"}),
    "peer": frozenset({"owner", "hr"}),
    "staff_done": frozenset({"owner", "hr", "lead"}),
}
# reviews.view_result: the readers, the person only once published.
_RESULT = {
    "staff": _MANAGE["staff"] | {"finance"},
    "peer": _MANAGE["peer"] | {"finance"},
    "staff_done": _READ["staff_done"],
}
# The person's own review: acknowledging it.
_OWN = {"staff": frozenset({"staff"}), "peer": frozenset({"peer"}),
        "staff_done": frozenset({"staff"})}
# Submitting a self assessment on "my review in a cycle": who has a review in it (the open
# cycle reviews the whole company, the published one staff and peer, the draft nobody yet).
_IN_CYCLE = {"draft": NOBODY, "open": EVERYONE, "published": frozenset({"staff", "peer"})}
# The team's reviews: leaders, HR, administrators, and finance (who reads every review).
_TEAM = frozenset({"owner", "hr", "finance", "lead"})

ACCESS: dict = {
    "/reviews/": {"GET": EVERYONE},
    "/reviews/mine/<cycle_pk>/": {"model": "reviews.ReviewCycle", "kwargs": {"cycle_pk": "pk"},
                                  "GET": EVERYONE, "POST": _IN_CYCLE},
    "/reviews/team/": {"GET": _TEAM},
    # The person reading their own review is sent to "my review" (a redirect).
    "/reviews/<pk>/": {"model": "reviews.Review", "GET": _READ, "POST": _MANAGE},
    "/reviews/<pk>/explain/": {"model": "reviews.Review", "GET": _RESULT},
    "/reviews/<pk>/acknowledge/": {"model": "reviews.Review", "POST": _OWN},
    "/reviews/<pk>/feedback/request/": {"model": "reviews.Review", "POST": _MANAGE},
    "/reviews/feedback/": {"GET": EVERYONE},
    # Only the colleague asked gives the feedback (peer, on staff's review).
    "/reviews/feedback/<pk>/": {"model": "reviews.PeerFeedback",
                                "GET": frozenset({"peer"}), "POST": frozenset({"peer"})},
}
