"""What the salary profile service refuses (field errors) and what it only warns about."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scope

from tandem.core.versioning import EditConflict
from tandem.pay import services
from tandem.pay.models import City, SalaryProfile, mask_account
from tandem.pay.testing import profile_fields


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk), translation.override("en"):
        yield org


def _create(org, key="staff", **overrides):
    return services.create_salary_profile(company=org.company, employee=org.employees[key],
                                          by=org.users["hr"], **profile_fields(**overrides))


def _errors(org, **overrides) -> dict:
    with pytest.raises(ValidationError) as refused:
        _create(org, **overrides)
    assert not SalaryProfile.objects.exists()
    return refused.value.message_dict


@pytest.mark.parametrize("rate", [D("0.04"), D("0.08")])
def test_a_housing_fund_rate_outside_shanghai_s_5_to_7_percent_is_refused(scoped, rate):
    assert _errors(scoped, housing_fund_rate=rate) == {
        "housing_fund_rate": ["The housing fund rate must be between 5 % and 7 % in this city."]}


def test_beijing_allows_12_percent(scoped):
    beijing = City.objects.get(code="beijing")
    assert _create(scoped, city=beijing, housing_fund_rate=D("0.12")).housing_fund_rate == D(
        "0.12")


def test_the_band_is_the_one_in_force_on_the_start_date(scoped):
    """Shanghai's policies start 2025-07-01: nothing in force before."""
    errors = _errors(scoped, effective_from=date(2025, 6, 1))
    assert list(errors) == ["city"]


def test_supplementary_rate_inside_its_band_only_where_there_is_one(scoped):
    assert _errors(scoped, supplementary_housing_fund_rate=D("0.06")) == {
        "supplementary_housing_fund_rate": [
            "The supplementary rate must be between 1 % and 5 % in this city."]}
    beijing = City.objects.get(code="beijing")
    assert _errors(scoped, city=beijing, supplementary_housing_fund_rate=D("0.02")) == {
        "supplementary_housing_fund_rate": ["This city has no supplementary housing fund."]}


def test_two_profiles_cannot_start_on_the_same_day(scoped):
    _create(scoped)
    with pytest.raises(ValidationError) as refused:
        _create(scoped)
    assert list(refused.value.message_dict) == ["effective_from"]


def test_not_before_the_hire_month(scoped):
    # make_org hires everyone on 2024-03-01 (and no policy is in force then either).
    errors = _errors(scoped, effective_from=date(2024, 2, 1))
    assert errors["effective_from"] == [
        "A salary profile cannot start before the month of the hire date (2024-03-01)."]


@pytest.mark.parametrize("account", ["1234", "6225-88x0-1234-5678", "1" * 31])
def test_a_bank_account_must_be_8_to_30_digits(scoped, account):
    assert list(_errors(scoped, bank_account=account)) == ["bank_account"]


def test_spaces_and_dashes_in_the_account_are_dropped(scoped):
    assert _create(scoped, bank_account="6225 8801-1234 5678").bank_account == "6225880112345678"


def test_fixed_items_need_distinct_names_and_a_positive_amount(scoped):
    item = {"kind": "allowance", "name": "餐补", "amount": D("100")}
    assert list(_errors(scoped, items=[item, item])) == ["items"]
    assert list(_errors(scoped, items=[{**item, "amount": D("0")}])) == ["items"]


def test_warnings_for_bases_outside_the_band_and_a_wage_below_the_minimum(scoped):
    """From 2026-01-01: Shanghai's 2025-07 policy and its 2,740 minimum wage."""
    profile = _create(scoped, base_monthly_wage=D("2000"), insurance_base=D("5000"),
                      housing_fund_base=D("40000"))
    assert services.salary_profile_warnings(profile) == [
        "The social insurance base 5000 is outside the city's band 7460.00 – 37302.00; "
        "contributions will use the nearest bound.",
        "The housing fund base 40000 is outside the city's band 2690.00 – 37302.00; "
        "contributions will use the nearest bound.",
        "The base monthly wage is below the city's minimum wage of 2740.00 (Labour Law art. "
        "48).",
    ]


def test_no_warnings_for_an_ordinary_profile(scoped):
    assert services.salary_profile_warnings(_create(scoped)) == []


def test_an_update_from_an_old_version_writes_nothing(scoped):
    profile = _create(scoped)
    services.update_salary_profile(profile=profile, version=1, base_monthly_wage=D("21000"))
    stale = SalaryProfile.objects.get(pk=profile.pk)
    with pytest.raises(EditConflict):
        services.update_salary_profile(profile=stale, version=1, base_monthly_wage=D("1"))
    assert SalaryProfile.objects.get(pk=profile.pk).base_monthly_wage == D("21000")


def test_the_employee_cannot_change_by_update(scoped):
    profile = _create(scoped)
    with pytest.raises(ValidationError) as refused:
        services.update_salary_profile(profile=profile, employee=scoped.employees["peer"])
    assert list(refused.value.message_dict) == ["employee"]


def test_history_records_who_changed_the_wage(scoped):
    profile = _create(scoped)
    services.update_salary_profile(profile=profile, base_monthly_wage=D("25000"),
                                   by=scoped.users["hr"])
    records = list(profile.history.order_by("history_id"))
    assert [(r.base_monthly_wage, r.history_user) for r in records] == [
        (D("20000.00"), scoped.users["hr"]), (D("25000.00"), scoped.users["hr"])]


@pytest.mark.parametrize(("account", "masked"), [
    ("6225880112345678", "************5678"), ("12345678", "********"), ("", "")])
def test_masking(account, masked):
    assert mask_account(account) == masked
