"""Who may call the review URLs, pages and API, role by role and object by object; the rules
themselves are in `reviews.rules`. The vocabulary is explained in `core.access_table`.

The objects come from `reviews.testing.make_reviews` (as `org.reviews`); see its docstring."""

FIXTURE = {"reviews": "tandem.reviews.testing.make_reviews"}

OBJECTS = {
    "reviews.ReviewCycle": {"draft": "reviews.draft", "open": "reviews.open",
                            "published": "reviews.published"},
    "reviews.Review": {"staff": "reviews.staff", "peer": "reviews.peer",
                       "staff_done": "reviews.staff_done"},
    "reviews.ImprovementPlan": {"staff_plan": "reviews.staff_plan",
                                "peer_plan": "reviews.peer_plan"},
    "reviews.ImprovementItem": {"staff_item": "reviews.staff_item"},
    "reviews.ImprovementRule": {"rule": "reviews.rule"},
    "reviews.BonusPolicy": {"standard": "reviews.standard"},
    "reviews.PeerFeedback": {"feedback": "reviews.feedback"},
    "reviews.WeightOverride": {"override": "reviews.override"},
}

# Who reads a review (reviews.rules.reads_review): HR, administrators, finance, the person,
# and the leaders above them. staff's: + staff, lead (leads R&D above Platform); peer's
# (Sales, no leader): + peer.
READ_REVIEW = {
    "staff": frozenset({"owner", "hr", "finance", "lead", "staff"}),
    "peer": frozenset({"owner", "hr", "finance", "peer"}),
    "staff_done": frozenset({"owner", "hr", "finance", "lead", "staff"}),
}
# Who assesses and calibrates it: HR, administrators and the leaders above.
MANAGE_REVIEW = {
    "staff": frozenset({"owner", "hr", "lead"}),
    "peer": frozenset({"owner", "hr"}),
    "staff_done": frozenset({"owner", "hr", "lead"}),
}
# Who reads and edits an improvement plan: HR, administrators, the person and the leaders
# above (not finance: a plan is not pay).
PLAN = {
    "staff_plan": frozenset({"owner", "hr", "lead", "staff"}),
    "peer_plan": frozenset({"owner", "hr", "peer"}),
}

# The tables import the role sets above.
from .access_api import ACCESS as API  # noqa: E402
from .access_bonus import ACCESS as BONUS  # noqa: E402
from .access_cycles import ACCESS as CYCLES  # noqa: E402
from .access_mine import ACCESS as MINE  # noqa: E402
from .access_plans import ACCESS as PLANS  # noqa: E402

ACCESS: dict = {**API, **MINE, **CYCLES, **PLANS, **BONUS}
