"""The employee list: search, filters (department with its sub-departments, status, position),
25 a page, htmx-updated results with a full-page fallback, constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.testing import make_department, make_employee
from tandem.org.models import Employee, EmployeeStatus
from tandem.org.services import create_position


def names(response) -> list[str]:
    return [e.name for e in response.context["page_obj"].object_list]


@pytest.fixture
def people(org):
    with scope(company=org.company.pk):
        engineer = create_position(company=org.company, title="工程师", department=org.platform)
    make_employee(org.company, org.platform, name="王小明", english_name="Ming Wang",
                  email="ming@galaxy.example", phone="13800000001", position=engineer,
                  status=EmployeeStatus.PROBATION)
    lei = make_employee(org.company, org.sales, name="李雷", english_name="Lei Li",
                        email="lei@galaxy.example", phone="13900000002")
    with scope(company=org.company.pk):
        Employee.objects.filter(pk=lei.pk).update(employee_number="S-777")
    make_employee(org.company, org.sales, name="韩梅梅", status=EmployeeStatus.LEFT,
                  hire_date=date(2023, 1, 1), leave_date=date(2025, 6, 30))
    return engineer


def test_everyone_listed_by_number(org, people, client_as):
    response = client_as(org.users["staff"]).get("/people/employees/")

    assert names(response) == ["owner", "hr", "finance", "lead", "staff", "peer",
                               "王小明", "韩梅梅", "李雷"]
    assert response.context["page_obj"].paginator.count == 9


@pytest.mark.parametrize(("query", "expected"), [
    ("小明", ["王小明"]),
    ("lei li", ["李雷"]),
    ("S-77", ["李雷"]),
    ("ming@galaxy", ["王小明"]),
    ("13900000002", ["李雷"]),
    ("nobody", []),
])
def test_search_by_name_english_name_number_email_or_phone(org, people, client_as, query, expected):
    response = client_as(org.users["staff"]).get("/people/employees/", {"q": query})

    assert names(response) == expected


def test_department_filter_includes_sub_departments(org, people, client_as):
    response = client_as(org.users["staff"]).get("/people/employees/", {"department": org.rnd.pk})

    assert sorted(names(response)) == sorted(["lead", "staff", "王小明"])


@pytest.mark.parametrize(("status", "expected"), [
    ("left", ["韩梅梅"]),
    ("probation", ["王小明"]),
    ("current", ["owner", "hr", "finance", "lead", "staff", "peer", "王小明", "李雷"]),
])
def test_status_filter(org, people, client_as, status, expected):
    response = client_as(org.users["staff"]).get("/people/employees/", {"status": status})

    assert sorted(names(response)) == sorted(expected)


def test_position_filter_and_filters_combine(org, people, client_as):
    client = client_as(org.users["staff"])

    by_position = client.get("/people/employees/", {"position": people.pk})
    combined = client.get("/people/employees/", {"position": people.pk, "status": "active"})

    assert names(by_position) == ["王小明"]
    assert names(combined) == []


def test_bad_filter_values_are_ignored_not_a_crash(org, people, client_as):
    response = client_as(org.users["staff"]).get(
        "/people/employees/", {"department": "abc", "status": "gone", "page": "x", "position": "9999"}
    )

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 9
    assert set(response.context["filters"].errors) == {"department", "status", "position"}


def test_pages_of_25_keeping_the_filters(org, client_as):
    for i in range(30):
        make_employee(org.company, org.sales, name=f"销售{i:02d}")
    client = client_as(org.users["staff"])

    first = client.get("/people/employees/", {"department": org.sales.pk})
    second = client.get("/people/employees/", {"department": org.sales.pk, "page": 2})

    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 34 - 25
    assert f'href="?department={org.sales.pk}&amp;page=2"' in first.content.decode()
    assert f'href="?department={org.sales.pk}&amp;page=1"' in second.content.decode()


def test_htmx_gets_only_the_results_and_the_url_is_pushed(org, people, client_as):
    client = client_as(org.users["staff"])

    page = client.get("/people/employees/").content.decode()
    partial = client.get("/people/employees/", {"q": "小明"}, headers={"HX-Request": "true"})

    assert 'hx-get="/people/employees/"' in page
    assert 'hx-target="#employee-results"' in page
    assert 'hx-push-url="true"' in page
    assert 'method="get" action="/people/employees/"' in page  # works without JavaScript
    assert [t.name for t in partial.templates][0] == "org/_employee_results.html"
    html = partial.content.decode()
    assert "<html" not in html
    assert "王小明" in html and "李雷" not in html
    assert "HX-Request" in partial["Vary"]


def test_a_history_restore_gets_the_whole_page(org, client_as):
    response = client_as(org.users["staff"]).get(
        "/people/employees/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert [t.name for t in response.templates][0] == "org/employee_list.html"


def test_the_list_keeps_a_constant_number_of_queries(org, client_as,
                                                     django_assert_max_num_queries):
    client = client_as(org.users["hr"])
    teams = [make_department(org.company, f"组{i}", parent=org.rnd) for i in range(2)]
    with scope(company=org.company.pk):
        position = create_position(company=org.company, title="工程师")
    boss = make_employee(org.company, teams[0], name="boss")
    for i in range(5):
        make_employee(org.company, teams[i % 2], manager=boss, position=position)
    with CaptureQueriesContext(connection) as few:
        client.get("/people/employees/", {"department": org.rnd.pk})
    for i in range(30):
        make_employee(org.company, teams[i % 2], manager=boss, position=position)
    more = make_department(org.company, "组新", parent=org.rnd)
    make_employee(org.company, more, manager=boss)
    with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(12):
        client.get("/people/employees/", {"department": org.rnd.pk})

    assert len(many) == len(few)
