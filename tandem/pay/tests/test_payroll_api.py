"""/api/v1/payroll-runs/, /api/v1/payslips/ and /api/v1/pay-items/: HR prepares and
calculates, finance approves; employees read only their own payslips of approved runs; HR
and finance read all; an approved run and its month's items are immutable (409). Large
companies calculate in the background (Huey, inline in tests)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay.models import PayItem, PayrollRun, Payslip, RunStatus
from tandem.pay.testing import give_everyone_profiles

RUNS = "/api/v1/payroll-runs/"
PAYSLIPS = "/api/v1/payslips/"
ITEMS = "/api/v1/pay-items/"


@pytest.fixture
def company(org):
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
    return org


def _calculated(org, api_as, month="2026-01-01"):
    hr = api_as(org.users["hr"])
    created = hr.post(RUNS, {"month": month}, format="json")
    assert created.status_code == 201, created.content
    run_id = created.json()["id"]
    calculated = hr.post(f"{RUNS}{run_id}/calculate/")
    assert calculated.status_code == 200, calculated.content
    return run_id, calculated.json()


def test_hr_calculates_finance_approves_and_the_payslips_show(company, api_as):
    org = company
    run_id, run = _calculated(org, api_as)
    assert (run["status"], run["employee_count"], run["net_total"]) == (
        "calculated", 6, "48915.00")
    assert api_as(org.users["hr"]).post(f"{RUNS}{run_id}/approve/").status_code == 403
    approved = api_as(org.users["finance"]).post(f"{RUNS}{run_id}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    again = api_as(org.users["hr"]).post(f"{RUNS}{run_id}/calculate/")
    assert again.status_code == 409
    assert api_as(org.users["hr"]).delete(f"{RUNS}{run_id}/").status_code == 409
    paid = api_as(org.users["finance"]).post(f"{RUNS}{run_id}/mark-paid/")
    assert paid.json()["status"] == "paid"


@pytest.mark.parametrize(("role", "visible"), [
    ("hr", ["finance", "hr", "lead", "owner", "peer", "staff"]),
    ("finance", ["finance", "hr", "lead", "owner", "peer", "staff"]),
    ("staff", ["staff"]), ("peer", ["peer"]),
    ("lead", ["lead"]),  # a manager sees their own payslip, not their report's
    ("owner", ["owner"]),
])
def test_each_role_reads_its_payslips_once_approved(company, api_as, role, visible):
    org = company
    run_id, _ = _calculated(org, api_as)
    before = api_as(org.users[role]).get(PAYSLIPS).json()["results"]
    # Before approval the payslips are HR's and finance's work in progress.
    assert len(before) == (6 if role in ("hr", "finance") else 0)
    api_as(org.users["finance"]).post(f"{RUNS}{run_id}/approve/")
    rows = api_as(org.users[role]).get(PAYSLIPS).json()["results"]
    assert sorted(row["employee_name"] for row in rows) == visible
    assert "lines" not in rows[0]
    assert rows[0]["bank_account"] == "************5678"


def test_a_payslip_with_its_lines_for_its_employee_only(company, api_as):
    org = company
    run_id, _ = _calculated(org, api_as)
    with scope(company=org.company.pk):
        slip = Payslip.objects.get(run_id=run_id, employee=org.employees["staff"])
    url = f"{PAYSLIPS}{slip.pk}/"
    assert api_as(org.users["staff"]).get(url).status_code == 403  # not approved yet
    api_as(org.users["finance"]).post(f"{RUNS}{run_id}/approve/")
    api = api_as(org.users["staff"])
    api.cookies["tandem_language"] = "en"
    answer = api.get(url)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["net"], body["tax_withheld"]) == ("8152.50", "97.50")
    assert body["lines"][0]["code"] == "base_pay"
    assert body["lines"][0]["label"] == "Base pay"
    assert body["lines"][0]["amount"] == "10000.00"
    assert api_as(org.users["peer"]).get(url).status_code == 403
    assert api_as(org.users["lead"]).get(url).status_code == 403


def test_the_runs_are_hr_and_finance_only(company, api_as):
    org = company
    run_id, _ = _calculated(org, api_as)
    for role in ("owner", "lead", "staff"):
        assert api_as(org.users[role]).get(RUNS).status_code == 403
        assert api_as(org.users[role]).get(f"{RUNS}{run_id}/problems/").status_code == 403
    assert api_as(org.users["finance"]).post(RUNS, {"month": "2026-02-01"},
                                             format="json").status_code == 403
    duplicate = api_as(org.users["hr"]).post(RUNS, {"month": "2026-01-20"}, format="json")
    assert duplicate.status_code == 400
    assert list(duplicate.json()["errors"]) == ["month"]


def test_problems_are_listed_blocking_first(org, api_as):
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        make_employee(org.company, org.sales, name="newcomer")
    run_id, run = _calculated(org, api_as)
    assert run["blocking_problem_count"] == 1
    api = api_as(org.users["hr"])
    api.cookies["tandem_language"] = "en"
    rows = api.get(f"{RUNS}{run_id}/problems/").json()["results"]
    assert [(r["employee_name"], r["code"], r["blocking"], r["message"]) for r in rows] == [
        ("newcomer", "no_salary_profile", True, "No salary profile")]
    refused = api_as(org.users["finance"]).post(f"{RUNS}{run_id}/approve/")
    assert refused.status_code == 409


def test_pay_items_are_refused_for_an_approved_month(company, api_as):
    org = company
    run_id, _ = _calculated(org, api_as)
    hr = api_as(org.users["hr"])
    body = {"employee": org.employees["staff"].pk, "month": "2026-01-01",
            "kind": "regular_bonus", "name": "奖金", "amount": "1000.00"}
    created = hr.post(ITEMS, body, format="json")
    assert created.status_code == 201, created.content
    assert api_as(org.users["staff"]).get(ITEMS).json()["count"] == 1
    assert api_as(org.users["peer"]).get(ITEMS).json()["count"] == 0
    assert api_as(org.users["finance"]).post(ITEMS, body, format="json").status_code == 403
    api_as(org.users["hr"]).post(f"{RUNS}{run_id}/calculate/")
    api_as(org.users["finance"]).post(f"{RUNS}{run_id}/approve/")
    assert hr.post(ITEMS, body, format="json").status_code == 409
    item = created.json()
    changed = hr.patch(f"{ITEMS}{item['id']}/", {"amount": "2.00", "version": item["version"]},
                       format="json")
    assert changed.status_code == 409
    assert hr.delete(f"{ITEMS}{item['id']}/").status_code == 409
    negative = hr.post(ITEMS, {**body, "month": "2026-02-01", "amount": "-5.00"},
                       format="json")
    assert negative.status_code == 400
    assert list(negative.json()["errors"]) == ["amount"]
    with scope(company=org.company.pk):
        assert PayItem.objects.count() == 1


def test_a_large_company_calculates_in_the_background(company, api_as, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    """Above the inline limit the answer is 202 with the run `calculating`; the Huey task
    (immediate in tests) runs after the commit and leaves it calculated."""
    org = company
    monkeypatch.setattr("tandem.pay.services_payroll.INLINE_LIMIT", 3)
    hr = api_as(org.users["hr"])
    run_id = hr.post(RUNS, {"month": "2026-01-01"}, format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        started = hr.post(f"{RUNS}{run_id}/calculate/")
    assert started.status_code == 202
    assert started.json()["status"] == "calculating"
    assert len(callbacks) == 1
    with scope(company=org.company.pk):
        run = PayrollRun.objects.get(pk=run_id)
    assert (run.status, run.employee_count, run.progress_done, run.progress_total) == (
        RunStatus.CALCULATED, 6, 6, 6)
    assert run.net_total == D("48915.00")
    assert run.calculated_by == org.users["hr"]


def test_the_task_leaves_an_approved_run_alone(company):
    from tandem.pay import services_payroll
    from tandem.pay.tasks import calculate_payroll_run

    org = company
    with scope(company=org.company.pk):
        run = services_payroll.calculate_run(run=services_payroll.create_run(
            company=org.company, month=date(2026, 1, 1)))
        services_payroll.approve_run(run=run, by=org.users["finance"])
    assert calculate_payroll_run(run.pk).get() is None


@pytest.mark.parametrize("extra", [0, 10])
def test_the_payslip_list_and_problems_take_constant_queries(org, api_as, extra,
                                                            django_assert_max_num_queries):
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        for n in range(extra):
            make_employee(org.company, org.sales, name=f"e{n}")  # no profile: a problem
    run_id, _ = _calculated(org, api_as)
    api = api_as(org.users["finance"])
    with django_assert_max_num_queries(8):
        assert api.get(PAYSLIPS, {"run": run_id}).json()["count"] == 6
    with django_assert_max_num_queries(8):
        assert api.get(f"{RUNS}{run_id}/problems/").json()["count"] == extra
