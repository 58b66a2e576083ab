"""The reference data the migrations seed: the figures of china-payroll-labour.md §3.2, and the
policies as `pay.social.SchemeRule`s."""

from datetime import date
from decimal import Decimal as D

import pytest

from tandem.pay import social
from tandem.pay.models import City, CityPolicy, Confidence, MinimumWage, Rounding
from tandem.pay.selectors import minimum_wages_in_force, policies_in_force, policy_in_force

pytestmark = pytest.mark.django_db


def _policy(code: str, start: date) -> CityPolicy:
    return CityPolicy.objects.get(city__code=code, effective_from=start)


def test_shanghai_2025_has_the_reference_figures():
    policy = _policy("shanghai", date(2025, 7, 1))
    assert policy.effective_to == date(2026, 6, 30)
    assert (policy.insurance_base_floor, policy.insurance_base_ceiling) == (D("7460"), D("37302"))
    assert (policy.housing_fund_base_floor, policy.housing_fund_base_ceiling) == (
        D("2690"), D("37302"))
    assert (policy.housing_fund_rate_min, policy.housing_fund_rate_max) == (D("0.05"), D("0.07"))
    assert (policy.supplementary_rate_min, policy.supplementary_rate_max) == (
        D("0.01"), D("0.05"))
    assert policy.average_monthly_wage == D("12434")
    assert policy.housing_fund_rounding == Rounding.HALF_UP_YUAN
    assert policy.confidence == Confidence.GOOD
    rates = {r.scheme: (r.employee_rate, r.employer_rate) for r in policy.scheme_rates.all()}
    assert rates == {"pension": (D("0.08"), D("0.16")), "medical": (D("0.02"), D("0.09")),
                     "unemployment": (D("0.005"), D("0.005")),
                     "work_injury": (D("0"), D("0.002"))}


def test_shanghai_from_july_2026_is_open_ended_and_medium_confidence():
    policy = _policy("shanghai", date(2026, 7, 1))
    assert policy.effective_to is None
    assert (policy.insurance_base_floor, policy.insurance_base_ceiling) == (D("7546"), D("37731"))
    assert (policy.housing_fund_base_floor, policy.housing_fund_base_ceiling) == (
        D("2740"), D("37731"))
    assert policy.confidence == Confidence.MEDIUM
    assert "t0035_1443203" in policy.source


def test_beijing_from_july_2025_with_the_serious_illness_fixed_amount():
    policy = _policy("beijing", date(2025, 7, 1))
    assert policy.effective_to is None
    assert (policy.insurance_base_floor, policy.insurance_base_ceiling) == (D("7162"), D("35811"))
    assert (policy.housing_fund_rate_min, policy.housing_fund_rate_max) == (D("0.05"), D("0.12"))
    assert policy.supplementary_rate_min is None
    medical = policy.scheme_rates.get(scheme="medical")
    assert (medical.employee_rate, medical.employer_rate, medical.employee_fixed) == (
        D("0.02"), D("0.098"), D("3"))
    assert "UNVERIFIED" in policy.source


def test_minimum_wages():
    wages = {(w.city.code, w.effective_from): w.monthly_amount
             for w in MinimumWage.objects.select_related("city")}
    assert wages == {("shanghai", date(2025, 7, 1)): D("2740"),
                     ("beijing", date(2025, 9, 1)): D("2540")}
    beijing = City.objects.get(code="beijing")
    assert beijing.pk not in minimum_wages_in_force(date(2025, 8, 31))
    assert minimum_wages_in_force(date(2025, 9, 1))[beijing.pk].monthly_amount == D("2540")


@pytest.mark.parametrize(("day", "floor"), [
    (date(2025, 7, 1), D("7460")), (date(2026, 6, 30), D("7460")),
    (date(2026, 7, 1), D("7546")), (date(2030, 1, 1), D("7546")),
])
def test_the_policy_in_force_changes_on_1_july(day, floor):
    shanghai = City.objects.get(code="shanghai")
    assert policy_in_force(shanghai, day).insurance_base_floor == floor


def test_no_policy_before_the_first_period():
    shanghai = City.objects.get(code="shanghai")
    assert policy_in_force(shanghai, date(2025, 6, 30)) is None


def test_policies_of_every_city_in_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        policies = policies_in_force(date(2026, 8, 1))
        rules = {city: policy.scheme_rules() for city, policy in policies.items()}
    assert len(rules) == 2


def test_scheme_rules_convert_the_policy():
    policy = _policy("beijing", date(2025, 7, 1))
    rules = {rule.scheme: rule for rule in policy.scheme_rules(housing_fund_rate=D("0.12"))}
    assert set(rules) == {social.Scheme.PENSION, social.Scheme.MEDICAL,
                          social.Scheme.UNEMPLOYMENT, social.Scheme.WORK_INJURY,
                          social.Scheme.HOUSING_FUND}
    assert rules[social.Scheme.MEDICAL] == social.SchemeRule(
        scheme=social.Scheme.MEDICAL, employee_rate=D("0.02"), employer_rate=D("0.098"),
        base_floor=D("7162"), base_ceiling=D("35811"), employee_fixed=D("3"),
        employer_fixed=D("0"), rounding=social.Rounding.HALF_UP_FEN)
    assert rules[social.Scheme.HOUSING_FUND] == social.SchemeRule(
        scheme=social.Scheme.HOUSING_FUND, employee_rate=D("0.12"), employer_rate=D("0.12"),
        base_floor=D("2540"), base_ceiling=D("35811"), rounding=social.Rounding.HALF_UP_FEN)


def test_the_company_work_injury_rate_replaces_the_default_and_supplementary_is_added():
    policy = _policy("shanghai", date(2026, 7, 1))
    rules = {rule.scheme: rule for rule in policy.scheme_rules(
        work_injury_rate=D("0.004"), supplementary_rate=D("0.03"))}
    assert rules[social.Scheme.WORK_INJURY].employer_rate == D("0.004")
    assert rules[social.Scheme.HOUSING_FUND].employee_rate == D("0.05")  # the band's minimum
    extra = rules[social.Scheme.SUPPLEMENTARY_HOUSING_FUND]
    assert (extra.employee_rate, extra.rounding) == (D("0.03"), social.Rounding.HALF_UP_YUAN)


def test_the_rules_compute_a_shanghai_month():
    """20,000 in Shanghai from July 2026, housing fund 7 %: pension 1,600, medical 400,
    unemployment 100, housing fund 1,400 (employee side)."""
    policy = _policy("shanghai", date(2026, 7, 1))
    result = {c.scheme: c.employee_amount for c in social.contributions(
        base=D("20000"), rules=policy.scheme_rules(housing_fund_rate=D("0.07")))}
    assert result == {social.Scheme.PENSION: D("1600.00"), social.Scheme.MEDICAL: D("400.00"),
                      social.Scheme.UNEMPLOYMENT: D("100.00"),
                      social.Scheme.WORK_INJURY: D("0.00"),
                      social.Scheme.HOUSING_FUND: D("1400.00")}


def test_seeding_again_changes_nothing_and_writes_no_history():
    from django.core.management import call_command

    from tandem.pay.models import DeductionStandard, HolidayDay, SchemeRate

    models = (City, CityPolicy, SchemeRate, MinimumWage, DeductionStandard, HolidayDay)
    before = {m: list(m.objects.order_by("pk").values_list()) for m in models}
    call_command("seed_pay_reference", verbosity=0)
    assert {m: list(m.objects.order_by("pk").values_list()) for m in models} == before
    assert not CityPolicy.history.exists()
    assert not HolidayDay.history.exists()
