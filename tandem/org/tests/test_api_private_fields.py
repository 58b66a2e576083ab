"""Private employee fields (identity number, birth date, home address, emergency contact):
present for HR, finance, administrators and the person themself; written by HR and admins."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.org.models import PRIVATE_FIELDS, Employee

ROLES = ("owner", "hr", "finance", "lead", "staff", "peer")


@pytest.fixture
def staff_private(org):
    with scope(company=org.company.pk):
        Employee.objects.filter(pk=org.employees["staff"].pk).update(
            id_number="11010519491231002X", home_address="北京市朝阳区",
        )
    return org.employees["staff"]


@pytest.mark.parametrize(
    ("role", "sees"),
    [("owner", True), ("hr", True), ("finance", True), ("staff", True), ("lead", False),
     ("peer", False)],
)
def test_who_sees_private_fields_on_a_record(org, api_as, staff_private, role, sees):
    body = api_as(org.users[role]).get(f"/api/v1/employees/{staff_private.pk}/").json()
    if sees:
        assert (body["id_number"], body["home_address"]) == ("11010519491231002X", "北京市朝阳区")
        assert set(PRIVATE_FIELDS) <= set(body)
    else:
        assert not set(PRIVATE_FIELDS) & set(body)
        assert body["name"] == "staff"


def test_in_the_list_an_employee_sees_only_their_own(org, api_as, staff_private):
    rows = api_as(org.users["staff"]).get("/api/v1/employees/").json()["results"]
    with_private = [row["id"] for row in rows if "id_number" in row]
    assert with_private == [staff_private.pk]
    assert len(rows) == 6


def test_in_the_list_finance_sees_everyones(org, api_as):
    rows = api_as(org.users["finance"]).get("/api/v1/employees/").json()["results"]
    assert all(set(PRIVATE_FIELDS) <= set(row) for row in rows)


def test_hr_writes_private_fields(org, api_as, staff_private):
    response = api_as(org.users["hr"]).patch(
        f"/api/v1/employees/{staff_private.pk}/",
        {"emergency_contact_name": "林母", "emergency_contact_phone": "13900001111", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    with scope(company=org.company.pk):
        saved = Employee.objects.get(pk=staff_private.pk)
    assert (saved.emergency_contact_name, saved.emergency_contact_phone) == ("林母", "13900001111")


@pytest.mark.parametrize("role", ["finance", "staff", "lead", "peer"])
def test_nobody_else_writes_them(org, api_as, staff_private, role):
    api = api_as(org.users[role])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.patch(
        f"/api/v1/employees/{staff_private.pk}/", {"home_address": "上海", "version": 1}, format="json"
    )
    assert response.status_code == 403
    if role == "lead":  # may edit staff's job, so the refusal names the field
        assert response.json()["errors"] == {
            "home_address": ["Only HR and administrators can change private fields."]
        }
    with scope(company=org.company.pk):
        assert Employee.objects.get(pk=staff_private.pk).home_address == "北京市朝阳区"


def test_an_invalid_identity_number_is_a_400(org, api_as, staff_private):
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.patch(
        f"/api/v1/employees/{staff_private.pk}/", {"id_number": "110105194912310021", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "id_number": ["The check character of this identity number is wrong."]
    }
