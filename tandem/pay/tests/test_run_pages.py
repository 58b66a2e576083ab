"""The payroll run pages: the list with a new run, one run's page in both languages, the
actions by role (HR calculates and deletes a draft, finance approves, either marks paid),
refusals as a message with a 409, and the progress partial htmx polls while calculating."""

import re
from datetime import date

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.pay import services_payroll
from tandem.pay.models import PayrollRun, RunStatus
from tandem.pay.testing import give_everyone_profiles

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def company(org):
    """Six employees on 10,000 a month in Shanghai, hired 2024-03-01."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
    return org


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _draft(org, month=date(2026, 1, 1)):
    with scope(company=org.company.pk):
        return services_payroll.create_run(company=org.company, month=month,
                                           by=org.users["hr"])


def _calculated(org, month=date(2026, 1, 1)):
    run = _draft(org, month)
    with scope(company=org.company.pk):
        return services_payroll.calculate_run(run=run, by=org.users["hr"])


def _status(run) -> str:
    return PayrollRun._base_manager.get(pk=run.pk).status


def buttons(html: str) -> list[str]:
    return re.findall(r'class="btn [^"]*td-run-(calculate|approve|mark-paid|delete)"', html)


def test_the_list_shows_runs_newest_first_with_status_labels_and_totals(company, client_as):
    _calculated(company, date(2026, 1, 1))
    _draft(company, date(2026, 2, 1))
    html = english(client_as(company.users["finance"])).get("/pay/runs/").content.decode()
    rows = re.findall(r'<td><a href="/pay/runs/(\d+)/">(\d{4}-\d\d)</a></td>', html)
    assert [month for _pk, month in rows] == ["2026-02", "2026-01"]
    assert re.findall(r'td-run-status">([^<]+)<', html) == ["Draft", "Calculated"]
    # Six payslips of 10,000: net 8,152.50 each (test_payroll_run), employer cost 13,270.
    assert "60,000.00" in html and "48,915.00" in html and "79,620.00" in html
    # Finance does not create runs.
    assert "td-new-run" not in html


def test_the_list_speaks_chinese_by_default(company, client_as):
    _draft(company)
    html = client_as(company.users["hr"]).get("/pay/runs/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "草稿</span>" in html and ">状态</th>" in html


def test_hr_creates_a_run_for_a_month(company, client_as):
    response = client_as(company.users["hr"]).post("/pay/runs/", {"month": "2026-03"})
    with scope(company=company.company.pk):
        run = PayrollRun.objects.get()
    assert (run.month, run.status) == (date(2026, 3, 1), RunStatus.DRAFT)
    assert response.status_code == 302 and response["Location"] == f"/pay/runs/{run.pk}/"


def test_a_second_run_for_the_month_is_a_field_error(company, client_as):
    _draft(company, date(2026, 3, 1))
    client = english(client_as(company.users["hr"]))
    response = client.post("/pay/runs/", {"month": "2026-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ('<div class="invalid-feedback d-block">There is already a payroll run for this '
            'month.</div>') in html
    bad = client.post("/pay/runs/", {"month": "March"}).content.decode()
    assert '<div class="invalid-feedback d-block">Enter a valid date.</div>' in bad


def test_finance_may_not_create_a_run(company, client_as):
    response = client_as(company.users["finance"]).post("/pay/runs/", {"month": "2026-03"})
    assert response.status_code == 403
    with scope(company=company.company.pk):
        assert not PayrollRun.objects.exists()


def test_the_draft_page_offers_hr_calculate_and_delete(company, client_as):
    run = _draft(company)
    response = english(client_as(company.users["hr"])).get(f"/pay/runs/{run.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert buttons(html) == ["calculate", "delete"]
    assert ">Calculate<" in html and "Payroll 2026-01" in html
    assert '<dd class="col-4 text-end td-inputs-employed">6</dd>' in html
    assert '<dd class="col-4 text-end td-inputs-profiles">6</dd>' in html
    assert "Calculate the run to see its totals." in html


def test_the_run_page_speaks_chinese_by_default(company, client_as):
    run = _calculated(company)
    html = client_as(company.users["finance"]).get(f"/pay/runs/{run.pk}/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "已计算</span>" in html and ">批准</button>" in html


def test_hr_calculates_and_sees_the_totals(company, client_as):
    run = _draft(company)
    client = english(client_as(company.users["hr"]))
    response = client.post(f"/pay/runs/{run.pk}/calculate/")
    assert response.status_code == 302 and response["Location"] == f"/pay/runs/{run.pk}/"
    assert _status(run) == RunStatus.CALCULATED
    html = client.get(f"/pay/runs/{run.pk}/").content.decode()
    assert '<dd class="col-5 text-end td-total-headcount">6</dd>' in html
    assert '<dd class="col-5 text-end td-total-net">48,915.00</dd>' in html
    assert '<dd class="col-5 text-end td-total-tax">585.00</dd>' in html
    assert buttons(html) == ["calculate", "delete"]
    assert ">Recalculate<" in html
    assert "The payroll run is calculated." in html


def test_finance_approves_and_hr_marks_paid(company, client_as):
    run = _calculated(company)
    finance = english(client_as(company.users["finance"]))
    assert buttons(finance.get(f"/pay/runs/{run.pk}/").content.decode()) == ["approve"]
    assert finance.post(f"/pay/runs/{run.pk}/approve/").status_code == 302
    assert _status(run) == RunStatus.APPROVED
    hr = english(client_as(company.users["hr"]))
    assert buttons(hr.get(f"/pay/runs/{run.pk}/").content.decode()) == ["mark-paid"]
    assert hr.post(f"/pay/runs/{run.pk}/mark-paid/").status_code == 302
    assert _status(run) == RunStatus.PAID


def test_hr_may_not_approve_and_finance_may_not_calculate(company, client_as):
    run = _calculated(company)
    assert client_as(company.users["hr"]).post(f"/pay/runs/{run.pk}/approve/").status_code == 403
    assert client_as(company.users["finance"]).post(
        f"/pay/runs/{run.pk}/calculate/").status_code == 403
    assert _status(run) == RunStatus.CALCULATED


def test_an_approval_with_blocking_problems_is_a_409_with_the_reason(org, client_as):
    """Only staff has a profile: the other five are blocking problems."""
    from tandem.pay.testing import give_profile

    with scope(company=org.company.pk):
        give_profile(org, "staff")
    run = _calculated(org)
    client = english(client_as(org.users["finance"]))
    html = client.get(f"/pay/runs/{run.pk}/").content.decode()
    assert buttons(html) == []
    assert "5 blocking problems: resolve them and calculate again before approving." in html
    response = client.post(f"/pay/runs/{run.pk}/approve/")
    assert response.status_code == 409
    assert ("Resolve the blocking problems (employees without a payslip) and calculate again "
            "before approving.") in response.content.decode()
    assert _status(run) == RunStatus.CALCULATED


def test_calculating_an_approved_run_is_a_409_with_the_reason(company, client_as):
    run = _calculated(company)
    with scope(company=company.company.pk):
        services_payroll.approve_run(run=run, by=company.users["finance"])
    response = english(client_as(company.users["hr"])).post(f"/pay/runs/{run.pk}/calculate/")
    assert response.status_code == 409
    assert "This payroll run is approved: it can no longer change." in response.content.decode()


def test_hr_deletes_a_draft_after_confirming(company, client_as):
    run = _draft(company)
    client = english(client_as(company.users["hr"]))
    confirm = client.get(f"/pay/runs/{run.pk}/delete/").content.decode()
    assert "Delete the payroll run of 2026-01 with its payslips and problems?" in confirm
    response = client.post(f"/pay/runs/{run.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/pay/runs/"
    assert not PayrollRun._base_manager.filter(pk=run.pk).exists()


def test_an_approved_run_cannot_be_deleted(company, client_as):
    run = _calculated(company)
    with scope(company=company.company.pk):
        services_payroll.approve_run(run=run, by=company.users["finance"])
    response = english(client_as(company.users["hr"])).post(f"/pay/runs/{run.pk}/delete/")
    assert response.status_code == 409
    assert "td-run-refusal" in response.content.decode()
    assert PayrollRun._base_manager.filter(pk=run.pk).exists()


def test_while_calculating_the_page_polls_the_progress_every_two_seconds(company, client_as):
    run = _draft(company)
    PayrollRun._base_manager.filter(pk=run.pk).update(
        status=RunStatus.CALCULATING, progress_done=2, progress_total=6)
    client = english(client_as(company.users["hr"]))
    html = client.get(f"/pay/runs/{run.pk}/").content.decode()
    assert (f'hx-get="/pay/runs/{run.pk}/progress/" hx-trigger="every 2s" '
            'hx-swap="outerHTML"') in html
    partial = client.get(f"/pay/runs/{run.pk}/progress/", **HTMX)
    text = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in text
    assert 'max="6" value="2"' in text and "Calculating: 2 of 6 employees" in text
    # No calculate or delete while the background task works.
    assert buttons(html) == []


def test_the_progress_partial_refreshes_the_page_once_done(company, client_as):
    run = _calculated(company)
    response = client_as(company.users["finance"]).get(f"/pay/runs/{run.pk}/progress/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert response.content == b""


def test_the_payslips_search_by_name(company, client_as):
    run = _calculated(company)
    with scope(company=company.company.pk):
        name = company.employees["staff"].name
    html = english(client_as(company.users["hr"])).get(
        f"/pay/runs/{run.pk}/", {"q": name}).content.decode()
    table = html.split("td-run-payslips", 1)[1]
    assert re.findall(r"<td>(?:<a [^>]*>)?([^<]+)<", table) == [name]
    with scope(company=company.company.pk):
        payslip = run.payslips.get(employee=company.employees["staff"])
    assert f'<a href="/pay/payslips/{payslip.pk}/">{name}</a>' in table
    # Gross 10,000, tax 97.50, net 8,152.50 (test_payroll_run).
    assert re.findall(r'<td class="text-end">([^<]+)</td>', table) == [
        "10,000.00", "97.50", "8,152.50"]


def test_a_big_company_calculates_in_the_background(company, client_as, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    """Above the inline limit the page answers at once with the run calculating (the page
    then polls); the Huey task (immediate in tests) runs after the commit."""
    monkeypatch.setattr("tandem.pay.services_payroll.INLINE_LIMIT", 5)
    run = _draft(company)
    client = client_as(company.users["hr"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/pay/runs/{run.pk}/calculate/")
    assert response.status_code == 302 and response["Location"] == f"/pay/runs/{run.pk}/"
    assert _status(run) == RunStatus.CALCULATING
    assert len(callbacks) == 1
    callbacks[0]()
    assert _status(run) == RunStatus.CALCULATED
    assert PayrollRun._base_manager.get(pk=run.pk).employee_count == 6
