"""Pay fixtures for tests and the access matrix, built on `core.testing.Org` through the
services, the way production code writes them. The city policies, minimum wages and holidays
are reference data the migrations seed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django_scopes import scope

from . import services, services_deductions, services_payroll, services_reference
from .models import (
    AttendanceSummary,
    City,
    CompanyWorkInjuryRate,
    DeductionDeclaration,
    PayItem,
    PayrollRun,
    Payslip,
    RunStatus,
    SalaryProfile,
)


@dataclass
class Pay:
    """staff and peer each have a Shanghai salary profile (from 2026-01-01), an attendance
    summary for 2026-10 and a children's education declaration; the company's Shanghai
    work-injury rate is 0.4 % from 2026-01-01. The payroll of 2026-09 is approved, with
    staff's and peer's payslips; each of them has a bonus item in 2026-11 (no run yet)."""

    shanghai: City
    staff_profile: SalaryProfile
    peer_profile: SalaryProfile
    staff_attendance: AttendanceSummary
    peer_attendance: AttendanceSummary
    staff_declaration: DeductionDeclaration
    peer_declaration: DeductionDeclaration
    work_injury_rate: CompanyWorkInjuryRate
    run: PayrollRun | None = None
    staff_payslip: Payslip | None = None
    peer_payslip: Payslip | None = None
    staff_pay_item: PayItem | None = None
    peer_pay_item: PayItem | None = None


def ensure_reference_data() -> None:
    """The seeded policies, standards and holidays, written again when a transactional test
    (live server, fuzzing) flushed the database and with it what the data migration wrote."""
    if not City.objects.filter(code="shanghai").exists():
        from django.apps import apps

        from .seeds import seed_reference_data

        seed_reference_data(apps)


def profile_fields(**overrides) -> dict:
    """A valid Shanghai profile's fields (base 20,000, housing fund 7 %)."""
    ensure_reference_data()
    fields = {
        "effective_from": date(2026, 1, 1), "base_monthly_wage": Decimal("20000.00"),
        "city": City.objects.get(code="shanghai"), "insurance_base": Decimal("20000.00"),
        "housing_fund_rate": Decimal("0.07"), "bank_name": "招商银行",
        "bank_account": "6225880112345678",
        "items": [{"kind": "allowance", "name": "餐补", "amount": Decimal("500.00"),
                   "taxable": True}],
    }
    fields.update(overrides)
    return fields


def make_pay(org) -> Pay:
    company = org.company
    hr = org.users["hr"]
    with scope(company=company.pk):
        profiles = {
            key: services.create_salary_profile(
                company=company, employee=org.employees[key], by=hr,
                **profile_fields(base_monthly_wage=Decimal(base), insurance_base=Decimal(base)))
            for key, base in (("staff", "20000.00"), ("peer", "15000.00"))
        }
        attendance = {
            key: services.create_attendance_summary(
                company=company, employee=org.employees[key], month=date(2026, 10, 1),
                paid_days=Decimal("21.75"), overtime_workday_hours=Decimal("4"), by=hr)
            for key in ("staff", "peer")
        }
        declarations = {
            key: services_deductions.create_declaration(
                company=company, employee=org.employees[key], category="children_education",
                variant="", share=Decimal("0.5"), from_month=date(2026, 1, 1), by=hr)
            for key in ("staff", "peer")
        }
        work_injury_rate = services_reference.create_work_injury_rate(
            company=company, city=City.objects.get(code="shanghai"),
            effective_from=date(2026, 1, 1), employer_rate=Decimal("0.004"), by=hr)
        run, payslips, items = _make_payroll(org)
    return Pay(shanghai=City.objects.get(code="shanghai"), work_injury_rate=work_injury_rate,
               staff_profile=profiles["staff"], peer_profile=profiles["peer"],
               staff_attendance=attendance["staff"], peer_attendance=attendance["peer"],
               staff_declaration=declarations["staff"], peer_declaration=declarations["peer"],
               run=run, staff_payslip=payslips["staff"], peer_payslip=payslips["peer"],
               staff_pay_item=items["staff"], peer_pay_item=items["peer"])


def _make_payroll(org):
    """September 2026 calculated through the service, then approved as it stands: the four
    employees without a profile are blocking problems the approval service would refuse, and
    giving them profiles would change the salary-profile fixtures other tests count."""
    company, hr = org.company, org.users["hr"]
    run = services_payroll.calculate_run(
        run=services_payroll.create_run(company=company, month=date(2026, 9, 1), by=hr), by=hr)
    PayrollRun.objects.filter(pk=run.pk).update(status=RunStatus.APPROVED)
    run.refresh_from_db()
    payslips = {key: Payslip.objects.get(run=run, employee=org.employees[key])
                for key in ("staff", "peer")}
    items = {key: services_payroll.create_pay_item(
        company=company, employee=org.employees[key], by=hr, month=date(2026, 11, 1),
        kind="regular_bonus", name="季度奖", amount=Decimal("1000.00"))
        for key in ("staff", "peer")}
    return run, payslips, items


# --- payroll -------------------------------------------------------------------------------


def give_profile(org, key: str, base: str = "10000.00", **overrides) -> SalaryProfile:
    """A Shanghai profile for `org.employees[key]` from 2025-07-01 on `base` (insurance base
    the same, housing fund 7 %, a bank account, no fixed items). Needs the company scope."""
    fields = profile_fields(effective_from=date(2025, 7, 1), base_monthly_wage=Decimal(base),
                            insurance_base=Decimal(base), items=[])
    fields.update(overrides)
    return services.create_salary_profile(company=org.company, employee=org.employees[key],
                                          by=org.users["hr"], **fields)


def give_everyone_profiles(org, base: str = "10000.00") -> None:
    for key in org.employees:
        give_profile(org, key, base)
