"""The salary profile in force on a date, for any number of employees, in a constant number
of queries (payroll reads 10,000 people at once)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay import services
from tandem.pay.selectors import salary_profiles_in_force
from tandem.pay.testing import profile_fields


def _profile(org, employee, start, wage):
    return services.create_salary_profile(
        company=org.company, employee=employee,
        **profile_fields(effective_from=start, base_monthly_wage=D(wage)))


@pytest.fixture
def history(org):
    """staff: 20,000 from January, 22,000 from July 2026; peer: 15,000 from March."""
    with scope(company=org.company.pk):
        _profile(org, org.employees["staff"], date(2026, 1, 1), "20000")
        _profile(org, org.employees["staff"], date(2026, 7, 1), "22000")
        _profile(org, org.employees["peer"], date(2026, 3, 1), "15000")
    return org


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 12, 31), {}),
    (date(2026, 1, 1), {"staff": D("20000")}),
    (date(2026, 3, 1), {"staff": D("20000"), "peer": D("15000")}),
    (date(2026, 6, 30), {"staff": D("20000"), "peer": D("15000")}),
    (date(2026, 7, 1), {"staff": D("22000"), "peer": D("15000")}),
])
def test_the_latest_profile_started_on_or_before_the_day(history, day, expected):
    with scope(company=history.company.pk):
        found = {p.employee.name: p.base_monthly_wage for p in salary_profiles_in_force(day)}
    assert found == expected


def test_limited_to_some_employees(history):
    with scope(company=history.company.pk):
        found = list(salary_profiles_in_force(date(2026, 8, 1), [history.employees["peer"]]))
    assert [p.employee.name for p in found] == ["peer"]


def test_another_company_s_profiles_are_not_read(history, other_org):
    with scope(company=other_org.company.pk):
        _profile(other_org, other_org.employees["staff"], date(2026, 1, 1), "9000")
        assert [p.base_monthly_wage for p in salary_profiles_in_force(date(2026, 8, 1))] == [
            D("9000")]


@pytest.mark.parametrize("extra", [0, 30])
def test_a_constant_number_of_queries_whatever_the_head_count(
        history, extra, django_assert_num_queries):
    with scope(company=history.company.pk):
        for _ in range(extra):
            employee = make_employee(history.company, history.sales)
            _profile(history, employee, date(2026, 1, 1), "10000")
            _profile(history, employee, date(2026, 5, 1), "11000")
        with django_assert_num_queries(2):  # profiles with employee and city; their items
            profiles = list(salary_profiles_in_force(date(2026, 8, 1)))
            items = [item.name for p in profiles for item in p.items.all()]
            cities = {p.city.code for p in profiles}
    assert len(profiles) == 2 + extra
    assert items == ["餐补"] * (2 + extra)
    assert cities == {"shanghai"}
    wages = {D("22000"), D("15000")} | ({D("11000")} if extra else set())
    assert {p.base_monthly_wage for p in profiles} == wages
