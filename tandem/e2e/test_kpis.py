"""The tracking loop in a browser: an employee checks in on a key result that feeds their KPI;
their KPI attainment moves, and so does the synergy report their company's owner reads."""

from django.utils import timezone
from playwright.sync_api import expect

from tandem.core.testing import make_org
from tandem.goals.demo import quarter_of
from tandem.goals.testing import make_goals
from tandem.kpis.testing import make_kpis


def _setup():
    org = make_org()
    start, _end, _number = quarter_of(timezone.localdate())
    goals = make_goals(org, quarter_start=start)
    return org, goals, make_kpis(org, goals)


def test_a_check_in_on_a_linked_key_result_moves_the_kpi_and_the_synergy_report(
        page, browser, live_server, sign_in):
    org, goals, kpis = _setup()
    # The owner keeps the synergy report open in another browser.
    owner_context = browser.new_context(base_url=live_server.url, locale="en-US")
    owner = owner_context.new_page()
    owner.set_default_timeout(10_000)
    sign_in(owner, "owner")
    owner.goto(f"/insights/synergy/?cycle={goals.quarter.pk}")
    sales = owner.locator(f'table.td-departments tr[data-department="{org.sales.pk}"]')
    expect(sales).to_contain_text("—")  # peer's KPI has no figure yet

    # peer's key result "New customers" feeds their KPI NEW_CUST (target 10).
    sign_in(page, "peer")
    page.goto("/kpis/")
    card = page.locator(f"#assignment-{kpis.peer.pk}")
    expect(card.locator(".td-kpi-figures")).to_contain_text("— / 10")
    page.goto("/goals/")
    objective = page.locator(f"#objective-{goals.peer.pk}")
    prefix = f"kr{goals.peer_kr.pk}"
    objective.locator(f"input[name={prefix}-value]").fill("5")
    objective.locator(f"input[name={prefix}-confidence]").fill("7")
    objective.locator(".td-check-in-submit").click()
    expect(page.locator(f"#objective-{goals.peer.pk} .td-okr-objective-progress")
           ).to_contain_text("50 %")
    # The key result says which KPI it carries, with the KPI's new attainment.
    expect(page.locator(f"#objective-{goals.peer.pk}")).to_contain_text("50.0 %")

    page.goto("/kpis/")
    figures = page.locator(f"#assignment-{kpis.peer.pk} .td-kpi-figures")
    expect(figures).to_contain_text("5 / 10")
    expect(figures).to_contain_text("50.0 %")

    owner.reload()
    expect(sales).to_contain_text("50.0 %")
    owner_context.close()
