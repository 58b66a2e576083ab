"""Improvement plans through the services: generated when a cycle is published (the fixture's
plans and the brief's 80 %/120 % example end to end), open items carried into the next cycle's
plan, agreement by both sides, and a change of terms taking an agreed plan back to draft."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from tandem.core.actor import resolve_actor
from tandem.core.testing import make_employee
from tandem.goals import services as goals_services
from tandem.goals.models import Level, Objective, ObjectiveStatus
from tandem.kpis import services as kpi_services
from tandem.reviews import services, services_plans
from tandem.reviews.models import (
    ImprovementItem,
    ImprovementPlan,
    ImprovementRule,
    ItemKind,
    ItemStatus,
    PlanStatus,
    Review,
)
from tandem.reviews.testing import hr_actor, make_reviews

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def reviews(org, goals, kpis):
    org.goals_quarter = goals.quarter
    return make_reviews(org, goals, kpis)


def items_of(plan):
    return list(plan.items.order_by("order", "pk").values_list(
        "kind", "title", "action", "course", "reason", "status"))


def publish_for(org, people, name):
    """A cycle of `people` over the goals quarter, assessed by HR and published."""
    hr = hr_actor(org)
    cycle = services.save_cycle(actor=hr, company=org.company, name=name,
                                goal_cycles=[org.goals_quarter], scope="people", people=people,
                                self_assessment=False, calibration=False)
    services.open_cycle(actor=hr, cycle=cycle)
    for review in Review.objects.filter(cycle=cycle):
        services.assess(actor=hr, review=review, summary="Done.", submit=True)
    services.publish(actor=hr, cycle=cycle)
    return cycle


def test_publishing_generates_the_plans_of_the_fixture(org, reviews):
    with scope(company=org.company.pk):
        # Staff's KPI (defects, inverse ratio 5/4 capped at 1.2) is a strength; the key
        # result at 0.8 of a committed objective matches no rule.
        assert items_of(reviews.staff_plan) == [
            (ItemKind.KEEP, "缺陷数 120.0 %", "Keep doing what brought 缺陷数 to 120.0 %.", "",
             "Attainment 120.0 % is at least 120.0 %.", ItemStatus.OPEN)]
        assert items_of(reviews.peer_plan) == [
            (ItemKind.KEEP, "新客户数 120.0 %", "Keep doing what brought 新客户数 to 120.0 %.", "",
             "Attainment 120.0 % is at least 120.0 %.", ItemStatus.OPEN),
            (ItemKind.KEEP, "New customers 120.0 %", "Keep the pace of New customers (120.0 %).",
             "", "Progress 120.0 % is 120.0 % of the expected 100.0 %, at least 120.0 %.",
             ItemStatus.OPEN)]
        assert reviews.staff_plan.status == PlanStatus.DRAFT
        # The stored rules made them: each item names its rule.
        kpi_strength = ImprovementRule.objects.get(subject="kpi", comparison="at_least")
        assert reviews.staff_item.rule_id == kpi_strength.pk
        assert reviews.staff_item.carried_from is None


def test_the_briefs_example_gives_exactly_the_two_expected_items(org, goals):
    """okr-kpi.md, "The brief's worked example": KPI sales attainment at 80 % and KR "New
    customer development" at 120 % → strengthen repeat-purchase skills (with a course), keep
    the new-customer pace. The company has stored no rule: the built-in ones apply."""
    org.goals_quarter = goals.quarter
    with scope(company=org.company.pk):
        seller = make_employee(org.company, org.sales, name="Seller",
                               hire_date=date(2025, 1, 1))
        objective = goals_services.create_objective(
            company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=seller, title="Complete 1,000,000 sales this quarter")
        kr = goals_services.create_key_result(objective=objective,
                                              title="New customer development",
                                              target_value=Decimal("10"))
        Objective.objects.filter(pk=objective.pk).update(status=ObjectiveStatus.APPROVED)
        goals_services.check_in(key_result=kr, value=Decimal("12"), confidence=8)
        indicator = kpi_services.create_indicator(
            company=org.company, code="SALES_ATT", name="Sales attainment",
            name_en="Sales attainment", unit="CNY", aggregation="sum", category="sales")
        assignment = kpi_services.assign(cycle=goals.quarter, indicator=indicator,
                                         target=Decimal("1000000"), weight=Decimal("1"),
                                         employee=seller)
        kpi_services.record_measurement(assignment=assignment, date=date(2026, 11, 30),
                                        value=Decimal("800000"))
        assert not ImprovementRule.objects.exists()
        cycle = publish_for(org, [seller], "Sales review")
        plan = ImprovementPlan.objects.get(review__cycle=cycle, employee=seller)
        assert items_of(plan) == [
            (ItemKind.IMPROVE, "Sales attainment 80.0 %",
             "Strengthen repeat-purchase skills: review lost repeat orders with your lead and "
             "follow up existing customers every month.",
             "Consultative selling and customer retention",
             "Attainment 80.0 % is below 100.0 %.", ItemStatus.OPEN),
            (ItemKind.KEEP, "New customer development 120.0 %",
             "Keep the pace of New customer development (120.0 %).", "",
             "Progress 120.0 % is 120.0 % of the expected 100.0 %, at least 120.0 %.",
             ItemStatus.OPEN)]
        assert list(plan.items.order_by("order").values_list("source", flat=True)) == [
            ["kpi", assignment.pk], ["key_result", kr.pk]]


def test_open_items_carry_into_the_next_cycles_plan(org, reviews):
    hr = hr_actor(org)
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        services_plans.update_item(actor=hr, item=reviews.staff_item,
                                   status=ItemStatus.IN_PROGRESS, note="Halfway")
        done = services_plans.add_item(actor=hr, plan=reviews.staff_plan, kind=ItemKind.IMPROVE,
                                       title="Code review", action="Review two PRs a day",
                                       status=ItemStatus.DONE)
        cycle = publish_for(org, [staff], "2027 follow-up")
        plan = ImprovementPlan.objects.get(review__cycle=cycle, employee=staff)
        items = list(plan.items.order_by("order"))
        assert [(item.title, item.status, item.carried_from_id) for item in items] == [
            ("缺陷数 120.0 %", ItemStatus.OPEN, None),
            ("缺陷数 120.0 %", ItemStatus.IN_PROGRESS, reviews.staff_item.pk)]
        carried = items[1]
        assert carried.reason == "Carried over from “2026-Q4 final”."
        assert (carried.note, carried.action) == ("Halfway", reviews.staff_item.action)
        assert not ImprovementItem.objects.filter(carried_from=done).exists()
        # Peer was not in the new cycle: their plan stays where it was.
        assert ImprovementPlan.objects.filter(employee=org.employees["peer"]).count() == 1


def test_agreement_by_the_employee_and_the_manager_agrees_the_plan(org, reviews):
    staff, lead = resolve_actor(org.users["staff"]), resolve_actor(org.users["lead"])
    with scope(company=org.company.pk):
        plan = services_plans.agree(actor=staff, plan=ImprovementPlan.objects.get(
            pk=reviews.staff_plan.pk))
        assert plan.status == PlanStatus.DRAFT
        assert plan.employee_agreed_at is not None and plan.manager_agreed_at is None
        plan = services_plans.agree(actor=lead, plan=ImprovementPlan.objects.get(pk=plan.pk))
        stored = ImprovementPlan.objects.get(pk=plan.pk)
        assert stored.status == PlanStatus.AGREED
        assert stored.manager_agreed_at is not None and stored.employee_agreed_at is not None


def test_changing_an_items_action_takes_an_agreed_plan_back_to_draft(org, reviews):
    staff, lead = resolve_actor(org.users["staff"]), resolve_actor(org.users["lead"])
    with scope(company=org.company.pk):
        services_plans.agree(actor=staff, plan=ImprovementPlan.objects.get(
            pk=reviews.staff_plan.pk))
        services_plans.agree(actor=lead, plan=ImprovementPlan.objects.get(
            pk=reviews.staff_plan.pk))
        item = ImprovementItem.objects.select_related("plan").get(pk=reviews.staff_item.pk)
        # Tracking the status keeps the agreement.
        services_plans.update_item(actor=staff, item=item, status=ItemStatus.IN_PROGRESS)
        assert ImprovementPlan.objects.get(pk=item.plan_id).status == PlanStatus.AGREED
        item = ImprovementItem.objects.select_related("plan").get(pk=item.pk)
        services_plans.update_item(actor=lead, item=item, action="Pair with QA weekly")
        plan = ImprovementPlan.objects.get(pk=item.plan_id)
        assert (plan.status, plan.manager_agreed_at, plan.employee_agreed_at) == (
            PlanStatus.DRAFT, None, None)
        assert ImprovementItem.objects.get(pk=item.pk).action == "Pair with QA weekly"


def test_a_rule_that_breaks_the_rules_is_refused_on_its_field(org, reviews):
    with scope(company=org.company.pk):
        rule = ImprovementRule.objects.get(pk=reviews.rule.pk)
        rule.subject, rule.comparison = "key_result", "below_floor"
        with pytest.raises(ValidationError) as refused:
            services_plans.save_rule(actor=hr_actor(org), rule=rule)
        assert refused.value.message_dict == {"comparison": ["Only a KPI has a floor."]}
