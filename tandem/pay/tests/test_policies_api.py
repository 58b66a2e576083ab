"""/api/v1/city-policies/: reference data every member reads, with the scheme rates, money as
two-decimal strings and rates as fractions; `on` picks the policies in force on a date."""

import pytest

from tandem.core.access_table import ROLES

URL = "/api/v1/city-policies/"


@pytest.mark.parametrize("role", ROLES)
def test_every_member_reads_the_policies(org, api_as, role):
    response = api_as(org.users[role]).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_a_visitor_is_refused(client, db):
    assert client.get(URL).status_code == 401


def test_the_policy_in_force_in_shanghai(org, api_as):
    response = api_as(org.users["staff"]).get(URL, {"on": "2026-06-30"})
    policies = {p["city_code"]: p for p in response.json()["results"]}
    assert set(policies) == {"shanghai", "beijing"}
    shanghai = policies["shanghai"]
    assert (shanghai["effective_from"], shanghai["effective_to"]) == ("2025-07-01", "2026-06-30")
    assert (shanghai["insurance_base_floor"], shanghai["insurance_base_ceiling"]) == (
        "7460.00", "37302.00")
    assert (shanghai["housing_fund_rate_min"], shanghai["housing_fund_rate_max"]) == (
        "0.05", "0.07")
    assert shanghai["housing_fund_rounding"] == "half_up_yuan"
    pension = next(s for s in shanghai["schemes"] if s["scheme"] == "pension")
    assert (pension["employee_rate"], pension["employer_rate"]) == ("0.08", "0.16")


def test_filter_by_city_and_refuse_a_bad_date(org, api_as):
    client = api_as(org.users["staff"])
    shanghai = client.get(URL, {"on": "2026-07-01"}).json()["results"]
    city = next(p["city"] for p in shanghai if p["city_code"] == "shanghai")
    found = client.get(URL, {"city": city}).json()["results"]
    assert [p["effective_from"] for p in found] == ["2026-07-01", "2025-07-01"]
    assert client.get(URL, {"on": "2026-13-01"}).status_code == 400


def test_the_list_reads_in_a_fixed_number_of_queries(org, api_as, django_assert_max_num_queries):
    client = api_as(org.users["staff"])
    client.get(URL)
    with django_assert_max_num_queries(8):
        client.get(URL)
