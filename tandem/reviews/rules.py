"""Who may do what with reviews (the `rules` app imports this module at start-up).

Review results are salary-relevant: a review is read by HR, administrators, finance, the person
reviewed and the leaders of their department and the departments above it — nobody else. The
person sees their scores only once they are published. HR and administrators set cycles up and
run them; the leaders above a person assess and calibrate them; the person writes their self
assessment and acknowledges the result. Bonus policies are HR's; finance reads them and runs
the what-if."""

import rules

from tandem.core.actor import actor_of
from tandem.core.permissions import is_finance, is_member, is_people_admin


def _employee_pk(user):
    actor = actor_of(user)
    employee = actor.employee if actor is not None else None
    return employee.pk if employee is not None else None


@rules.predicate
def is_own_review(user, review) -> bool:
    own = _employee_pk(user)
    return review is not None and own is not None and review.employee_id == own


@rules.predicate
def leads_reviewee(user, review) -> bool:
    actor = actor_of(user)
    if actor is None or review is None or is_own_review(user, review):
        return False
    return review.department_id in actor.managed_department_ids


@rules.predicate
def is_published(_user, review) -> bool:
    return review is not None and review.published_at is not None


@rules.predicate
def is_feedback_author(user, feedback) -> bool:
    own = _employee_pk(user)
    return feedback is not None and own is not None and feedback.author_id == own


@rules.predicate
def is_own_plan(user, plan) -> bool:
    own = _employee_pk(user)
    return plan is not None and own is not None and plan.employee_id == own


@rules.predicate
def leads_plan_owner(user, plan) -> bool:
    return plan is not None and leads_reviewee(user, plan.review)


reads_review = is_people_admin | is_finance | is_own_review | leads_reviewee

rules.add_perm("reviews.view_reviewcycle", is_member)
rules.add_perm("reviews.add_reviewcycle", is_people_admin)
rules.add_perm("reviews.change_reviewcycle", is_people_admin)
rules.add_perm("reviews.delete_reviewcycle", is_people_admin)
rules.add_perm("reviews.change_reviewsettings", is_people_admin)

rules.add_perm("reviews.view_review", reads_review)
# The scores and grade: everyone who reads the review, the person once published.
rules.add_perm("reviews.view_result", is_people_admin | is_finance | leads_reviewee
               | (is_own_review & is_published))
rules.add_perm("reviews.assess_self", is_own_review)
rules.add_perm("reviews.assess_manager", is_people_admin | leads_reviewee)
rules.add_perm("reviews.calibrate_review", is_people_admin | leads_reviewee)
rules.add_perm("reviews.acknowledge_review", is_own_review)
rules.add_perm("reviews.give_feedback", is_feedback_author)

rules.add_perm("reviews.view_improvementplan", is_people_admin | is_own_plan | leads_plan_owner)
rules.add_perm("reviews.change_improvementplan", is_people_admin | is_own_plan
               | leads_plan_owner)
rules.add_perm("reviews.change_improvementrule", is_people_admin)

rules.add_perm("reviews.view_bonuspolicy", is_people_admin | is_finance)
rules.add_perm("reviews.change_bonuspolicy", is_people_admin)
rules.add_perm("reviews.simulate_bonuspolicy", is_people_admin | is_finance)
rules.add_perm("reviews.approve_bonus", is_people_admin)
