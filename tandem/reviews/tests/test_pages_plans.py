"""The improvement plan pages: who sees which plans (finance as such none), the cycle filter, a plan
with its items grouped and carried-over items marked, adding, editing, tracking and deleting
items, the agreement of both sides, and the rules page (built-in read-only, customise, edit
with errors on the field). Lists read in a constant number of queries."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.reviews.models import (
    ImprovementItem,
    ImprovementPlan,
    ImprovementRule,
    ItemKind,
    ItemStatus,
    PlanStatus,
    Review,
)
from tandem.reviews.testing import make_reviews


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(f"reviews:{name}", args=args), query)


def plan_rows(response) -> list[int]:
    return [plan.pk for plan in response.context["plans"]]


def add_plans(org, cycle, count):
    """`count` more people with a published review and a plan of two items in `cycle`."""
    with scope(company=org.company.pk):
        for n in range(count):
            person = make_employee(org.company, org.sales, name=f"extra{n}")
            review = Review.objects.create(company=org.company, cycle=cycle, employee=person,
                                           department=org.sales, okr_weight=Decimal("0.4"),
                                           kpi_weight=Decimal("0.6"))
            plan = ImprovementPlan.objects.create(company=org.company, review=review,
                                                  employee=person)
            for kind in (ItemKind.IMPROVE, ItemKind.KEEP):
                ImprovementItem.objects.create(company=org.company, plan=plan, kind=kind,
                                               title="t", action="a")


def test_each_reader_lists_the_plans_they_may_read(org, reviews, client):
    staff_plan, peer_plan = reviews.staff_plan.pk, reviews.peer_plan.pk
    assert plan_rows(page(client, org.users["hr"], "plans")) == [peer_plan, staff_plan]
    assert plan_rows(page(client, org.users["owner"], "plans")) == [peer_plan, staff_plan]
    assert plan_rows(page(client, org.users["lead"], "plans")) == [staff_plan]
    assert plan_rows(page(client, org.users["staff"], "plans")) == [staff_plan]
    assert plan_rows(page(client, org.users["peer"], "plans")) == [peer_plan]


def test_finance_reads_only_their_own_plans(org, reviews, client):
    client.force_login(org.users["finance"])
    response = client.get(reverse("reviews:plans"))
    assert response.status_code == 200
    assert plan_rows(response) == []
    assert client.get(reverse("reviews:plan", args=[reviews.staff_plan.pk])).status_code == 403
    assert client.post(reverse("reviews:plan_agree", args=[reviews.peer_plan.pk]),
                       {"version": reviews.peer_plan.version}).status_code == 403


def test_the_list_filters_by_cycle_and_shows_counts(org, reviews, en):
    add_plans(org, reviews.open, 1)
    response = page(en, org.users["hr"], "plans", cycle=reviews.published.pk)
    assert plan_rows(response) == [reviews.peer_plan.pk, reviews.staff_plan.pk]
    by_pk = {plan.pk: plan for plan in response.context["plans"]}
    assert (by_pk[reviews.peer_plan.pk].item_count, by_pk[reviews.peer_plan.pk].open_count) \
        == (2, 2)
    assert len(plan_rows(page(en, org.users["hr"], "plans"))) == 3
    assert 'data-plan-status="draft">Draft</span>' in response.content.decode()


def test_the_list_reads_a_constant_number_of_queries(org, reviews, client,
                                                     django_assert_max_num_queries):
    with scope(company=org.company.pk):
        ImprovementPlan.objects.filter(pk=reviews.peer_plan.pk).delete()
    client.force_login(org.users["hr"])
    url = reverse("reviews:plans")
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as one:
        assert len(plan_rows(client.get(url))) == 1
    add_plans(org, reviews.published, 14)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(plan_rows(client.get(url))) == 15


def test_the_plan_page_groups_items_and_marks_carried_ones(org, reviews, en):
    with scope(company=org.company.pk):
        later = ImprovementPlan.objects.get(pk=reviews.peer_plan.pk)
        ImprovementItem.objects.create(
            company=org.company, plan=later, kind=ItemKind.IMPROVE, title="Follow up",
            action="Call back lost customers", course="Retention", reason="Carried over",
            carried_from=reviews.staff_item, status=ItemStatus.IN_PROGRESS)
    response = page(en, org.users["peer"], "plan", reviews.peer_plan.pk)
    assert response.status_code == 200
    assert [item.title for item in response.context["improve"]] == ["Follow up"]
    assert [item.title for item in response.context["keep"]] == [
        "新客户数 120.0 %", "New customers 120.0 %"]
    html = response.content.decode()
    assert "Carried over from 2026-Q4 final" in html
    assert html.count("data-carried") == 1
    assert "Agree as the employee" in html
    assert "Not yet agreed by the manager" in html


def test_people_outside_the_plan_are_refused(org, reviews, client):
    client.force_login(org.users["peer"])
    assert client.get(reverse("reviews:plan", args=[reviews.staff_plan.pk])).status_code == 403
    client.force_login(org.users["lead"])
    assert client.get(reverse("reviews:plan", args=[reviews.peer_plan.pk])).status_code == 403


def test_adding_an_item_and_the_errors_of_an_empty_one(org, reviews, en):
    en.force_login(org.users["staff"])
    url = reverse("reviews:item_new", args=[reviews.staff_plan.pk])
    response = en.post(url, {"kind": "improve", "title": " ", "action": "", "status": "open"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = en.post(url, {"kind": "improve", "title": "Tests", "action": "Write tests",
                             "course": "", "status": "open", "due": "2027-02-01", "note": ""})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        item = ImprovementItem.objects.get(plan=reviews.staff_plan, title="Tests")
        assert (item.action, str(item.due), item.order, item.updated_by_id) == (
            "Write tests", "2027-02-01", 2, org.users["staff"].pk)


def test_agreement_shows_who_agreed_and_when_and_an_edit_reopens(org, reviews, en):
    plan_url = reverse("reviews:plan", args=[reviews.staff_plan.pk])
    agree_url = reverse("reviews:plan_agree", args=[reviews.staff_plan.pk])
    en.force_login(org.users["staff"])
    assert en.post(agree_url, {"version": reviews.staff_plan.version}).status_code == 302
    html = en.get(plan_url).content.decode()
    assert "Agreed by the employee on" in html and "Agree as the employee" not in html
    en.force_login(org.users["lead"])
    with scope(company=org.company.pk):
        version = ImprovementPlan.objects.get(pk=reviews.staff_plan.pk).version
    assert en.post(agree_url, {"version": version}).status_code == 302
    html = en.get(plan_url).content.decode()
    assert "Agreed by the manager on" in html
    assert 'data-plan-status="agreed">Agreed</span>' in html
    # Tracking the status keeps the agreement; changing the action does not.
    item_url = reverse("reviews:item_edit", args=[reviews.staff_item.pk])
    assert en.post(item_url, {"form": "status", "status": "done"}).status_code == 302
    with scope(company=org.company.pk):
        assert ImprovementPlan.objects.get(pk=reviews.staff_plan.pk).status == PlanStatus.AGREED
        assert ImprovementItem.objects.get(pk=reviews.staff_item.pk).status == ItemStatus.DONE
    item = reviews.staff_item
    response = en.post(item_url, {"kind": item.kind, "title": item.title,
                                  "action": "Keep the defect rate under 4", "course": "",
                                  "status": "done", "due": "", "note": ""})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        plan = ImprovementPlan.objects.get(pk=reviews.staff_plan.pk)
        assert (plan.status, plan.manager_agreed_at, plan.employee_agreed_at) == (
            PlanStatus.DRAFT, None, None)
    assert "Not yet agreed by the employee" in en.get(plan_url).content.decode()


def test_a_stale_agreement_is_refused_with_a_message(org, reviews, en):
    en.force_login(org.users["staff"])
    url = reverse("reviews:plan_agree", args=[reviews.staff_plan.pk])
    response = en.post(url, {"version": reviews.staff_plan.version + 5}, follow=True)
    assert response.status_code == 200
    with scope(company=org.company.pk):
        assert ImprovementPlan.objects.get(pk=reviews.staff_plan.pk).employee_agreed_at is None
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_deleting_an_item(org, reviews, client):
    client.force_login(org.users["lead"])
    url = reverse("reviews:item_delete", args=[reviews.staff_item.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    with scope(company=org.company.pk):
        assert not ImprovementItem.objects.filter(pk=reviews.staff_item.pk).exists()


def test_the_built_in_rules_are_read_only_until_customised(org, reviews, en):
    with scope(company=org.company.pk):
        ImprovementRule.objects.all().delete()
    response = page(en, org.users["hr"], "rules")
    html = response.content.decode()
    assert len(response.context["built_in"]) == 6 and response.context["stored"] == []
    assert "data-customise" in html and "data-rule=" not in html
    assert "Strengthen repeat-purchase skills" in html
    assert en.post(reverse("reviews:rules_customise")).status_code == 302
    with scope(company=org.company.pk):
        assert ImprovementRule.objects.count() == 6
    html = en.get(reverse("reviews:rules")).content.decode()
    assert html.count("data-rule=") == 6 and "data-customise" not in html


def test_editing_a_rule_shows_the_service_errors_on_the_field(org, reviews, en):
    en.force_login(org.users["hr"])
    url = reverse("reviews:rule_edit", args=[reviews.rule.pk])
    rule = reviews.rule
    data = {"subject": rule.subject, "comparison": rule.comparison, "threshold": "0.9",
            "kind": rule.kind, "action": "Improve {nam}", "course": "", "match_category": "",
            "match_tag": "", "match_keyword": "", "priority": "10", "active": "on"}
    response = en.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"action": [
        "Unknown placeholder {nam}: only {name} and {value} may be used."]}
    response = en.post(url, {**data, "action": "Improve {name} ({value})"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        rule = ImprovementRule.objects.get(pk=rule.pk)
        assert (rule.action, rule.threshold, rule.priority) == (
            "Improve {name} ({value})", Decimal("0.9000"), 10)


def test_a_new_rule_in_a_company_without_stored_rules_keeps_the_built_in_ones(org, reviews,
                                                                              client):
    with scope(company=org.company.pk):
        ImprovementRule.objects.all().delete()
    client.force_login(org.users["hr"])
    response = client.post(reverse("reviews:rule_new"), {
        "subject": "key_result", "comparison": "below", "threshold": "0.3", "kind": "improve",
        "action": "Ask for help with {name}", "priority": "100", "active": "on"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert ImprovementRule.objects.count() == 7


def test_only_hr_and_administrators_keep_the_rules(org, reviews, client):
    for role in ("lead", "staff", "finance"):
        client.force_login(org.users[role])
        assert client.get(reverse("reviews:rules")).status_code == 403


def test_the_pages_speak_chinese_by_default(org, reviews, client):
    response = page(client, org.users["hr"], "plans")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'data-plan-status="draft">草稿</span>' in html
    assert "员工" in html and "状态" in html
