"""Access table of the improvement plan pages (see core.access_table). The role sets per plan
(PLAN) are in `reviews.access`: HR, administrators, the person and the leaders above them;
not finance as such, since a plan is not pay (a person in finance reads their own plan)."""

from tandem.core.access_table import EVERYONE, PEOPLE_ADMINS

from .access import PLAN

# staff_item is in staff_plan: who edits that plan edits its items.
_ITEM = {"staff_item": PLAN["staff_plan"]}

ACCESS: dict = {
    # The list shows each member the plans they may read.
    "/reviews/plans/": {"GET": EVERYONE},
    "/reviews/plans/<pk>/": {"model": "reviews.ImprovementPlan", "GET": PLAN},
    "/reviews/plans/<pk>/items/new/": {"model": "reviews.ImprovementPlan", "GET": PLAN,
                                       "POST": PLAN},
    "/reviews/plans/items/<pk>/edit/": {"model": "reviews.ImprovementItem", "GET": _ITEM,
                                        "POST": _ITEM},
    "/reviews/plans/items/<pk>/delete/": {"model": "reviews.ImprovementItem", "GET": _ITEM,
                                          "POST": _ITEM},
    "/reviews/plans/<pk>/agree/": {"model": "reviews.ImprovementPlan", "POST": PLAN},
    # The rules: HR and administrators.
    "/reviews/plans/rules/": {"GET": PEOPLE_ADMINS},
    "/reviews/plans/rules/customise/": {"POST": PEOPLE_ADMINS},
    "/reviews/plans/rules/new/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/reviews/plans/rules/<pk>/edit/": {"model": "reviews.ImprovementRule",
                                        "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
}
