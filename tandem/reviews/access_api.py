"""Access table of the review API (see `core.access_table`; objects and role sets in
`reviews.access`). Lists are open to every member and hold only what the caller may read
(tested in reviews/tests/test_api_*.py); objects follow `reviews.rules`."""

from tandem.core.access_table import EVERYONE, PEOPLE_ADMINS

from .access import MANAGE_REVIEW as _MANAGE
from .access import PLAN as _PLAN
from .access import READ_REVIEW as _READ

# The person reviewed: self assessment and acknowledgement (an empty body, or a step that
# is not open, is a 400 for them and a 403 for everyone else).
_OWN = {"staff": frozenset({"staff"}), "peer": frozenset({"peer"}),
        "staff_done": frozenset({"staff"})}
# Bonus policies and awards: HR and administrators write, finance reads and simulates.
_BONUS_READ = PEOPLE_ADMINS | {"finance"}
# The calibration board's distribution: HR, administrators, finance and leaders.
_CALIBRATION = PEOPLE_ADMINS | {"finance", "lead"}
_ITEM = {"staff_item": _PLAN["staff_plan"]}

ACCESS: dict = {
    "/api/v1/review-cycles/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS},
    "/api/v1/review-cycles/<pk>/": {
        "model": "reviews.ReviewCycle",
        "GET": EVERYONE, "PUT": PEOPLE_ADMINS, "PATCH": PEOPLE_ADMINS,
        # An open cycle is refused with 409 (allowed, refused by the data).
        "DELETE": PEOPLE_ADMINS,
    },
    "/api/v1/review-cycles/<pk>/open/": {"model": "reviews.ReviewCycle", "POST": PEOPLE_ADMINS},
    "/api/v1/review-cycles/<pk>/start-calibration/": {
        "model": "reviews.ReviewCycle", "POST": PEOPLE_ADMINS},
    "/api/v1/review-cycles/<pk>/publish/": {
        "model": "reviews.ReviewCycle", "POST": PEOPLE_ADMINS},
    "/api/v1/review-cycles/<pk>/close/": {"model": "reviews.ReviewCycle", "POST": PEOPLE_ADMINS},
    "/api/v1/review-cycles/<pk>/distribution/": {
        "model": "reviews.ReviewCycle", "GET": _CALIBRATION},
    "/api/v1/review-cycles/<pk>/bonuses/": {"model": "reviews.ReviewCycle", "GET": _BONUS_READ},
    "/api/v1/review-cycles/<pk>/approve-bonuses/": {
        "model": "reviews.ReviewCycle", "POST": PEOPLE_ADMINS},
    "/api/v1/reviews/": {"GET": EVERYONE},
    "/api/v1/reviews/<pk>/": {"model": "reviews.Review", "GET": _READ},
    "/api/v1/reviews/<pk>/self-assessment/": {"model": "reviews.Review", "POST": _OWN},
    "/api/v1/reviews/<pk>/assessment/": {"model": "reviews.Review", "POST": _MANAGE},
    "/api/v1/reviews/<pk>/grade/": {"model": "reviews.Review", "POST": _MANAGE},
    "/api/v1/reviews/<pk>/return/": {"model": "reviews.Review", "POST": _MANAGE},
    "/api/v1/reviews/<pk>/acknowledge/": {"model": "reviews.Review", "POST": _OWN},
    "/api/v1/improvement-plans/": {"GET": EVERYONE},
    "/api/v1/improvement-plans/<pk>/": {"model": "reviews.ImprovementPlan", "GET": _PLAN},
    "/api/v1/improvement-plans/<pk>/items/": {"model": "reviews.ImprovementPlan",
                                              "POST": _PLAN},
    "/api/v1/improvement-plans/<pk>/agree/": {"model": "reviews.ImprovementPlan",
                                              "POST": _PLAN},
    "/api/v1/improvement-items/<pk>/": {
        "model": "reviews.ImprovementItem", "GET": _ITEM, "PATCH": _ITEM, "DELETE": _ITEM,
    },
    "/api/v1/bonus-policies/": {"GET": _BONUS_READ, "POST": PEOPLE_ADMINS},
    "/api/v1/bonus-policies/<pk>/": {
        "model": "reviews.BonusPolicy",
        "GET": _BONUS_READ, "PUT": PEOPLE_ADMINS, "PATCH": PEOPLE_ADMINS,
        # Awards were computed with the fixture's policy: 409 (allowed, refused by the data).
        "DELETE": PEOPLE_ADMINS,
    },
    "/api/v1/bonus-policies/<pk>/simulate/": {"model": "reviews.BonusPolicy",
                                              "POST": _BONUS_READ},
}
