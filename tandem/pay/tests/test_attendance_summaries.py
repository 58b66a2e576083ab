"""Monthly attendance summaries: one per employee and month, on the month's first day, within
the employment; overtime above Labour Law art. 41's 36 hours is accepted with a warning; the
API keeps them as private as pay."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django_scopes import scope

from tandem.pay import services
from tandem.pay.models import AttendanceSummary
from tandem.pay.selectors import attendance_for_month
from tandem.pay.testing import make_pay

URL = "/api/v1/attendance-summaries/"


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk), translation.override("en"):
        yield org


def _enter(org, key="staff", month=date(2026, 9, 1), **fields):
    fields.setdefault("paid_days", D("21.75"))
    return services.create_attendance_summary(company=org.company, employee=org.employees[key],
                                              month=month, **fields)


def _refused(org, **fields) -> dict:
    with pytest.raises(ValidationError) as refused:
        _enter(org, **fields)
    return refused.value.message_dict


def test_one_summary_per_employee_and_month(scoped):
    _enter(scoped)
    assert list(_refused(scoped)) == ["month"]
    assert _enter(scoped, key="peer").pk
    assert _enter(scoped, month=date(2026, 10, 1)).pk


def test_the_database_keeps_one_per_month_and_first_days(scoped):
    _enter(scoped)
    employee = scoped.employees["staff"]
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceSummary.objects.create(company=scoped.company, employee=employee,
                                         month=date(2026, 9, 1), paid_days=D(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceSummary.objects.create(company=scoped.company, employee=employee,
                                         month=date(2026, 11, 2), paid_days=D(1))


def test_the_month_is_its_first_day(scoped):
    assert _refused(scoped, month=date(2026, 9, 15)) == {
        "month": ["Give the first day of the month."]}


def test_not_before_the_hire_month(scoped):
    assert list(_refused(scoped, month=date(2024, 2, 1))) == ["month"]


def test_absence_cannot_exceed_the_month(scoped):
    errors = _refused(scoped, month=date(2026, 2, 1), absence_days=D(20),
                      unpaid_leave_days=D(9))
    assert errors == {"unpaid_leave_days": [
        "Absence and unpaid leave add up to more than the 28 days of the month."]}


@pytest.mark.parametrize("field", ["paid_days", "overtime_holiday_hours"])
def test_negative_figures_are_refused(scoped, field):
    assert list(_refused(scoped, **{field: D(-1)})) == [field]


def test_overtime_over_36_hours_is_a_warning_not_an_error(scoped):
    summary = _enter(scoped, overtime_workday_hours=D(20), overtime_rest_day_hours=D(16),
                     overtime_holiday_hours=D(1))
    assert services.attendance_warnings(summary) == [
        "37 hours of overtime is more than the 36 hours a month the Labour Law allows "
        "(art. 41)."]
    assert services.attendance_warnings(_enter(scoped, key="peer",
                                               overtime_workday_hours=D(36))) == []


def test_the_month_s_summaries_in_one_query(scoped, django_assert_num_queries):
    _enter(scoped)
    _enter(scoped, key="peer")
    _enter(scoped, month=date(2026, 10, 1))
    with django_assert_num_queries(1):
        found = {s.employee.name for s in attendance_for_month(date(2026, 9, 1))
                 .select_related("employee")}
    assert found == {"staff", "peer"}


@pytest.fixture
def pay(org):
    org.pay = make_pay(org)
    return org


@pytest.mark.parametrize(("role", "visible"), [
    ("hr", 2), ("finance", 2), ("staff", 1), ("lead", 0), ("owner", 0)])
def test_the_api_list_holds_what_the_role_may_read(pay, api_as, role, visible):
    response = api_as(pay.users[role]).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == visible


def test_hr_enters_a_month_through_the_api(pay, api_as):
    data = {"employee": pay.employees["lead"].pk, "month": "2026-10-01", "paid_days": "20.00",
            "unpaid_leave_days": "1.75", "overtime_rest_day_hours": "40.00"}
    response = api_as(pay.users["hr"]).post(URL, data, format="json",
                                             HTTP_COOKIE="tandem_language=en")
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == [
        "40.00 hours of overtime is more than the 36 hours a month the Labour Law allows "
        "(art. 41)."]
    again = api_as(pay.users["hr"]).post(URL, data, format="json")
    assert again.status_code == 400
    assert set(again.json()["errors"]) == {"month"}


def test_the_month_cannot_change_by_update(pay, api_as):
    detail = f"{URL}{pay.pay.staff_attendance.pk}/"
    response = api_as(pay.users["hr"]).patch(detail, {"version": 1, "month": "2026-11-01"},
                                              format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"month"}
