"""Dates outside a sane range (a typo like 0024 or 2204) are refused with a message that says
the range, in the services, the API and the pages, in English and Chinese."""

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scope

from tandem.org import services
from tandem.org.models import Employee, JobHistory

TODAY = date(2026, 11, 20)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk):
        yield org


HIRE = {"employee_number": "N1", "name": "新人", "hire_date": date(2026, 1, 5)}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("hire_date", date(1949, 12, 31), "Enter a date on or after 1950-01-01."),
    ("hire_date", date(2027, 11, 21), "Enter a date on or before 2027-11-20."),
    ("birth_date", date(1899, 12, 31), "Enter a date on or after 1900-01-01."),
    ("probation_end_date", date(2028, 11, 21), "Enter a date on or before 2028-11-20."),
])
def test_the_services_refuse_dates_out_of_range(scoped, field, value, message):
    fields = HIRE | {field: value}
    with translation.override("en"):  # outside a request the active language is zh-hans
        with pytest.raises(ValidationError) as refusal:
            services.create_employee(company=scoped.company, department=scoped.sales, **fields)
        assert refusal.value.message_dict[field] == [message]
    assert not Employee.objects.filter(employee_number="N1").exists()


def test_the_edges_of_the_range_are_accepted(scoped):
    hired = services.create_employee(company=scoped.company, department=scoped.sales,
                                     **HIRE | {"hire_date": date(2027, 11, 20),
                                               "birth_date": date(1900, 1, 1)})
    assert hired.hire_date == date(2027, 11, 20)


@pytest.mark.parametrize(("value", "message"), [
    (date(2028, 1, 1), "Enter a date on or before 2027-11-20."),
])
def test_a_job_change_far_in_the_future_is_refused_and_writes_nothing(scoped, value, message):
    staff = Employee.objects.get(pk=scoped.employees["staff"].pk)
    with translation.override("en"):  # the service words the message when it refuses
        with pytest.raises(ValidationError) as refusal:
            services.update_employee(employee=staff, department=scoped.sales,
                                     effective_date=value)
        assert refusal.value.message_dict == {"effective_date": [message]}
    fresh = Employee.objects.get(pk=staff.pk)
    assert (fresh.department, fresh.version) == (scoped.platform, 1)
    assert not JobHistory.objects.filter(employee=staff).exists()


@pytest.fixture
def api(org, api_as):
    client = api_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(("body", "errors"), [
    ({"hire_date": "0024-03-01"}, {"hire_date": ["Enter a date on or after 1950-01-01."]}),
    ({"hire_date": "9999-12-31"}, {"hire_date": ["Enter a date on or before 2027-11-20."]}),
    ({"birth_date": "1066-10-14"}, {"birth_date": ["Enter a date on or after 1900-01-01."]}),
    ({"leave_date": "3024-01-01", "status": "left"},
     {"leave_date": ["Enter a date on or before 2027-11-20."]}),
])
def test_the_api_refuses_them_on_create_and_update(org, api, body, errors):
    created = api.post("/api/v1/employees/", {
        "employee_number": "N1", "name": "新人", "department": org.sales.pk,
        "hire_date": "2026-01-05", **body,
    }, format="json")
    updated = api.patch(f"/api/v1/employees/{org.employees['peer'].pk}/", {**body, "version": 1},
                        format="json")
    assert (created.status_code, updated.status_code) == (400, 400)
    assert created.json()["errors"] == errors
    assert updated.json()["errors"] == errors
    with scope(company=org.company.pk):
        assert not Employee.objects.filter(employee_number="N1").exists()
        assert Employee.objects.get(pk=org.employees["peer"].pk).version == 1


def test_the_api_refuses_an_effective_date_out_of_range(org, api):
    response = api.patch(f"/api/v1/employees/{org.employees['peer'].pk}/", {
        "department": org.rnd.pk, "effective_date": "2999-01-01", "version": 1,
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "effective_date": ["Enter a date on or before 2027-11-20."]
    }


def test_the_message_speaks_chinese(org, api_as):
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = api.patch(f"/api/v1/employees/{org.employees['peer'].pk}/",
                         {"hire_date": "1900-01-01", "version": 1}, format="json")
    assert response.json()["errors"] == {"hire_date": ["请输入 1950-01-01 或之后的日期。"]}


def test_the_page_form_shows_them_on_the_fields(org, client_as):
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/people/employees/new/", {
        "employee_number": "N1", "name": "新人", "gender": "unspecified",
        "department": org.sales.pk, "employment_type": "full_time", "status": "active",
        "hire_date": "0202-06-01", "birth_date": "1800-01-01",
    })
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    errors = response.context["form"].errors
    with translation.override(response.headers["Content-Language"]):
        assert [str(m) for m in errors["hire_date"]] == ["Enter a date on or after 1950-01-01."]
        assert [str(m) for m in errors["birth_date"]] == ["Enter a date on or after 1900-01-01."]
    with scope(company=org.company.pk):
        assert not Employee.objects.filter(employee_number="N1").exists()
