"""The company's own work-injury class rate: kept per company and city with a start date,
selected in force set-based, and replacing the city policy's default in the scheme rules."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from tandem.pay import services_reference, social
from tandem.pay.models import City, CityPolicy
from tandem.pay.selectors import work_injury_rates_in_force

URL = "/api/v1/work-injury-rates/"


@pytest.fixture
def shanghai(db):
    return City.objects.get(code="shanghai")


def _rate(org, city, start, rate):
    with scope(company=org.company.pk):
        return services_reference.create_work_injury_rate(company=org.company, city=city,
                                                effective_from=start, employer_rate=D(rate))


def test_the_rate_in_force_is_the_company_s_own(org, other_org, shanghai,
                                               django_assert_num_queries):
    _rate(org, shanghai, date(2026, 1, 1), "0.004")
    _rate(org, shanghai, date(2026, 7, 1), "0.005")
    _rate(other_org, shanghai, date(2026, 3, 1), "0.012")  # later, but another company's
    with scope(company=org.company.pk):
        with django_assert_num_queries(1):
            rates = work_injury_rates_in_force(date(2026, 5, 1))
        assert rates[shanghai.pk].employer_rate == D("0.004")
        assert work_injury_rates_in_force(date(2026, 7, 1))[shanghai.pk].employer_rate == D(
            "0.005")
        assert work_injury_rates_in_force(date(2025, 12, 31)) == {}


def test_it_replaces_the_policy_default(org, shanghai):
    rate = _rate(org, shanghai, date(2026, 1, 1), "0.004")
    policy = CityPolicy.objects.get(city=shanghai, effective_from=date(2025, 7, 1))
    rules = {r.scheme: r for r in policy.scheme_rules(work_injury_rate=rate.employer_rate)}
    assert rules[social.Scheme.WORK_INJURY].employer_rate == D("0.004")
    assert rules[social.Scheme.WORK_INJURY].employee_rate == D(0)


def test_one_rate_per_city_and_start_and_above_zero(org, shanghai):
    _rate(org, shanghai, date(2026, 1, 1), "0.004")
    with pytest.raises(ValidationError) as refused:
        _rate(org, shanghai, date(2026, 1, 1), "0.005")
    assert list(refused.value.message_dict) == ["effective_from"]
    with pytest.raises(ValidationError) as refused:
        _rate(org, shanghai, date(2026, 2, 1), "0")
    assert list(refused.value.message_dict) == ["employer_rate"]


def test_another_company_may_use_the_same_start(org, other_org, shanghai):
    _rate(org, shanghai, date(2026, 1, 1), "0.004")
    assert _rate(other_org, shanghai, date(2026, 1, 1), "0.004").pk


@pytest.mark.parametrize(("role", "status"), [("hr", 201), ("owner", 201), ("finance", 403),
                                               ("staff", 403)])
def test_hr_and_administrators_keep_the_rates(org, api_as, shanghai, role, status):
    data = {"city": shanghai.pk, "effective_from": "2026-01-01", "employer_rate": "0.004"}
    response = api_as(org.users[role]).post(URL, data, format="json")
    assert response.status_code == status
    if status == 201:
        assert response.json()["employer_rate"] == "0.004"
