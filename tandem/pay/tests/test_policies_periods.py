"""A city's policy periods never overlap, and a period never ends before it starts: tried
through the service (which the API and commands use), the model's validation (which the
admin runs) and the database."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tandem.pay import services_reference
from tandem.pay.models import City, CityPolicy

pytestmark = pytest.mark.django_db

BANDS = {
    "insurance_base_floor": D("7000"), "insurance_base_ceiling": D("35000"),
    "housing_fund_base_floor": D("2500"), "housing_fund_base_ceiling": D("35000"),
    "housing_fund_rate_min": D("0.05"), "housing_fund_rate_max": D("0.12"),
}
SCHEMES = [{"scheme": "pension", "employee_rate": D("0.08"), "employer_rate": D("0.16")}]


def _create(city, start, end=None, **extra):
    return services_reference.create_city_policy(city=city, effective_from=start, effective_to=end,
                                       schemes=SCHEMES, **{**BANDS, **extra})


@pytest.fixture
def shanghai():
    return City.objects.get(code="shanghai")


@pytest.mark.parametrize(("start", "end"), [
    (date(2026, 1, 1), date(2026, 3, 31)),   # inside the closed 2025 period
    (date(2025, 1, 1), date(2025, 7, 1)),    # ends on its first day
    (date(2026, 6, 30), date(2026, 6, 30)),  # the last day of one, the first of none
    (date(2027, 1, 1), None),                # inside the open-ended 2026 period
    (date(2024, 1, 1), None),                # open-ended across both
])
def test_an_overlapping_period_is_refused(shanghai, start, end):
    with pytest.raises(ValidationError) as refused:
        _create(shanghai, start, end)
    assert "effective_from" in refused.value.message_dict
    assert CityPolicy.objects.filter(city=shanghai).count() == 2


def test_a_period_just_before_the_first_one_is_accepted(shanghai):
    policy = _create(shanghai, date(2024, 7, 1), date(2025, 6, 30))
    assert policy.scheme_rates.get().scheme == "pension"


def test_ending_the_open_period_then_adding_the_next(shanghai):
    current = CityPolicy.objects.get(city=shanghai, effective_from=date(2026, 7, 1))
    current.effective_to = date(2027, 6, 30)
    current.full_clean()
    current.save()
    assert _create(shanghai, date(2027, 7, 1)).effective_to is None


def test_another_city_is_not_a_clash():
    city = City.objects.create(code="shenzhen", name="深圳", name_en="Shenzhen")
    assert _create(city, date(2025, 7, 1)).city == city


def test_an_end_before_the_start_is_refused_by_validation_and_the_database(shanghai):
    with pytest.raises(ValidationError) as refused:
        _create(shanghai, date(2024, 7, 1), date(2024, 6, 30))
    assert "effective_to" in refused.value.message_dict
    policy = CityPolicy.objects.get(city=shanghai, effective_from=date(2025, 7, 1))
    policy.effective_to = date(2025, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        policy.save()


def test_a_ceiling_below_the_floor_is_refused(shanghai):
    with pytest.raises(ValidationError) as refused:
        _create(shanghai, date(2024, 7, 1), date(2025, 6, 30),
                insurance_base_ceiling=D("6000"))
    assert set(refused.value.message_dict) == {"insurance_base_ceiling"}


def test_half_a_supplementary_band_is_refused(shanghai):
    with pytest.raises(ValidationError) as refused:
        _create(shanghai, date(2024, 7, 1), date(2025, 6, 30),
                supplementary_rate_min=D("0.01"))
    assert set(refused.value.message_dict) == {"supplementary_rate_max"}


def test_a_rate_above_one_is_refused(shanghai):
    with pytest.raises(ValidationError) as refused:
        _create(shanghai, date(2024, 7, 1), date(2025, 6, 30), housing_fund_rate_max=D("7"))
    assert "housing_fund_rate_max" in refused.value.message_dict
