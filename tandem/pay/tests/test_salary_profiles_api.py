"""/api/v1/salary-profiles/: HR and finance read every profile, HR writes; an employee reads
only their own; the owner and managers read none but their own; another company's id is a
404. Bank accounts are masked in every answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay import services
from tandem.pay.models import SalaryProfile
from tandem.pay.testing import make_pay, profile_fields

URL = "/api/v1/salary-profiles/"


@pytest.fixture
def pay(org):
    org.pay = make_pay(org)
    return org


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["employee_name"] for row in response.json()["results"])


@pytest.mark.parametrize(("role", "visible"), [
    ("hr", ["peer", "staff"]), ("finance", ["peer", "staff"]),
    ("staff", ["staff"]), ("peer", ["peer"]),
    ("lead", []),   # staff's manager does not see staff's pay
    ("owner", []),  # salary data is HR's, finance's and the employee's only
])
def test_the_list_holds_what_the_role_may_read(pay, api_as, role, visible):
    assert _names(api_as(pay.users[role]).get(URL)) == visible


@pytest.mark.parametrize(("role", "status"), [
    ("hr", 200), ("finance", 200), ("staff", 200), ("lead", 403), ("peer", 403),
    ("owner", 403)])
def test_reading_staff_s_profile(pay, api_as, role, status):
    response = api_as(pay.users[role]).get(f"{URL}{pay.pay.staff_profile.pk}/")
    assert response.status_code == status


def test_another_company_s_profile_is_a_404(pay, other_org, api_as):
    theirs = make_pay(other_org).staff_profile
    response = api_as(pay.users["hr"]).get(f"{URL}{theirs.pk}/")
    assert response.status_code == 404


def test_the_bank_account_is_masked_on_read_and_never_sent(pay, api_as):
    for role in ("hr", "staff"):
        body = api_as(pay.users[role]).get(f"{URL}{pay.pay.staff_profile.pk}/").json()
        assert body["bank_account_masked"] == "************5678"
        assert "bank_account" not in body
        assert "6225880112345678" not in str(body)


def test_the_list_reads_in_a_constant_number_of_queries(pay, api_as,
                                                        django_assert_max_num_queries):
    hr = api_as(pay.users["hr"])
    hr.get(URL)  # warm up: the token's user and membership
    with CaptureQueriesContext(connection) as two:
        assert len(hr.get(URL).json()["results"]) == 2
    with scope(company=pay.company.pk):
        for _ in range(10):
            employee = make_employee(pay.company, pay.sales)
            services.create_salary_profile(company=pay.company, employee=employee,
                                           **profile_fields())
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert len(hr.get(URL).json()["results"]) == 12


def _new_profile(org) -> dict:
    return {"employee": org.employees["lead"].pk, "effective_from": "2026-07-01",
            "base_monthly_wage": "30000.00", "city": org.pay.shanghai.pk,
            "insurance_base": "40000.00", "housing_fund_rate": "0.07",
            "bank_name": "工商银行", "bank_account": "6222 0212 3456 7890",
            "items": [{"kind": "allowance", "name": "交通补贴", "amount": "300.00",
                       "taxable": True}]}


def test_hr_creates_a_profile_and_hears_the_warnings(pay, api_as):
    response = api_as(pay.users["hr"]).post(URL, _new_profile(pay), format="json",
                                             HTTP_COOKIE="tandem_language=en")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["bank_account_masked"] == "************7890"
    assert body["base_monthly_wage"] == "30000.00"
    assert body["items"] == [{"kind": "allowance", "name": "交通补贴", "amount": "300.00",
                              "taxable": True}]
    assert body["warnings"] == [
        "The social insurance base 40000.00 is outside the city's band 7546.00 – 37731.00; "
        "contributions will use the nearest bound.",
        "The housing fund base 40000.00 is outside the city's band 2740.00 – 37731.00; "
        "contributions will use the nearest bound."]
    with scope(company=pay.company.pk):
        assert SalaryProfile.objects.get(pk=body["id"]).bank_account == "6222021234567890"


@pytest.mark.parametrize("role", ["finance", "staff", "lead", "owner"])
def test_only_hr_writes(pay, api_as, role):
    client = api_as(pay.users[role])
    assert client.post(URL, _new_profile(pay), format="json").status_code == 403
    detail = f"{URL}{pay.pay.staff_profile.pk}/"
    assert client.patch(detail, {"note": "x", "version": 1}, format="json").status_code == 403


def test_field_errors_in_the_house_format(pay, api_as):
    data = {**_new_profile(pay), "housing_fund_rate": "0.09", "salary": "1"}
    response = api_as(pay.users["hr"]).post(URL, data, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"salary"}  # unknown fields first
    del data["salary"]
    response = api_as(pay.users["hr"]).post(URL, data, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"housing_fund_rate"}


def test_patch_replaces_items_and_needs_the_version(pay, api_as):
    hr = api_as(pay.users["hr"])
    detail = f"{URL}{pay.pay.staff_profile.pk}/"
    assert hr.patch(detail, {"note": "x"}, format="json").status_code == 400
    response = hr.patch(detail, {"version": 1, "items": []}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["items"] == []
    assert response.json()["version"] == 2
    assert hr.patch(detail, {"version": 1, "note": "late"}, format="json").status_code == 409


def test_the_profile_in_force_filter(pay, api_as):
    hr = api_as(pay.users["hr"])
    assert _names(hr.get(URL, {"on": "2025-12-31"})) == []
    assert _names(hr.get(URL, {"on": "2026-01-01"})) == ["peer", "staff"]


@pytest.mark.parametrize(("role", "status"), [
    ("hr", 200), ("finance", 200), ("staff", 200), ("lead", 403), ("peer", 403),
    ("owner", 403)])
def test_the_history_is_as_private_as_the_profile(pay, api_as, role, status):
    response = api_as(pay.users[role]).get(f"{URL}{pay.pay.staff_profile.pk}/history/")
    assert response.status_code == status


def test_the_history_names_the_change_but_never_the_account(pay, api_as):
    hr = api_as(pay.users["hr"])
    detail = f"{URL}{pay.pay.staff_profile.pk}/"
    response = hr.patch(detail, {"version": 1, "base_monthly_wage": "21000.00",
                                 "bank_account": "6222021234567890"}, format="json")
    assert response.status_code == 200, response.content
    history = api_as(pay.users["staff"]).get(f"{detail}history/",
                                              HTTP_COOKIE="tandem_language=en").json()
    newest = history["results"][0]
    assert (newest["who"], newest["kind"]) == ("hr", "~")
    assert newest["changes"] == [{"label": "base monthly wage", "old": "20,000.00",
                                  "new": "21,000.00"}]
    assert [entry["kind"] for entry in history["results"]] == ["~", "+"]
    assert "6222021234567890" not in str(history) and "5678" not in str(history)
