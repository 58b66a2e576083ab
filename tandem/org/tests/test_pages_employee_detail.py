"""The employee page: work fields for everyone in the company, private fields only for those
allowed, job history and change history (who changed which field from what to what) for HR,
admins, the manager and the person themself."""

from datetime import date

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.org.models import JobChange
from tandem.org.services import update_employee

SECRET_ADDRESS = "上海市浦东新区世纪大道100号"


def edit_as_hr(client, employee, **changes):
    data = {
        "employee_number": employee.employee_number, "name": employee.name,
        "gender": employee.gender, "department": employee.department_id,
        "manager": employee.manager_id or "", "employment_type": employee.employment_type,
        "status": employee.status, "hire_date": employee.hire_date.isoformat(),
        "version": type(employee)._base_manager.get(pk=employee.pk).version,
        **changes,
    }
    response = client.post(f"/people/employees/{employee.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors


@pytest.fixture
def staff(org, client_as):
    """staff, given private data then transferred by hr through the edit page."""
    employee = org.employees["staff"]
    client = client_as(org.users["hr"])
    edit_as_hr(client, employee, home_address=SECRET_ADDRESS, email="staff@galaxy.example")
    edit_as_hr(client, employee, home_address=SECRET_ADDRESS, email="staff@galaxy.example",
               department=org.rnd.pk, effective_date="2025-07-01", note="团队合并")
    client.logout()
    return employee


def page(client, employee):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/people/employees/{employee.pk}/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(("role", "private", "history"), [
    ("owner", True, True),
    ("hr", True, True),
    ("finance", True, False),
    ("lead", False, True),
    ("staff", True, True),  # themself
    ("peer", False, False),
])
def test_what_each_role_sees(org, staff, client_as, role, private, history):
    response = page(client_as(org.users[role]), staff)
    html = response.content.decode()

    assert "staff@galaxy.example" in html  # a work field: everyone
    assert (SECRET_ADDRESS in html) is private
    assert ('id="private"' in html) is private
    assert ('id="job-history"' in html) is history
    assert ('id="change-history"' in html) is history
    assert ("团队合并" in html) is history


def test_job_history_rows(org, staff, client_as):
    response = page(client_as(org.users["hr"]), staff)

    rows = [(r.effective_date, r.change, r.department.name, r.note, r.recorded_by)
            for r in response.context["job_history"]]
    assert rows == [
        (date(2025, 7, 1), JobChange.TRANSFER, "研发部", "团队合并", org.users["hr"]),
    ]
    html = response.content.decode()
    assert "<td class=\"td-nowrap\">2025-07-01</td>" in html
    assert "<td class=\"td-nowrap\">Transfer</td>" in html


def test_change_history_names_who_changed_which_field_from_what_to_what(org, staff, client_as):
    response = page(client_as(org.users["hr"]), staff)

    entries = [(e.kind, e.who, [(c.label, c.old, c.new) for c in e.changes])
               for e in response.context["changes"]]
    assert entries == [
        ("~", org.users["hr"], [("department", "Platform", "R&D")]),
        ("~", org.users["hr"], [("work email", "—", "staff@galaxy.example"),
                                ("home address", "—", SECRET_ADDRESS)]),
        ("+", None, []),
    ]
    html = response.content.decode()
    assert '<span class="td-old">Platform</span> → <span class="fw-medium">R&amp;D</span>' in html


def test_private_changes_are_hidden_from_those_who_may_not_see_private_fields(org, staff,
                                                                          client_as):
    response = page(client_as(org.users["lead"]), staff)

    labels = [c.label for e in response.context["changes"] for c in e.changes]
    assert labels == ["department", "work email"]
    assert SECRET_ADDRESS not in response.content.decode()


def test_edit_and_delete_buttons_follow_the_rules(org, staff, client_as):
    edit = f'href="/people/employees/{staff.pk}/edit/"'
    delete = f'href="/people/employees/{staff.pk}/delete/"'

    hr = page(client_as(org.users["hr"]), staff).content.decode()
    lead = page(client_as(org.users["lead"]), staff).content.decode()
    peer = page(client_as(org.users["peer"]), staff).content.decode()

    assert edit in hr and delete in hr
    assert edit in lead and delete not in lead
    assert edit not in peer and delete not in peer


def test_choice_values_are_shown_with_their_labels(org, client_as):
    peer = org.employees["peer"]
    with scope(company=org.company.pk):
        update_employee(employee=peer, by=org.users["hr"], status="left",
                        leave_date=date(2026, 1, 31))

    response = page(client_as(org.users["hr"]), peer)

    latest = response.context["changes"][0]
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("leave date", "—", "2026-01-31"), ("status", "Active", "Left"),
    ]
