"""The demo company's pay data: a profile per person employed since the first demo run that
the services' rules accept, and the attendance of the three paid months."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db.models import Q
from django_scopes import scope

from tandem.org.models import Employee, EmployeeStatus
from tandem.pay import services
from tandem.pay.demo import seed_demo_pay
from tandem.pay.models import AttendanceSummary, SalaryProfile
from tandem.pay.selectors import salary_profiles_in_force


@pytest.mark.django_db
def test_every_employed_person_gets_a_valid_profile_and_last_month(org):
    assert seed_demo_pay(org.company, date(2026, 11, 26)) == 6
    with scope(company=org.company.pk):
        profiles = list(salary_profiles_in_force(date(2026, 11, 1)))
        assert len(profiles) == 6
        for profile in profiles:
            assert profile.effective_from == date(2025, 7, 1)  # hired 2024-03
            services._validate_profile(profile, None)  # raises if a rule refuses it
            assert [(i.name, i.amount) for i in profile.items.all()] == [("餐补", D("500.00"))]
            assert profile.history.count() == 1
        months = set(AttendanceSummary.objects.values_list("month", flat=True))
        assert months == {date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)}
        assert AttendanceSummary.objects.count() == 18
        # Everyone has a sign-in here: no one is moved to join or leave mid-month.
        assert not Employee.history.filter(history_type="~").exists()
        assert SalaryProfile.objects.filter(bank_account__regex=r"^6222[0-9]{12}$").count() == 6


@pytest.mark.django_db
def test_the_demo_company_s_people_all_pass_the_rules():
    from tandem.org.demo import MIN_EMPLOYEES, seed_demo_company

    demo = seed_demo_company(employees=MIN_EMPLOYEES, today=date(2026, 11, 26))  # pay included
    with scope(company=demo.company.pk):
        employed = Employee.objects.filter(hire_date__lte=date(2026, 11, 26)).filter(
            Q(leave_date__isnull=True) | Q(leave_date__gte=date(2026, 8, 1))).count()
        assert Employee.objects.filter(status=EmployeeStatus.LEFT).count() > 0
        assert SalaryProfile.objects.count() == employed > 0
        for profile in SalaryProfile.objects.select_related("employee"):
            services._validate_profile(profile, None)
        for summary in AttendanceSummary.objects.select_related("employee"):
            services._validate_attendance(summary)
