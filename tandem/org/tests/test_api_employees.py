"""/api/v1/employees/: the directory, hiring, editing and job changes through the API."""

from datetime import date

import pytest
from django.conf import settings
from django_scopes import scope
from time_machine import travel

from tandem.core.testing import make_department, make_employee
from tandem.org import services
from tandem.org.models import Employee, EmployeeStatus, JobChange, JobHistory

URL = "/api/v1/employees/"


def english(api):
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return api


@pytest.fixture
def as_hr(org, api_as):
    return english(api_as(org.users["hr"]))


@pytest.fixture
def as_lead(org, api_as):
    return english(api_as(org.users["lead"]))


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_a_record_as_hr_sees_it(org, as_hr):
    staff = org.employees["staff"]
    response = as_hr.get(f"{URL}{staff.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k not in ("created_at", "updated_at")} == {
        "id": staff.pk, "employee_number": staff.employee_number, "name": "staff",
        "english_name": "", "display_name": "staff", "gender": "unspecified",
        "user": org.users["staff"].pk, "email": "", "phone": "",
        "department": org.platform.pk, "department_name": "Platform",
        "position": None, "position_title": None,
        "manager": org.employees["lead"].pk, "manager_name": "lead",
        "employment_type": "full_time", "status": "active", "hire_date": "2024-03-01",
        "probation_end_date": None, "leave_date": None,
        "birth_date": None, "id_number": "", "home_address": "", "emergency_contact_name": "",
        "emergency_contact_phone": "", "version": 1,
    }


def test_the_list_is_ordered_by_employee_number(org, as_hr):
    expected = sorted(org.employees.values(), key=lambda e: e.employee_number)
    body = as_hr.get(URL).json()
    assert body["count"] == 6
    assert [row["id"] for row in body["results"]] == [e.pk for e in expected]


@pytest.mark.parametrize(
    ("term", "who"),
    [("peer", "peer"), ("Lin", "staff"), ("E9", "staff"), ("lin@example", "staff"),
     ("138001", "staff")],
)
def test_search_over_names_number_email_and_phone(org, as_hr, term, who):
    with scope(company=org.company.pk):
        Employee.objects.filter(pk=org.employees["staff"].pk).update(
            english_name="Lin Xiao", employee_number="E9001", email="lin@example.com",
            phone="13800138000",
        )
    assert ids(as_hr.get(URL, {"search": term})) == [org.employees[who].pk]


def test_filter_by_department_with_or_without_its_subdepartments(org, as_hr):
    lead, staff = org.employees["lead"].pk, org.employees["staff"].pk
    assert ids(as_hr.get(URL, {"department": org.rnd.pk})) == [lead]
    both = ids(as_hr.get(URL, {"department": org.rnd.pk, "include_subdepartments": "true"}))
    assert sorted(both) == sorted([lead, staff])
    alone = ids(as_hr.get(URL, {"department": org.rnd.pk, "include_subdepartments": "false"}))
    assert alone == [lead]


def test_filter_by_status_position_and_manager(org, as_hr):
    with scope(company=org.company.pk):
        engineer = services.create_position(company=org.company, title="工程师")
        Employee.objects.filter(pk=org.employees["peer"].pk).update(
            status=EmployeeStatus.PROBATION, position=engineer
        )
    assert ids(as_hr.get(URL, {"status": "probation"})) == [org.employees["peer"].pk]
    assert ids(as_hr.get(URL, {"position": engineer.pk})) == [org.employees["peer"].pk]
    assert ids(as_hr.get(URL, {"manager": org.employees["lead"].pk})) == [org.employees["staff"].pk]


def test_filter_by_hire_date_range(org, as_hr):
    early = make_employee(org.company, org.sales, hire_date=date(2020, 5, 1))
    late = make_employee(org.company, org.sales, hire_date=date(2026, 1, 10))
    assert ids(as_hr.get(URL, {"hire_date_before": "2021-01-01"})) == [early.pk]
    assert ids(as_hr.get(URL, {"hire_date_after": "2025-01-01"})) == [late.pk]
    assert len(ids(as_hr.get(URL, {"hire_date_after": "2024-03-01",
                                   "hire_date_before": "2024-03-01"}))) == 6


def test_ordering(org, as_hr):
    first = make_employee(org.company, org.sales, name="最早", hire_date=date(2019, 1, 1))
    assert ids(as_hr.get(URL, {"ordering": "hire_date"}))[0] == first.pk
    assert ids(as_hr.get(URL, {"ordering": "-hire_date"}))[-1] == first.pk


def test_page_size_is_capped_at_200(org, as_hr):
    for _ in range(3):
        make_employee(org.company, org.sales)
    body = as_hr.get(URL, {"page_size": 4}).json()
    assert (body["count"], len(body["results"])) == (9, 4)
    assert body["next"].endswith("page=2&page_size=4")
    assert len(as_hr.get(URL, {"page_size": 1000}).json()["results"]) == 9


def test_hire(org, as_hr):
    response = as_hr.post(URL, {
        "employee_number": "N100", "name": "林晓", "english_name": "Lin Xiao",
        "department": org.platform.pk, "manager": org.employees["lead"].pk,
        "hire_date": "2026-11-02", "status": "probation", "probation_end_date": "2027-02-01",
        "id_number": "11010519491231002X", "birth_date": "1949-12-31",
    }, format="json")
    assert response.status_code == 201, response.json()
    with scope(company=org.company.pk):
        hired = Employee.objects.get(employee_number="N100")
        assert (hired.company, hired.department, hired.manager, hired.status, hired.id_number) == (
            org.company, org.platform, org.employees["lead"], "probation", "11010519491231002X",
        )
        entry = JobHistory.objects.get(employee=hired)
    assert (entry.change, entry.effective_date, entry.recorded_by) == (
        JobChange.HIRE, date(2026, 11, 2), org.users["hr"],
    )
    assert response.json()["id"] == hired.pk
    assert response.json()["department_name"] == "Platform"


def test_hiring_checks_the_rules_of_the_model(org, as_hr):
    response = as_hr.post(URL, {
        "employee_number": org.employees["peer"].employee_number, "name": "重复",
        "department": org.sales.pk, "hire_date": "2026-01-01", "status": "left",
    }, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["leave_date"] == ["Enter the leave date of someone who has left."]
    with scope(company=org.company.pk):
        assert Employee.objects.count() == 6


def test_a_job_change_date_and_note_are_for_updates_only(org, as_hr):
    response = as_hr.post(URL, {
        "employee_number": "N101", "name": "林晓", "department": org.sales.pk,
        "hire_date": "2026-01-01", "effective_date": "2026-02-01", "note": "x",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "effective_date": ["Only used when changing an existing employee."],
        "note": ["Only used when changing an existing employee."],
    }


@travel(date(2026, 11, 20))
def test_a_transfer_records_job_history_with_its_effective_date_and_note(org, as_hr):
    staff = org.employees["staff"]
    response = as_hr.patch(f"{URL}{staff.pk}/", {
        "department": org.sales.pk, "manager": None, "effective_date": "2026-12-01",
        "note": "调岗", "version": 1,
    }, format="json")
    assert response.status_code == 200, response.json()
    assert "effective_date" not in response.json()
    with scope(company=org.company.pk):
        staff.refresh_from_db()
        assert (staff.department, staff.manager) == (org.sales, None)
        entry = JobHistory.objects.get(employee=staff)
    assert (entry.change, entry.effective_date, entry.note, entry.department, entry.recorded_by) == (
        JobChange.TRANSFER, date(2026, 12, 1), "调岗", org.sales, org.users["hr"],
    )


@travel(date(2026, 11, 20))
def test_leaving_records_an_exit(org, as_hr):
    peer = org.employees["peer"]
    response = as_hr.patch(
        f"{URL}{peer.pk}/", {"status": "left", "leave_date": "2026-11-30", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    with scope(company=org.company.pk):
        entry = JobHistory.objects.get(employee=peer)
    assert (entry.change, entry.effective_date) == (JobChange.EXIT, date(2026, 11, 30))


def test_an_edit_that_changes_no_job_field_records_no_history(org, as_hr):
    staff = org.employees["staff"]
    response = as_hr.patch(
        f"{URL}{staff.pk}/", {"email": "staff@example.com", "department": org.platform.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["email"] == "staff@example.com"
    with scope(company=org.company.pk):
        assert not JobHistory.objects.filter(employee=staff).exists()


def test_a_manager_loop_is_refused(org, as_hr):
    lead = org.employees["lead"]
    response = as_hr.patch(
        f"{URL}{lead.pk}/", {"manager": org.employees["staff"].pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "manager": ["This manager reports, directly or not, to this employee."]
    }


def test_linking_a_user_account_of_the_company(org, as_hr, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="x-long-password")
    hire = {"employee_number": "N200", "name": "新人", "department": org.sales.pk,
            "hire_date": "2026-01-01"}
    refused = as_hr.post(URL, hire | {"user": outsider.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "user": [f'Invalid pk "{outsider.pk}" - object does not exist.']
    }
    taken = as_hr.post(URL, hire | {"user": org.users["peer"].pk}, format="json")
    assert taken.status_code == 400
    assert list(taken.json()["errors"]) == ["non_field_errors"]


def test_delete_a_record_entered_by_mistake(org, as_hr):
    mistake = make_employee(org.company, org.sales)
    assert as_hr.delete(f"{URL}{mistake.pk}/").status_code == 204
    with scope(company=org.company.pk):
        assert not Employee.objects.filter(pk=mistake.pk).exists()


def test_someone_others_report_to_cannot_be_deleted(org, as_hr):
    response = as_hr.delete(f"{URL}{org.employees['lead'].pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Others report to this person; give them another manager first.", "errors": {},
    }


class TestALeaderEditingTheirPeople:
    """lead leads R&D and so manages staff (in Platform): job fields only, inside the subtree."""

    @travel(date(2026, 11, 20))
    def test_may_transfer_them_within_the_subtree(self, org, as_lead):
        staff = org.employees["staff"]
        response = as_lead.patch(f"{URL}{staff.pk}/", {
            "department": org.rnd.pk, "effective_date": "2026-11-21", "note": "合并", "version": 1,
        }, format="json")
        assert response.status_code == 200, response.json()
        with scope(company=org.company.pk):
            entry = JobHistory.objects.get(employee=staff)
        assert (entry.department, entry.effective_date, entry.note, entry.recorded_by) == (
            org.rnd, date(2026, 11, 21), "合并", org.users["lead"],
        )

    def test_may_not_move_them_out_of_it(self, org, as_lead):
        staff = org.employees["staff"]
        response = as_lead.patch(f"{URL}{staff.pk}/", {"department": org.sales.pk, "version": 1},
                                   format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "department": ["Choose one of the departments you lead."]
        }
        with scope(company=org.company.pk):
            assert Employee.objects.get(pk=staff.pk).department == org.platform

    def test_picks_positions_and_managers_from_their_subtree(self, org, as_lead):
        staff = org.employees["staff"]
        with scope(company=org.company.pk):
            ours = services.create_position(company=org.company, title="工程师", department=org.platform)
            anyone = services.create_position(company=org.company, title="助理")
            theirs = services.create_position(company=org.company, title="销售", department=org.sales)
        for version, position in enumerate((ours, anyone), start=1):
            response = as_lead.patch(f"{URL}{staff.pk}/", {"position": position.pk,
                                                           "version": version}, format="json")
            assert response.status_code == 200, response.json()
        response = as_lead.patch(f"{URL}{staff.pk}/", {
            "position": theirs.pk, "manager": org.employees["peer"].pk, "version": 3,
        }, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "position": ["Choose a position of the departments you lead, or one open to any "
                         "department."],
            "manager": ["Choose a manager from the departments you lead."],
        }
        with scope(company=org.company.pk):
            unchanged = Employee.objects.get(pk=staff.pk)
        assert (unchanged.position, unchanged.manager) == (anyone, org.employees["lead"])

    @pytest.mark.parametrize(
        "changes",
        [{"name": "改名"}, {"status": "left", "leave_date": "2026-12-31"},
         {"employee_number": "X1"}, {"manager": None, "email": "x@example.com"}],
    )
    def test_may_not_change_anything_else(self, org, as_lead, changes):
        staff = org.employees["staff"]
        response = as_lead.patch(f"{URL}{staff.pk}/", changes | {"version": 1}, format="json")
        assert response.status_code == 403
        refused = {name for name in changes if name != "manager"}
        assert response.json() == {
            "detail": "As their manager you may change only the department, position and manager.",
            "errors": {
                name: ["Only HR and administrators can change this field."] for name in refused
            },
        }
        with scope(company=org.company.pk):
            unchanged = Employee.objects.get(pk=staff.pk)
        assert (unchanged.name, unchanged.status, unchanged.manager) == (
            "staff", "active", org.employees["lead"],
        )

    def test_a_full_put_that_only_changes_job_fields_is_fine(self, org, as_lead):
        staff = org.employees["staff"]
        deep = make_department(org.company, "基础设施", parent=org.platform)
        current = as_lead.get(f"{URL}{staff.pk}/").json()
        writable = {k: v for k, v in current.items() if k not in {
            "id", "display_name", "department_name", "position_title", "manager_name",
            "created_at", "updated_at",
        }}
        response = as_lead.put(f"{URL}{staff.pk}/", writable | {"department": deep.pk}, format="json")
        assert response.status_code == 200, response.json()
        with scope(company=org.company.pk):
            assert Employee.objects.get(pk=staff.pk).department == deep

    @pytest.mark.parametrize("who", ["lead", "peer"])
    def test_may_not_edit_themself_or_people_outside(self, org, as_lead, who):
        response = as_lead.patch(
            f"{URL}{org.employees[who].pk}/", {"department": org.rnd.pk, "version": 1},
            format="json",
        )
        assert response.status_code == 403
        assert response.json() == {
            "detail": "You do not have permission to perform this action.", "errors": {},
        }
