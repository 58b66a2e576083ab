"""The dashboard's figures: head count (not left), by department rolled up the tree, joiners
and leavers of the current month in Shanghai time, in a constant number of queries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.testing import make_department, make_employee
from tandem.org.models import EmployeeStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def march(org):
    """Besides the six people of `org` (hired 2024): two joiners in March 2026, one hired in
    February and one starting in April, a leaver in March and one in February."""
    make_employee(org.company, org.rnd, name="三月一", hire_date=date(2026, 3, 1),
                  status=EmployeeStatus.PROBATION)
    make_employee(org.company, org.sales, name="三月底", hire_date=date(2026, 3, 31))
    make_employee(org.company, org.sales, name="二月", hire_date=date(2026, 2, 28))
    make_employee(org.company, org.platform, name="四月", hire_date=date(2026, 4, 1))
    make_employee(org.company, org.platform, name="三月走", hire_date=date(2025, 1, 6),
                  status=EmployeeStatus.LEFT, leave_date=date(2026, 3, 10))
    make_employee(org.company, org.sales, name="二月走", hire_date=date(2025, 1, 6),
                  status=EmployeeStatus.LEFT, leave_date=date(2026, 2, 27))
    return org


def dashboard(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_figures_of_the_month(march, client_as):
    with time_machine.travel(datetime(2026, 3, 15, 10, tzinfo=SHANGHAI), tick=False):
        response = dashboard(client_as(march.users["staff"]))

    assert response.context["figures"] == {
        "headcount": 10, "on_probation": 1, "joiners": 2, "leavers": 1,
    }
    html = response.content.decode()
    assert '<span class="td-stat-value" data-figure="headcount">10</span>' in html
    assert '<span class="td-stat-value" data-figure="joiners">2</span>' in html
    assert '<span class="td-stat-value" data-figure="leavers">1</span>' in html


def test_the_month_is_the_one_in_shanghai(march, client_as):
    # 2026-03-31 17:00 UTC is already 1 April in Shanghai: only the April starter joins.
    with time_machine.travel(datetime(2026, 3, 31, 17, tzinfo=ZoneInfo("UTC")), tick=False):
        response = dashboard(client_as(march.users["staff"]))

    assert response.context["figures"]["joiners"] == 1
    assert response.context["figures"]["leavers"] == 0
    assert response.context["month"] == date(2026, 4, 1)


def test_head_count_by_department_is_rolled_up_the_tree(march, client_as):
    with time_machine.travel(datetime(2026, 3, 15, 10, tzinfo=SHANGHAI), tick=False):
        response = dashboard(client_as(march.users["staff"]))

    rows = [(n.department.name, n.depth, n.total_headcount) for n in response.context["departments"]]
    # 研发部: lead and the March joiner, plus 平台组: staff and the April starter (the leaver
    # is not counted); 销售部: owner, hr, finance, peer and two joiners.
    assert rows == [("研发部", 0, 4), ("平台组", 1, 2), ("销售部", 0, 6)]
    html = response.content.decode()
    # 4 of 10 people: a bar 40 % wide, drawn with a class (no inline style).
    assert f'<li data-department="{march.rnd.pk}">' in html
    assert '<span class="td-w-40"></span>' in html
    assert '<span class="td-w-60"></span>' in html


def test_constant_number_of_queries(org, client_as):
    client = client_as(org.users["hr"])
    departments = [make_department(org.company, f"部门{i}", parent=org.rnd) for i in range(3)]
    for i in range(5):
        make_employee(org.company, departments[i % 3])
    with CaptureQueriesContext(connection) as few:
        dashboard(client)
    more = [make_department(org.company, f"小组{i}", parent=departments[0]) for i in range(10)]
    for i in range(30):
        make_employee(org.company, more[i % 10])
    with CaptureQueriesContext(connection) as many:
        dashboard(client)

    assert len(many) == len(few)
