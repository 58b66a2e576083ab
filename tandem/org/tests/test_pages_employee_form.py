"""Creating and editing employees: HR and admins edit every field; a department leader edits
the job (department within their subtree, position, manager) with an effective date and a note.
Every refusal is shown on its field."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scope

from tandem.core.testing import make_department
from tandem.org.models import Employee, JobChange, JobHistory
from tandem.org.services import create_position


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def full_data(employee=None, **changes):
    data = {"gender": "unspecified", "employment_type": "full_time", "status": "active"}
    if employee is not None:
        data.update({
            "employee_number": employee.employee_number, "name": employee.name,
            "gender": employee.gender, "department": employee.department_id,
            "manager": employee.manager_id or "", "employment_type": employee.employment_type,
            "status": employee.status, "hire_date": employee.hire_date.isoformat(),
            "version": employee.version,
        })
    data.update(changes)
    return data


def fetch(org, pk) -> Employee:
    with scope(company=org.company.pk):
        return Employee.objects.get(pk=pk)


def job_history(org, employee):
    with scope(company=org.company.pk):
        return [
            (h.change, h.effective_date, h.department_id, h.position_id, h.manager_id, h.note,
             h.recorded_by_id)
            for h in JobHistory.objects.filter(employee=employee).order_by("recorded_at", "pk")
        ]


def errors(response, field):
    """The field's messages, read in the language the page was served in."""
    assert response.status_code == 200
    messages = response.context["form"].errors.get(field)
    with translation.override(response.headers["Content-Language"]):
        return None if messages is None else [str(m) for m in messages]


# ---------------------------------------------------------------------------------------------
# Create


def test_hr_hires_someone(org, client_as):
    response = client_as(org.users["hr"]).post("/people/employees/new/", full_data(
        employee_number="E90001", name="周雨", english_name="Rain Zhou", gender="female",
        email="rain@galaxy.example", phone="+86 138-0000-0000", department=org.platform.pk,
        manager=org.employees["lead"].pk, employment_type="intern", status="probation",
        hire_date="2026-03-02", probation_end_date="2026-06-01", birth_date="2000-05-20",
        id_number="11010519491231002X", home_address="北京", emergency_contact_name="周父",
        emergency_contact_phone="13800000009",
    ))

    with scope(company=org.company.pk):
        rain = Employee.objects.get(employee_number="E90001")
    assert response.status_code == 302
    assert response["Location"] == f"/people/employees/{rain.pk}/"
    assert (rain.name, rain.english_name, rain.gender, rain.department_id, rain.manager_id,
            rain.employment_type, rain.status, rain.hire_date, rain.probation_end_date,
            rain.birth_date, rain.id_number, rain.emergency_contact_name) == (
        "周雨", "Rain Zhou", "female", org.platform.pk, org.employees["lead"].pk, "intern",
        "probation", date(2026, 3, 2), date(2026, 6, 1), date(2000, 5, 20),
        "11010519491231002X", "周父",
    )
    assert rain.company_id == org.company.pk
    assert job_history(org, rain) == [
        (JobChange.HIRE, date(2026, 3, 2), org.platform.pk, None, org.employees["lead"].pk, "",
         org.users["hr"].pk),
    ]


def test_the_create_form_has_private_fields_and_no_effective_date(org, client_as):
    form = client_as(org.users["owner"]).get("/people/employees/new/").context["form"]

    assert {"id_number", "home_address", "birth_date"} <= set(form.fields)
    assert "effective_date" not in form.fields


def test_a_taken_employee_number_is_refused_on_its_field(org, client_as):
    client = english(client_as(org.users["hr"]))
    taken = org.employees["peer"].employee_number

    response = client.post("/people/employees/new/", full_data(
        employee_number=taken, name="重复", department=org.sales.pk, hire_date="2026-01-05",
    ))

    assert errors(response, "employee_number") == [
        "This employee number is already used in your company."
    ]
    assert "This employee number is already used in your company." in response.content.decode()


def test_the_same_number_in_another_company_is_fine(org, other_org, client_as):
    taken_elsewhere = other_org.employees["peer"].employee_number
    with scope(company=other_org.company.pk):
        Employee.objects.filter(pk=other_org.employees["peer"].pk).update(employee_number="X-1")

    response = client_as(org.users["hr"]).post("/people/employees/new/", full_data(
        employee_number="X-1", name="新人", department=org.sales.pk, hire_date="2026-01-05",
    ))

    assert taken_elsewhere
    assert response.status_code == 302


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"id_number": "123"}, "id_number",
     "An identity number has 17 digits followed by a digit or X."),
    ({"leave_date": "2025-12-31", "status": "left"}, "leave_date",
     "The leave date cannot be before the hire date."),
    ({"probation_end_date": "2025-01-01"}, "probation_end_date",
     "Probation cannot end before the hire date."),
    ({"birth_date": "2015-01-01"}, "birth_date",
     "Employees must be at least 16 years old on their hire date (Labour Law, article 15)."),
    ({"phone": "call me"}, "phone",
     "Enter a phone number of digits, spaces, dashes and an optional +."),
    ({"hire_date": "not a date"}, "hire_date", "Enter a valid date."),
    ({"name": ""}, "name", "This field is required."),
])
def test_invalid_input_is_shown_on_the_field(org, client_as, changes, field, message):
    client = english(client_as(org.users["hr"]))

    data = {"employee_number": "E90002", "name": "新人", "department": org.sales.pk,
            "hire_date": "2026-01-05", **changes}
    response = client.post("/people/employees/new/", full_data(**data))

    assert errors(response, field) == [message]
    with scope(company=org.company.pk):
        assert not Employee.objects.filter(employee_number="E90002").exists()


def test_all_field_errors_show_at_once(org, client_as):
    response = english(client_as(org.users["hr"])).post("/people/employees/new/", full_data(
        employee_number=org.employees["peer"].employee_number, name="", phone="call me",
        id_number="123", department=org.sales.pk, hire_date="2026-01-05",
    ))

    assert set(response.context["form"].errors) == {"employee_number", "name", "phone", "id_number"}


# ---------------------------------------------------------------------------------------------
# HR edits


def test_hr_transfers_someone_from_an_effective_date(org, client_as):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        seller = create_position(company=org.company, title="销售", department=org.sales)

    response = client_as(org.users["hr"]).post(f"/people/employees/{staff.pk}/edit/", full_data(
        staff, department=org.sales.pk, position=seller.pk, manager=org.employees["peer"].pk,
        effective_date="2026-04-01", note="支援销售",
    ))

    assert response.status_code == 302
    moved = fetch(org, staff.pk)
    assert (moved.department_id, moved.position_id, moved.manager_id) == (
        org.sales.pk, seller.pk, org.employees["peer"].pk
    )
    assert job_history(org, staff) == [
        (JobChange.TRANSFER, date(2026, 4, 1), org.sales.pk, seller.pk,
         org.employees["peer"].pk, "支援销售", org.users["hr"].pk),
    ]


def test_hr_records_a_departure(org, client_as):
    peer = org.employees["peer"]

    client_as(org.users["hr"]).post(f"/people/employees/{peer.pk}/edit/", full_data(
        peer, status="left", leave_date="2026-02-28",
    ))

    gone = fetch(org, peer.pk)
    assert (gone.status, gone.leave_date) == ("left", date(2026, 2, 28))
    assert job_history(org, peer) == [
        (JobChange.EXIT, date(2026, 2, 28), org.sales.pk, None, None, "", org.users["hr"].pk),
    ]


def test_a_manager_cycle_is_refused(org, client_as):
    lead = org.employees["lead"]  # staff reports to lead

    response = english(client_as(org.users["hr"])).post(
        f"/people/employees/{lead.pk}/edit/", full_data(lead, manager=org.employees["staff"].pk)
    )

    assert errors(response, "manager") == [
        "This manager reports, directly or not, to this employee."
    ]
    assert fetch(org, lead.pk).manager_id is None


def test_nobody_is_offered_as_their_own_manager(org, client_as):
    lead = org.employees["lead"]

    form = client_as(org.users["hr"]).get(f"/people/employees/{lead.pk}/edit/").context["form"]

    assert lead.pk not in [e.pk for e in form.fields["manager"].queryset]


def test_a_change_cannot_take_effect_before_the_hire_date(org, client_as):
    staff = org.employees["staff"]

    response = english(client_as(org.users["hr"])).post(
        f"/people/employees/{staff.pk}/edit/",
        full_data(staff, department=org.sales.pk, effective_date="2020-01-01"),
    )

    assert errors(response, "effective_date") == [
        "A change cannot take effect before the hire date."
    ]
    assert fetch(org, staff.pk).department_id == org.platform.pk
    assert job_history(org, staff) == []


def test_a_position_of_another_department_is_refused(org, client_as):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        seller = create_position(company=org.company, title="销售", department=org.sales)

    response = english(client_as(org.users["hr"])).post(
        f"/people/employees/{staff.pk}/edit/", full_data(staff, position=seller.pk)
    )

    assert errors(response, "position") == ["This position belongs to another department."]


# ---------------------------------------------------------------------------------------------
# Department leaders


def test_a_leader_gets_the_job_form_limited_to_their_subtree(org, client_as):
    with scope(company=org.company.pk):
        create_position(company=org.company, title="销售", department=org.sales)
        engineer = create_position(company=org.company, title="工程师", department=org.platform)
        anyone = create_position(company=org.company, title="助理")
    staff = org.employees["staff"]

    form = client_as(org.users["lead"]).get(f"/people/employees/{staff.pk}/edit/").context["form"]

    assert list(form.fields) == [
        "department", "position", "manager", "effective_date", "note", "version",
    ]
    assert sorted(d.pk for d in form.fields["department"].queryset) == sorted(
        [org.rnd.pk, org.platform.pk]
    )
    assert sorted(p.pk for p in form.fields["position"].queryset) == sorted(
        [engineer.pk, anyone.pk]
    )
    assert [e.pk for e in form.fields["manager"].queryset] == [org.employees["lead"].pk]


def test_a_leader_moves_someone_inside_their_subtree(org, client_as):
    team = make_department(org.company, "数据组", parent=org.platform)
    staff = org.employees["staff"]

    response = client_as(org.users["lead"]).post(f"/people/employees/{staff.pk}/edit/", {
        "department": team.pk, "position": "", "manager": org.employees["lead"].pk,
        "effective_date": "2026-05-01", "note": "新组成立", "version": 1,
        "name": "改名", "id_number": "11010519491231002X",  # not on this form: ignored
    })

    assert response.status_code == 302
    moved = fetch(org, staff.pk)
    assert (moved.department_id, moved.name, moved.id_number) == (team.pk, "staff", "")
    assert job_history(org, staff) == [
        (JobChange.TRANSFER, date(2026, 5, 1), team.pk, None, org.employees["lead"].pk,
         "新组成立", org.users["lead"].pk),
    ]


def test_a_leader_cannot_move_someone_out_of_their_subtree(org, client_as):
    staff = org.employees["staff"]

    response = english(client_as(org.users["lead"])).post(f"/people/employees/{staff.pk}/edit/", {
        "department": org.sales.pk, "manager": org.employees["lead"].pk,
        "effective_date": "2026-05-01", "version": 1,
    })

    assert errors(response, "department") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert fetch(org, staff.pk).department_id == org.platform.pk


def test_a_leader_must_give_the_effective_date(org, client_as):
    staff = org.employees["staff"]

    response = english(client_as(org.users["lead"])).post(f"/people/employees/{staff.pk}/edit/", {
        "department": org.rnd.pk, "manager": org.employees["lead"].pk, "version": 1,
    })

    assert errors(response, "effective_date") == ["This field is required."]
    assert job_history(org, staff) == []


# ---------------------------------------------------------------------------------------------
# Delete


def test_hr_deletes_a_record_entered_by_mistake(org, client_as):
    peer = org.employees["peer"]

    response = client_as(org.users["hr"]).post(f"/people/employees/{peer.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/people/employees/"
    with scope(company=org.company.pk):
        assert not Employee.objects.filter(pk=peer.pk).exists()


def test_deleting_someone_others_report_to_is_refused_with_the_reason(org, client_as):
    lead = org.employees["lead"]

    response = english(client_as(org.users["hr"])).post(f"/people/employees/{lead.pk}/delete/")

    assert response.status_code == 200
    assert response.context["error"] == (
        "Others report to this person; give them another manager first."
    )
    with scope(company=org.company.pk):
        assert Employee.objects.filter(pk=lead.pk).exists()
