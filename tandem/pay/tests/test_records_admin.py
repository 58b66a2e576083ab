"""The admin holds Pay's reference data for staff accounts, and no salary data at all: the
admin spans companies, salary data is for a company's HR, finance and the employee only."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from tandem.pay.models import (
    AttendanceSummary,
    City,
    CityPolicy,
    CompanyWorkInjuryRate,
    DeductionDeclaration,
    DeductionStandard,
    FixedPayItem,
    HolidayDay,
    HolidayYear,
    MinimumWage,
    SalaryProfile,
)


def test_reference_data_is_registered_and_salary_data_is_not():
    registered = set(admin.site._registry)
    assert {City, CityPolicy, MinimumWage, HolidayDay, HolidayYear,
            DeductionStandard} <= registered
    assert not {SalaryProfile, FixedPayItem, DeductionDeclaration, AttendanceSummary,
                CompanyWorkInjuryRate} & registered
    assert not any(model._meta.app_label == "pay" and model.__name__.startswith(
        "HistoricalSalary") for model in registered)


@pytest.mark.django_db
def test_a_company_role_is_sent_to_the_admin_sign_in(org, client_as):
    response = client_as(org.users["hr"]).get("/admin/pay/citypolicy/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_staff_edit_a_policy_and_the_overlap_rule_holds_there(client):
    staff = get_user_model().objects.create_superuser("operator", password="x-123456789")
    client.force_login(staff)
    policy = CityPolicy.objects.get(city__code="shanghai", effective_from="2025-07-01")
    listing = client.get("/admin/pay/citypolicy/")
    assert listing.status_code == 200
    form = client.get(f"/admin/pay/citypolicy/{policy.pk}/change/")
    assert form.status_code == 200
    data = {name: getattr(policy, name) for name in (
        "effective_from", "average_monthly_wage", "insurance_base_floor",
        "insurance_base_ceiling", "housing_fund_rate_min", "housing_fund_rate_max",
        "supplementary_rate_min", "supplementary_rate_max", "housing_fund_base_floor",
        "housing_fund_base_ceiling", "housing_fund_rounding", "confidence", "source")}
    data.update({"city": policy.city_id, "effective_to": "2026-07-31",
                 "scheme_rates-TOTAL_FORMS": 0, "scheme_rates-INITIAL_FORMS": 0})
    response = client.post(f"/admin/pay/citypolicy/{policy.pk}/change/", data)
    assert response.status_code == 200  # the form again, with the error
    assert "2026-07-01" in response.content.decode()
    policy.refresh_from_db()
    assert str(policy.effective_to) == "2026-06-30"
