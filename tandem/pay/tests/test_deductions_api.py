"""/api/v1/deduction-declarations/: as private as pay; HR enters them, with field errors."""

import pytest

from tandem.pay.testing import make_pay

URL = "/api/v1/deduction-declarations/"


@pytest.fixture
def pay(org):
    org.pay = make_pay(org)
    return org


@pytest.mark.parametrize(("role", "visible"), [
    ("hr", 2), ("finance", 2), ("peer", 1), ("lead", 0), ("owner", 0)])
def test_the_list_holds_what_the_role_may_read(pay, api_as, role, visible):
    assert api_as(pay.users[role]).get(URL).json()["count"] == visible


@pytest.mark.parametrize(("role", "status"), [("staff", 200), ("lead", 403), ("peer", 403)])
def test_reading_staff_s_declaration(pay, api_as, role, status):
    response = api_as(pay.users[role]).get(f"{URL}{pay.pay.staff_declaration.pk}/")
    assert response.status_code == status


def test_serious_illness_is_a_field_error(pay, api_as):
    data = {"employee": pay.employees["lead"].pk, "category": "serious_illness",
            "from_month": "2026-01-01"}
    response = api_as(pay.users["hr"]).post(URL, data, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category"}


def test_hr_declares_rent(pay, api_as):
    data = {"employee": pay.employees["lead"].pk, "category": "housing_rent",
            "variant": "tier-1", "from_month": "2026-01-01", "to_month": "2026-12-01"}
    response = api_as(pay.users["hr"]).post(URL, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["share"] == "1"
    loan = {**data, "category": "housing_loan_interest", "variant": ""}
    refused = api_as(pay.users["hr"]).post(URL, loan, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"category"}
