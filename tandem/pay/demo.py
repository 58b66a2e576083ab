"""Pay data of the demo company (see `org.demo`): a Shanghai salary profile for everyone
employed today, with a meal allowance, and last month's attendance summary. Written in bulk
(a demo company may have thousands of people) with the history rows the services would add;
the figures pass the services' rules: housing fund 7 % inside Shanghai's 5–7 % band, profiles
starting no earlier than the hire month and the first seeded policy (2025-07-01)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django_scopes import scope

from tandem.core.models import Company
from tandem.org.models import Employee, EmployeeStatus

from .models import AttendanceSummary, City, FixedPayItem, PayItemKind, SalaryProfile

BATCH_SIZE = 500
FIRST_POLICY = date(2025, 7, 1)  # Shanghai's first seeded policy period (pay.seeds)
BANKS = ("招商银行", "工商银行", "建设银行", "中国银行")


def _month_start(day: date) -> date:
    return day.replace(day=1)


def seed_demo_pay(company: Company, today: date, *, seed: int = 11) -> int:
    """Writes the demo pay data of `company`; returns the number of salary profiles."""
    rng = random.Random(seed)
    shanghai = City.objects.get(code="shanghai")
    last_month = _month_start(_month_start(today) - timedelta(days=1))
    with scope(company=company.pk):
        employed = list(Employee.objects.exclude(status=EmployeeStatus.LEFT)
                        .filter(hire_date__lte=today).order_by("pk"))
        profiles = []
        for employee in employed:
            wage = Decimal(rng.randrange(16, 90) * 500)
            profiles.append(SalaryProfile(
                company=company, employee=employee, city=shanghai,
                effective_from=max(_month_start(employee.hire_date), FIRST_POLICY),
                base_monthly_wage=wage, insurance_base=wage, housing_fund_rate=Decimal("0.07"),
                bank_name=rng.choice(BANKS),
                bank_account="6222" + "".join(str(rng.randrange(10)) for _ in range(12))))
        SalaryProfile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
        SalaryProfile.history.bulk_history_create(profiles, batch_size=BATCH_SIZE)
        items = [FixedPayItem(company=company, profile=profile, kind=PayItemKind.ALLOWANCE,
                              name="餐补", amount=Decimal("500.00")) for profile in profiles]
        FixedPayItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        FixedPayItem.history.bulk_history_create(items, batch_size=BATCH_SIZE)
        summaries = [
            AttendanceSummary(
                company=company, employee=employee, month=last_month,
                paid_days=Decimal("21.75"),
                overtime_workday_hours=Decimal(rng.choice((0, 0, 2, 4, 6, 8))))
            for employee in employed if employee.hire_date < last_month
        ]
        AttendanceSummary.objects.bulk_create(summaries, batch_size=BATCH_SIZE)
        AttendanceSummary.history.bulk_history_create(summaries, batch_size=BATCH_SIZE)
    return len(profiles)
