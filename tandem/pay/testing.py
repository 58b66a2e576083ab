"""Pay fixtures for tests and the access matrix, built on `core.testing.Org` through the
services, the way production code writes them. The city policies, minimum wages and holidays
are reference data the migrations seed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django_scopes import scope

from . import services, services_deductions, services_reference
from .models import (
    AttendanceSummary,
    City,
    CompanyWorkInjuryRate,
    DeductionDeclaration,
    SalaryProfile,
)


@dataclass
class Pay:
    """staff and peer each have a Shanghai salary profile (from 2026-01-01), an attendance
    summary for 2026-10 and a children's education declaration; the company's Shanghai
    work-injury rate is 0.4 % from 2026-01-01."""

    shanghai: City
    staff_profile: SalaryProfile
    peer_profile: SalaryProfile
    staff_attendance: AttendanceSummary
    peer_attendance: AttendanceSummary
    staff_declaration: DeductionDeclaration
    peer_declaration: DeductionDeclaration
    work_injury_rate: CompanyWorkInjuryRate


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
    return Pay(shanghai=City.objects.get(code="shanghai"), work_injury_rate=work_injury_rate,
               staff_profile=profiles["staff"], peer_profile=profiles["peer"],
               staff_attendance=attendance["staff"], peer_attendance=attendance["peer"],
               staff_declaration=declarations["staff"], peer_declaration=declarations["peer"])
