"""A review in a browser: the employee writes a self assessment, their leader assesses them with
a difficulty coefficient and its reason, HR publishes, and the employee opens their result with
its explanation and acknowledges it."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from tandem.core.actor import resolve_actor
from tandem.core.testing import make_org
from tandem.goals import services as goals_services
from tandem.goals.demo import quarter_of
from tandem.goals.models import Objective, ObjectiveStatus
from tandem.goals.testing import make_goals
from tandem.kpis.testing import make_kpis
from tandem.reviews import services
from tandem.reviews.models import Review


def _setup():
    """staff's objective at 80 % (committed), their KPI (defects, 4 of 5, inverse ratio →
    120); a review cycle over the quarter for staff alone, without calibration."""
    org = make_org()
    start, _end, _number = quarter_of(timezone.localdate())
    goals = make_goals(org, quarter_start=start)
    make_kpis(org, goals)
    hr = resolve_actor(org.users["hr"])
    with scope(company=org.company.pk):
        Objective.objects.filter(pk=goals.staff.pk).update(status=ObjectiveStatus.APPROVED)
        goals_services.check_in(key_result=goals.staff_kr, value=Decimal("80"), confidence=7)
        cycle = services.save_cycle(actor=hr, company=org.company, name="Q review",
                                    goal_cycles=[goals.quarter], scope="people",
                                    people=[org.employees["staff"]], calibration=False)
        services.open_cycle(actor=hr, cycle=cycle)
        review = Review.objects.get(cycle=cycle)
    return org, goals, cycle, review


def _in_english(page, live_server):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                               "url": live_server.url}])


def test_self_assessment_manager_assessment_publication_and_acknowledgement(
        page, browser, live_server, sign_in):
    org, goals, cycle, review = _setup()

    # staff: the evidence is there, the self assessment goes to the manager.
    _in_english(page, live_server)
    sign_in(page, "staff")
    page.goto(f"/reviews/mine/{cycle.pk}/")
    expect(page.locator("body")).to_contain_text("Build the billing service")
    expect(page.locator("#my-result")).to_have_count(0)
    page.fill("textarea[name=self_summary]", "Shipped invoicing; defects down to 4.")
    page.locator("#self-form [type=submit]").click()
    expect(page.locator("#my-stage")).to_have_text("Manager assessment")
    expect(page.locator("#self-summary")).to_contain_text("Shipped invoicing")

    # lead: a difficulty of 1.2 needs a reason; with it the scores move.
    lead_context = browser.new_context(base_url=live_server.url, locale="en-US")
    lead = lead_context.new_page()
    lead.set_default_timeout(10_000)
    _in_english(lead, live_server)
    sign_in(lead, "lead")
    lead.goto(f"/reviews/{review.pk}/")
    expect(lead.locator("#self-summary")).to_contain_text("Shipped invoicing")
    lead.fill(f"input[name=difficulty_{goals.staff.pk}]", "1.2")
    lead.fill("textarea[name=manager_summary]", "Hard integration, well done.")
    lead.locator("#assessment-form button[value=submit]").click()
    expect(lead.locator("#assessment-form")).to_contain_text(
        "Give the reason for a difficulty of 1.2 instead of 1.0.")
    lead.fill(f"[name=reason_{goals.staff.pk}]", "New payment provider")
    lead.fill("textarea[name=manager_summary]", "Hard integration, well done.")
    lead.locator("#assessment-form button[value=submit]").click()
    expect(lead.locator("#review-stage")).to_have_text("Assessed")
    # R&D has no override here: 0.4 × (80 × 1.2) + 0.6 × 120 = 38.4 + 72 = 110.4 → S
    expect(lead.locator("#review-scores")).to_contain_text("110.40")
    lead_context.close()

    # HR publishes from the cycle page.
    hr_context = browser.new_context(base_url=live_server.url, locale="en-US")
    hr = hr_context.new_page()
    hr.set_default_timeout(10_000)
    _in_english(hr, live_server)
    sign_in(hr, "hr")
    hr.goto(f"/reviews/cycles/{cycle.pk}/")
    hr.locator("[data-next=publish]").click()
    hr.locator("form[data-action] [type=submit]").click()
    expect(hr.locator("body")).to_contain_text("Published")
    hr_context.close()

    # staff: the result, its explanation, and the acknowledgement.
    page.goto(f"/reviews/mine/{cycle.pk}/")
    expect(page.locator("#review-scores")).to_contain_text("110.40")
    expect(page.locator("#review-scores")).to_contain_text("S")
    expect(page.locator("body")).to_contain_text("New payment provider")
    page.fill("textarea[name=comment]", "Thanks")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#my-stage")).to_have_text("Acknowledged")
