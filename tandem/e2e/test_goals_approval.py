"""A manager approves an objective from the approval inbox (htmx, in place); the Plotly charts
of the objective page and the alignment sunburst draw under the strict CSP."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from tandem.core.testing import make_org
from tandem.goals import services
from tandem.goals.demo import quarter_of
from tandem.goals.models import Objective
from tandem.goals.testing import make_goals


def _setup():
    org = make_org()
    start, _end, _number = quarter_of(timezone.localdate())
    goals = make_goals(org, quarter_start=start)
    with scope(company=org.company.pk):
        services.submit_objective(objective=goals.staff)
    return org, goals


def _in_english(page, live_server):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                               "url": live_server.url}])


def test_a_manager_approves_from_the_inbox(page, sign_in, live_server):
    org, goals = _setup()
    _in_english(page, live_server)
    sign_in(page, "lead")
    page.goto("/goals/")
    page.locator('a[href="/goals/approvals/"]').first.click()
    row = page.locator(f"#approval-{goals.staff.pk}")
    expect(row).to_contain_text("Build the billing service")
    row.locator("textarea").fill("Looks right")
    row.locator(".td-approve").click()
    expect(page.locator(f"#approval-{goals.staff.pk} [role=status]")).to_have_text("Approved.")
    assert page.url.endswith("/goals/approvals/")  # swapped in place, no navigation
    with scope(company=org.company.pk):
        objective = Objective.objects.get(pk=goals.staff.pk)
    assert (objective.status, objective.review_comment) == ("approved", "Looks right")


def test_returning_from_the_inbox_needs_a_comment(page, sign_in, live_server):
    org, goals = _setup()
    _in_english(page, live_server)
    sign_in(page, "lead")
    page.goto("/goals/approvals/")
    page.locator(f"#approval-{goals.staff.pk} .td-return").click()
    expect(page.locator(f"#approval-{goals.staff.pk}")).to_contain_text("Say what should change.")
    with scope(company=org.company.pk):
        assert Objective.objects.get(pk=goals.staff.pk).status == "submitted"


def test_charts_draw_under_the_content_security_policy(page, sign_in):
    org, goals = _setup()
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=Decimal(20), confidence=6)
    sign_in(page, "staff")
    page.goto(f"/goals/objectives/{goals.staff.pk}/")
    expect(page.locator(".td-kr-chart-card .main-svg").first).to_be_visible()
    page.goto(f"/goals/tree/?cycle={goals.quarter.pk}")
    page.locator('[data-td-view="sunburst"]').click()
    expect(page.locator("#td-sunburst-chart .main-svg").first).to_be_visible()
    expect(page.locator('[data-td-view-panel="tree"]')).to_be_hidden()
    page.locator('[data-td-view="tree"]').click()
    expect(page.locator('[data-td-view-panel="tree"]')).to_be_visible()
