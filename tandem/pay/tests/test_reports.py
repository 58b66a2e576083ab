"""Salary reports: cost by department of an approved run (flat and rolled up, the department
of the payroll month), the month-over-month trend, who may read them, and the queries they
take."""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scope

from tandem.pay import reports
from tandem.pay.tests.reports_fixtures import make_runs

FIGURES = ("gross", "employee_contributions", "tax", "net", "employer_contributions",
           "employer_cost")
RUN_TOTALS = {"gross": "gross_total", "employee_contributions": "employee_contributions_total",
              "tax": "tax_total", "net": "net_total",
              "employer_contributions": "employer_contributions_total",
              "employer_cost": "employer_cost_total"}


@pytest.fixture
def runs(org):
    return make_runs(org)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _assert_equals_run(total, run):
    assert total.headcount == run.employee_count
    for name, attribute in RUN_TOTALS.items():
        assert getattr(total, name) == getattr(run, attribute), name
    assert total.gross - total.employee_contributions - total.tax \
        - total.post_tax_deductions == total.net


def test_cost_by_department_is_flat_by_default_and_adds_up_to_the_run(org, runs):
    _december, january, _february = runs
    with scope(company=org.company.pk):
        report = reports.cost_by_department(january)
    rows = {row.name: row for row in report.rows}
    # staff moved to Sales from February: January's cost stays with Platform.
    assert list(rows) == ["研发部", "研发部 / 平台组", "销售部"]
    assert [rows[name].headcount for name in rows] == [1, 1, 4]
    platform = rows["研发部 / 平台组"]
    # 20,000 + 800 allowance + 300 tax-free meal − 100 deducted before tax.
    assert platform.gross == Decimal("21000.00")
    assert platform.employee_contributions == Decimal("3500.00")
    assert platform.post_tax_deductions == Decimal("200.00")
    assert platform.net == Decimal("16934.00")
    assert platform.employer_cost == Decimal("27540.00")
    # The annual bonus's separate tax counts with the income tax.
    assert rows["研发部"].tax == Decimal("97.50") + Decimal("1080.00")
    for name in FIGURES + ("headcount", "post_tax_deductions"):
        assert sum(getattr(row, name) for row in report.rows) == getattr(report.total, name)
    _assert_equals_run(report.total, january)
    assert report.total.gross == Decimal("107000.00")
    assert report.total.employer_cost == Decimal("129890.00")


def test_rolled_up_each_department_counts_its_sub_departments(org, runs):
    _december, january, _february = runs
    with scope(company=org.company.pk):
        flat = {row.department_id: row for row in reports.cost_by_department(january).rows}
        report = reports.cost_by_department(january, rollup=True)
    rows = {row.department_id: row for row in report.rows}
    assert list(rows) == [org.rnd.pk, org.platform.pk, org.sales.pk]
    assert [rows[pk].depth for pk in rows] == [0, 1, 0]
    rnd = rows[org.rnd.pk]
    assert rnd.headcount == 2
    assert rnd.gross == flat[org.rnd.pk].gross + flat[org.platform.pk].gross
    assert rnd.employer_cost == (flat[org.rnd.pk].employer_cost
                                 + flat[org.platform.pk].employer_cost)
    _assert_equals_run(report.total, january)


def test_without_a_job_history_the_current_department_counts(org, runs):
    from tandem.org.models import JobHistory

    _december, january, _february = runs
    with scope(company=org.company.pk):
        JobHistory.objects.filter(employee=org.employees["staff"]).delete()
        rows = {row.name: row.headcount for row in reports.cost_by_department(january).rows}
    assert rows == {"研发部": 1, "销售部": 5}


def test_the_trend_is_the_runs_totals_oldest_first_without_drafts(org, runs):
    december, january, _february = runs
    with scope(company=org.company.pk):
        trend = reports.trend_runs()
        rows = reports.trend_rows(trend)
        with translation.override("en"):
            figure = reports.trend_figure(trend)
        assert reports.trend_runs(december) == [december]
    assert trend == [december, january]
    assert rows[0].gross_change is None
    assert rows[1].gross_change == january.gross_total - december.gross_total
    assert rows[1].cost_change == january.employer_cost_total - december.employer_cost_total
    bars = {trace.name: trace for trace in figure.data}
    assert list(bars["Gross pay"].y) == [float(december.gross_total), float(january.gross_total)]
    assert list(bars["Employer cost"].y) == [float(december.employer_cost_total),
                                            float(january.employer_cost_total)]
    assert list(bars["Net pay"].y) == [float(december.net_total), float(january.net_total)]
    assert list(bars["Headcount"].y) == [6, 6]
    assert list(bars["Gross pay"].x) == ["2025-12", "2026-01"]


def test_the_trend_takes_at_most_twelve_runs(org):
    from datetime import date

    from tandem.pay.models import PayrollRun, RunStatus

    with scope(company=org.company.pk):
        for n in range(14):
            PayrollRun.objects.create(company=org.company, status=RunStatus.PAID,
                                      month=date(2025 + n // 12, n % 12 + 1, 1))
        months = [run.month for run in reports.trend_runs()]
    assert len(months) == 12
    assert months[0] == date(2025, 3, 1) and months[-1] == date(2026, 2, 1)


# --- pages ------------------------------------------------------------------------------------


def _cells(html: str, row_class: str) -> list[list[str]]:
    rows = re.findall(rf'<tr class="{row_class}"[^>]*>(.*?)</tr>', html, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in rows]


def test_the_cost_page_shows_the_latest_run_by_default(org, runs, client_as):
    _december, january, _february = runs
    response = english(client_as(org.users["finance"])).get("/pay/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cost by department, 2026-01" in html
    assert _cells(html, "td-cost-total") == [[
        "Total", "6", "107,000.00", "12,250.00", "1,933.50", "200.00", "92,616.50",
        "22,890.00", "129,890.00"]]
    assert [cells[0] for cells in _cells(html, "td-cost-row")] == [
        "R&amp;D", "R&amp;D / Platform", "Sales"]
    # The draft is not offered; the two approved runs are.
    options = re.findall(r'<option value="(\d*)"', html)
    assert options == ["", str(january.pk), str(runs[0].pk)]
    assert f"/pay/reports/runs/{january.pk}/bank-transfers/" in html
    assert f"/pay/reports/runs/{january.pk}/iit-withholding/" in html
    assert f"/pay/reports/runs/{january.pk}/accounting-summary/" in html


def test_the_cost_page_for_a_chosen_run_rolled_up(org, runs, client_as):
    december, _january, _february = runs
    html = english(client_as(org.users["hr"])).get(
        f"/pay/reports/?run={december.pk}&view=rollup").content.decode()
    assert "Cost by department, 2025-12" in html
    assert [cells[:2] for cells in _cells(html, "td-cost-row")] == [
        ["R&amp;D", "2"], ["└ Platform", "1"], ["Sales", "4"]]
    total = _cells(html, "td-cost-total")[0]
    assert total[1] == "6" and total[2] == f"{december.gross_total:,.2f}"


@pytest.mark.parametrize("query", ["?run=abc", "?run=999999", "?view=pie"])
def test_a_bad_choice_is_a_400_with_the_form_error(org, runs, client_as, query):
    response = english(client_as(org.users["hr"])).get(f"/pay/reports/{query}")
    assert response.status_code == 400
    assert "td-report-error" in response.content.decode()


def test_a_draft_cannot_be_chosen(org, runs, client_as):
    february = runs[2]
    response = client_as(org.users["hr"]).get(f"/pay/reports/?run={february.pk}")
    assert response.status_code == 400


def test_without_an_approved_run_the_pages_say_so(org, client_as):
    client = english(client_as(org.users["finance"]))
    for url in ("/pay/reports/", "/pay/reports/trend/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "No approved or paid payroll run yet" in response.content.decode()


def test_the_trend_page_has_the_chart_and_the_table(org, runs, client_as):
    december, january, _february = runs
    html = english(client_as(org.users["finance"])).get("/pay/reports/trend/").content.decode()
    rows = _cells(html, "td-trend-row")
    assert [row[0] for row in rows] == ["2025-12", "2026-01"]
    assert rows[1][3] == f"{january.gross_total:,.2f}"
    assert rows[1][4] == f"{january.gross_total - december.gross_total:,.2f}"
    assert rows[1][6] == f"{january.employer_cost_total:,.2f}"
    figure = re.search(r'data-td-figure="([^"]+)"', html).group(1)
    data = json.loads(figure.replace("&quot;", '"').replace("&amp;", "&"))
    assert [trace["name"] for trace in data["data"]] == [
        "Gross pay", "Employer cost", "Net pay", "Headcount"]
    assert "plotly.min.js" in html


@pytest.mark.parametrize("role", ["owner", "lead", "staff", "peer"])
@pytest.mark.parametrize("url", ["/pay/reports/", "/pay/reports/trend/"])
def test_only_hr_and_finance_read_the_reports(org, runs, client_as, role, url):
    assert client_as(org.users[role]).get(url).status_code == 403


def test_a_visitor_is_sent_to_sign_in(org, runs, client):
    response = client.get("/pay/reports/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/pay/reports/"


def test_another_companys_run_cannot_be_chosen(org, other_org, runs, client_as):
    with scope(company=other_org.company.pk):
        from tandem.pay.testing import give_everyone_profiles
        from tandem.pay.tests.reports_fixtures import approved, hire_history

        hire_history(other_org)
        give_everyone_profiles(other_org)
        theirs = approved(other_org, runs[1].month)
    response = client_as(org.users["hr"]).get(f"/pay/reports/?run={theirs.pk}")
    assert response.status_code == 400
    assert "other-" not in response.content.decode()


# Session, user, membership, navigation, then the page's own: the runs (one), the sums by
# department (one), the departments (one). Measured with 6 and 26 people alike.
COST_QUERIES = 8
TREND_QUERIES = 7


@pytest.mark.parametrize("extra", [0, 20])
def test_the_reports_take_the_same_queries_whatever_the_headcount(
        org, client_as, django_assert_max_num_queries, extra):
    make_runs(org, extra_people=extra)
    client = client_as(org.users["hr"])
    with django_assert_max_num_queries(COST_QUERIES):
        assert client.get("/pay/reports/?view=rollup").status_code == 200
    with django_assert_max_num_queries(COST_QUERIES):
        assert client.get("/pay/reports/").status_code == 200
    with django_assert_max_num_queries(TREND_QUERIES):
        assert client.get("/pay/reports/trend/").status_code == 200
