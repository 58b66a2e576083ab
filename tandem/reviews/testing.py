"""Review fixtures for tests and the access matrix, built on `core.testing.Org`, the goals
fixture (2026-Q4) and the KPI fixture, through the services, the way production code writes
them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django_scopes import scope

from tandem.core.actor import Actor, resolve_actor
from tandem.goals import services as goals_services
from tandem.goals.models import Objective, ObjectiveStatus

from . import services, services_bonus, services_plans
from .models import (
    BonusPolicy,
    ImprovementItem,
    ImprovementPlan,
    ImprovementRule,
    PeerFeedback,
    Review,
    ReviewCycle,
    WeightOverride,
)


@dataclass
class Reviews:
    """- draft: a cycle being set up (the quarter, the whole company);
    - open: "2026-Q4 review", opened over the quarter with peer feedback: every employee has a
      review at self assessment (staff, peer, lead); peer is asked for feedback on staff's;
    - published: "2026-Q4 final", no calibration: staff's and peer's reviews assessed by HR and
      published, with their improvement plans and the bonus awards of `standard` (the
      company's policy, the brief's formula);
    - rule: a stored improvement rule (the company customised the built-in ones);
    - override: R&D's shares 0.5 / 0.5.
    Staff's objective is at 0.8 (committed), peer's at 1.2; staff's KPI (defects, 4 of 5,
    inverse ratio) and peer's (new customers 12 of 10) come from the KPI fixture."""

    draft: ReviewCycle
    open: ReviewCycle
    published: ReviewCycle
    staff: Review
    peer: Review
    lead: Review
    staff_done: Review
    peer_done: Review
    staff_plan: ImprovementPlan
    peer_plan: ImprovementPlan
    staff_item: ImprovementItem
    rule: ImprovementRule
    standard: BonusPolicy
    feedback: PeerFeedback
    override: WeightOverride


def hr_actor(org) -> Actor:
    return resolve_actor(org.users["hr"])


def make_reviews(org, goals=None, kpis=None) -> Reviews:
    goals = goals or getattr(org, "goals", None)
    kpis = kpis or getattr(org, "kpis", None)
    if goals is None:
        from tandem.goals.testing import make_goals

        goals = make_goals(org)
    if kpis is None:
        from tandem.kpis.testing import make_kpis

        kpis = make_kpis(org, goals)
    company = org.company
    hr = hr_actor(org)
    with scope(company=company.pk):
        Objective.objects.filter(pk__in=[goals.staff.pk, goals.peer.pk]).update(
            status=ObjectiveStatus.APPROVED)
        goals_services.check_in(key_result=goals.staff_kr, value=Decimal("80"), confidence=7)
        if goals.peer_kr.current_value < Decimal("12"):
            goals_services.check_in(key_result=goals.peer_kr, value=Decimal("12"), confidence=8)
        override = WeightOverride.objects.create(company=company, department=org.rnd,
                                                 okr_weight=Decimal("0.5"),
                                                 kpi_weight=Decimal("0.5"))
        standard = services_bonus.save_policy(
            actor=hr, company=company, name="Standard", formula=services_bonus.bonus.DEMO_FORMULA,
            base_bonus=Decimal("10000"), extra_bonus=Decimal("5000"))
        rule = services_plans.customise_rules(actor=hr, company=company)[0]
        draft = services.save_cycle(actor=hr, company=company, name="2026 H2 draft",
                                    goal_cycles=[goals.quarter])
        open_cycle = services.save_cycle(actor=hr, company=company, name="2026-Q4 review",
                                         goal_cycles=[goals.quarter], peer_feedback=True,
                                         manager_deadline=date(2027, 1, 15))
        services.open_cycle(actor=hr, cycle=open_cycle)
        staff = Review.objects.get(cycle=open_cycle, employee=org.employees["staff"])
        services.request_feedback(actor=hr, review=staff, authors=[org.employees["peer"]])
        feedback = PeerFeedback.objects.get(review=staff, author=org.employees["peer"])
        published = services.save_cycle(actor=hr, company=company, name="2026-Q4 final",
                                         goal_cycles=[goals.quarter], scope="people",
                                         people=[org.employees["staff"], org.employees["peer"]],
                                         self_assessment=False, calibration=False)
        services.open_cycle(actor=hr, cycle=published)
        for review in Review.objects.filter(cycle=published):
            services.assess(actor=hr, review=review, summary="Solid quarter.", submit=True)
        services.publish(actor=hr, cycle=published)
        staff_done = Review.objects.get(cycle=published, employee=org.employees["staff"])
        peer_done = Review.objects.get(cycle=published, employee=org.employees["peer"])
        staff_plan = ImprovementPlan.objects.get(review=staff_done)
        peer_plan = ImprovementPlan.objects.get(review=peer_done)
        staff_item = staff_plan.items.order_by("order").first()
        return Reviews(
            draft=draft, open=ReviewCycle.objects.get(pk=open_cycle.pk),
            published=ReviewCycle.objects.get(pk=published.pk),
            staff=staff, peer=Review.objects.get(cycle=open_cycle,
                                                 employee=org.employees["peer"]),
            lead=Review.objects.get(cycle=open_cycle, employee=org.employees["lead"]),
            staff_done=staff_done, peer_done=peer_done, staff_plan=staff_plan,
            peer_plan=peer_plan, staff_item=staff_item, rule=rule, standard=standard,
            feedback=feedback, override=override)


