"""The salary reports in a browser: the trend chart draws under the content security policy
(no console errors), the cost report's view switch works, and an export, run as a
background job, downloads as a file.
"""

import pytest
from django.conf import settings
from django_scopes import scope
from playwright.sync_api import expect

from tandem.core.testing import make_org
from tandem.pay.tests.reports_fixtures import make_runs


@pytest.fixture
def org_with_runs(live_server):
    from tandem.pay.testing import ensure_reference_data

    ensure_reference_data()
    org = make_org()
    december, january, february = make_runs(org)
    return org, january


def test_finance_reads_the_reports_and_downloads_an_export(page, sign_in,
                                                           org_with_runs, live_server):
    org, january = org_with_runs
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                               "url": live_server.url}])
    sign_in(page, "finance")
    page.goto("/pay/reports/")
    expect(page.locator(".td-cost-total th")).to_have_text("Total")
    expect(page.locator(".td-cost-row")).to_have_count(3)
    page.select_option("select[name=view]", "rollup")
    page.locator(".td-report-picker [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".td-cost-row").nth(1)).to_contain_text("Platform")
    # The export runs as a background job (inline in tests): its download link appears.
    page.locator(".td-export-bank").click()
    with page.expect_download() as download:
        page.locator(".td-export-download").click()
    assert download.value.suggested_filename == "bank-transfers-2026-01.xlsx"
    page.locator(".td-report-tabs a", has_text="trend").click()
    page.wait_for_load_state()
    expect(page.locator(".td-trend-chart .main-svg").first).to_be_visible()
    expect(page.locator(".td-trend-row")).to_have_count(2)
    with scope(company=org.company.pk):
        assert january.employee_count == 6
