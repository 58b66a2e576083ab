"""Payroll in the browser: HR creates January's run and calculates it, finance approves it;
the run's page fits a 375 px phone. Under the content security policy, without console
errors (the `page` fixture)."""

from datetime import date

from django_scopes import scope
from playwright.sync_api import expect

from tandem.core.testing import make_org
from tandem.pay import services_payroll
from tandem.pay.models import PayrollRun, RunStatus
from tandem.pay.testing import give_everyone_profiles


def _setup():
    org = make_org()
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
    return org


def test_hr_creates_and_calculates_a_run_and_finance_approves_it(page, browser, live_server,
                                                                  sign_in):
    org = _setup()
    sign_in(page, "hr")
    page.goto("/pay/runs/")
    page.locator(".td-new-run input[name=month]").fill("2026-01")
    page.locator(".td-new-run [type=submit]").click()
    page.wait_for_url("**/pay/runs/*/")
    with scope(company=org.company.pk):
        run = PayrollRun.objects.get()
    expect(page.locator(".td-inputs-employed")).to_have_text("6")
    page.locator(".td-run-calculate").click()
    page.wait_for_load_state()
    # Six payslips of 10,000 (net 8,152.50 each); the figures in the default language's
    # number format.
    expect(page.locator(".td-total-headcount")).to_have_text("6")
    expect(page.locator(".td-run-payslips tbody tr")).to_have_count(6)
    expect(page.locator(".td-run-approve")).to_have_count(0)  # HR prepares, finance approves
    run.refresh_from_db()
    assert run.status == RunStatus.CALCULATED

    finance = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    sign_in(finance, "finance")
    finance.goto(f"/pay/runs/{run.pk}/")
    finance.locator(".td-run-approve").click()
    finance.wait_for_load_state()
    expect(finance.locator(".td-run-approve")).to_have_count(0)
    expect(finance.locator(".td-run-mark-paid")).to_have_count(1)
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    finance.context.close()


def test_the_progress_bar_polls_and_the_page_reloads_when_done(page, sign_in):
    """The background task's part is played by the test: it moves the progress, then
    calculates; the page follows without a click."""
    org = _setup()
    with scope(company=org.company.pk):
        run = services_payroll.create_run(company=org.company, month=date(2026, 1, 1))
    PayrollRun._base_manager.filter(pk=run.pk).update(
        status=RunStatus.CALCULATING, progress_done=0, progress_total=6)
    sign_in(page, "hr")
    page.goto(f"/pay/runs/{run.pk}/")
    bar = page.locator(".td-run-progress progress")
    expect(bar).to_have_attribute("value", "0")
    PayrollRun._base_manager.filter(pk=run.pk).update(progress_done=3)
    expect(bar).to_have_attribute("value", "3")
    with scope(company=org.company.pk):
        services_payroll.calculate_run(run=run, by=org.users["hr"])
    expect(page.locator(".td-total-headcount")).to_have_text("6")
    expect(page.locator(".td-run-progress")).to_have_count(0)


def test_the_run_page_fits_a_phone(phone, sign_in):
    org = _setup()
    with scope(company=org.company.pk):
        run = services_payroll.calculate_run(run=services_payroll.create_run(
            company=org.company, month=date(2026, 1, 1)), by=org.users["hr"])
    sign_in(phone, "finance")
    phone.goto(f"/pay/runs/{run.pk}/")
    expect(phone.locator(".td-run-approve")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.goto("/pay/runs/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
