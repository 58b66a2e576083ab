"""A small company's payroll, end to end: two months where the second carries the first's
year-to-date figures, a bonus item, overtime, idempotent recalculation, immutability after
approval and a correction as an adjustment item next month."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.pay import services, services_payroll
from tandem.pay.models import PayItemType, Payslip, RunProblem, RunStatus
from tandem.pay.testing import give_everyone_profiles


@pytest.fixture
def company(org):
    """Six employees on 10,000 a month in Shanghai, hired 2024-03-01."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
    return org


def _run(org, month):
    run = services_payroll.create_run(company=org.company, month=month, by=org.users["hr"])
    return services_payroll.calculate_run(run=run, by=org.users["hr"])


def _slip(run, org, key="staff"):
    return Payslip.objects.get(run=run, employee=org.employees[key])


def test_january_then_february_with_a_bonus_carries_the_year_to_date(company):
    """January: employee contributions pension 800 + medical 200 + unemployment 50 + housing
    fund 700 = 1,750; cumulative taxable 10,000 − 5,000 − 1,750 = 3,250 × 3 % = 97.50.
    February with a 30,000 bonus: cumulative 50,000 − 10,000 − 3,500 = 36,500 → 10 % − 2,520
    = 1,130, minus January's 97.50 = 1,032.50 (without January's figures it would be
    (40,000 − 5,000×2 − 1,750) × 3 % = 847.50)."""
    org = company
    with scope(company=org.company.pk):
        january = _run(org, date(2026, 1, 1))
        slip = _slip(january, org)
        assert (slip.gross, slip.employee_contributions, slip.tax_withheld, slip.net) == (
            D("10000.00"), D("1750.00"), D("97.50"), D("8152.50"))
        # Employer: pension 1,600, medical 900, unemployment 50, work injury 0.2 % 20,
        # housing fund 700.
        assert (slip.employer_contributions, slip.employer_cost) == (D("3270.00"),
                                                                     D("13270.00"))
        assert (january.employee_count, january.net_total, january.tax_total) == (
            6, D("48915.00"), D("585.00"))
        assert january.status == RunStatus.CALCULATED
        services_payroll.approve_run(run=january, by=org.users["finance"])

        services_payroll.create_pay_item(
            company=org.company, employee=org.employees["staff"], by=org.users["hr"],
            month=date(2026, 2, 1), kind=PayItemType.REGULAR_BONUS, name="Q4 奖金",
            amount=D("30000"))
        february = _run(org, date(2026, 2, 1))
        slip = _slip(february, org)
        assert (slip.gross, slip.tax_withheld, slip.net) == (
            D("40000.00"), D("1032.50"), D("37217.50"))
        assert (slip.ytd_income, slip.ytd_special_deductions, slip.ytd_withheld) == (
            D("50000.00"), D("3500.00"), D("1130.00"))
        assert [line["code"] for line in slip.lines][:2] == ["base_pay", "bonus"]
        assert slip.lines[1]["amount"] == "30000.00"
        peer = _slip(february, org, "peer")
        assert peer.tax_withheld == D("97.50")


def test_overtime_on_workdays_is_paid_at_150_percent(company):
    """4 hours × 10,000 ÷ 174 × 1.5 = 344.827… → 344.83 (人社部发〔2025〕2号; Labour Law
    Art. 44)."""
    org = company
    with scope(company=org.company.pk):
        services.create_attendance_summary(
            company=org.company, employee=org.employees["staff"], month=date(2026, 1, 1),
            paid_days=D("21.75"), overtime_workday_hours=D("4"), by=org.users["hr"])
        slip = _slip(_run(org, date(2026, 1, 1)), org)
        assert slip.gross == D("10344.83")
        overtime = [line for line in slip.lines if line["code"].startswith("overtime")]
        assert [line["amount"] for line in overtime] == ["344.83"]


def test_calculating_again_replaces_the_payslips_with_the_same_figures(company):
    org = company
    with scope(company=org.company.pk):
        run = _run(org, date(2026, 1, 1))
        first = list(Payslip.objects.filter(run=run).order_by("employee")
                     .values_list("employee", "net", "lines"))
        run = services_payroll.calculate_run(run=run, by=org.users["hr"])
        again = list(Payslip.objects.filter(run=run).order_by("employee")
                     .values_list("employee", "net", "lines"))
        assert again == first
        assert Payslip.objects.filter(run=run).count() == 6
        assert RunProblem.objects.filter(run=run).count() == 0


def test_an_approved_run_is_immutable_and_corrected_next_month(company):
    org = company
    with scope(company=org.company.pk):
        january = _run(org, date(2026, 1, 1))
        services_payroll.approve_run(run=january, by=org.users["finance"])
        with pytest.raises(services_payroll.RunLocked):
            services_payroll.calculate_run(run=january, by=org.users["hr"])
        with pytest.raises(services_payroll.RunLocked):
            services_payroll.delete_run(run=january, by=org.users["hr"])
        with pytest.raises(services_payroll.RunLocked):
            services_payroll.create_pay_item(
                company=org.company, employee=org.employees["staff"], month=date(2026, 1, 1),
                kind=PayItemType.ALLOWANCE, name="补", amount=D("100"))
        # January underpaid staff by 500: a taxable correction in February.
        services_payroll.create_pay_item(
            company=org.company, employee=org.employees["staff"], month=date(2026, 2, 1),
            kind=PayItemType.ADJUSTMENT, name="1月补发", amount=D("500"),
            adjusts_month=date(2026, 1, 1))
        february = _run(org, date(2026, 2, 1))
        slip = _slip(february, org)
        assert slip.gross == D("10500.00")
        # (20,500 − 10,000 − 3,500) × 3 % = 210 − 97.50 = 112.50
        assert slip.tax_withheld == D("112.50")
        services_payroll.approve_run(run=february, by=org.users["finance"])
        paid = services_payroll.mark_paid(run=february, by=org.users["finance"])
        assert paid.status == RunStatus.PAID
        with pytest.raises(services_payroll.RunLocked):
            services_payroll.calculate_run(run=february, by=org.users["hr"])


def test_only_a_calculated_run_without_blocking_problems_is_approved(org):
    with scope(company=org.company.pk):
        run = services_payroll.create_run(company=org.company, month=date(2026, 1, 1))
        with pytest.raises(services_payroll.RunRefused):
            services_payroll.approve_run(run=run, by=org.users["finance"])
        run = services_payroll.calculate_run(run=run)  # nobody has a profile
        assert run.blocking_problem_count == 6
        with pytest.raises(services_payroll.RunRefused):
            services_payroll.approve_run(run=run, by=org.users["finance"])
        with pytest.raises(services_payroll.RunRefused):
            services_payroll.mark_paid(run=run, by=org.users["finance"])


def test_one_run_per_month(company):
    org = company
    with scope(company=org.company.pk):
        services_payroll.create_run(company=org.company, month=date(2026, 1, 1))
        with pytest.raises(services_payroll.ValidationError) as refused:
            services_payroll.create_run(company=org.company, month=date(2026, 1, 15))
        assert list(refused.value.message_dict) == ["month"]


def test_a_failed_background_calculation_goes_back_to_draft(company, monkeypatch):
    org = company
    with scope(company=org.company.pk):
        run = services_payroll.create_run(company=org.company, month=date(2026, 1, 1))
        run = services_payroll.start_calculation(run=run)
        assert run.status == RunStatus.CALCULATING

        def broken(run):
            raise RuntimeError("database gone")

        monkeypatch.setattr(services_payroll, "load_month", broken)
        with pytest.raises(RuntimeError):
            services_payroll.calculate_run(run=run)
        run.refresh_from_db()
        assert run.status == RunStatus.DRAFT
