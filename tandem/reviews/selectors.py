"""Reads over reviews shared by the API and the pages: what an actor may see, as querysets of a
constant number of queries whatever the company's size.

The set form of `reviews.rules`: HR, administrators and finance read every review; anyone else
their own and those of the people in the departments they lead and below (not their own
through leadership). Call inside the company's scope."""

from __future__ import annotations

from django.db.models import Q

from .models import ImprovementPlan, Review


def sees_all(actor) -> bool:
    return actor is not None and (actor.is_admin or actor.is_hr or actor.is_finance)


def _own_pk(actor):
    employee = actor.employee if actor is not None else None
    return employee.pk if employee is not None else None


def team_q(actor, prefix: str = "") -> Q:
    managed = actor.managed_department_ids if actor is not None else frozenset()
    if not managed:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}department_id__in": sorted(managed)})
    own = _own_pk(actor)
    return q & ~Q(**{f"{prefix}employee_id": own}) if own is not None else q


def own_q(actor, prefix: str = "") -> Q:
    own = _own_pk(actor)
    return Q(**{f"{prefix}employee_id": own}) if own is not None else Q(pk__in=[])


def reviews_with_relations():
    return Review.objects.select_related("cycle", "employee", "employee__position",
                                         "department", "reviewer")


def visible_reviews(actor):
    """The reviews `actor` may read (reviews.view_review)."""
    rows = reviews_with_relations()
    if sees_all(actor):
        return rows
    return rows.filter(own_q(actor) | team_q(actor))


def team_reviews(actor):
    """The reviews of the people `actor` leads (HR and administrators: everyone's)."""
    rows = reviews_with_relations()
    if actor is not None and (actor.is_admin or actor.is_hr):
        return rows
    return rows.filter(team_q(actor))


def may_see_result(actor, review: Review) -> bool:
    """reviews.view_result without a permission query: the person only once published."""
    return actor.user.has_perm("reviews.view_result", review)


def visible_plans(actor):
    """The improvement plans `actor` may read (reviews.view_improvementplan)."""
    rows = ImprovementPlan.objects.select_related("review", "review__cycle", "employee")
    if actor is not None and (actor.is_admin or actor.is_hr):
        return rows
    return rows.filter(own_q(actor) | team_q(actor, "review__"))
