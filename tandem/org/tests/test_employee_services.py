from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope
from time_machine import travel

from tandem.org import services
from tandem.org.models import Employee, EmployeeStatus, JobChange, JobHistory


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk):
        yield org


def hire(org, **fields):
    defaults = {
        "employee_number": "N001", "name": "林晓", "department": org.platform,
        "hire_date": date(2026, 11, 2),
    }
    return services.create_employee(company=org.company, by=org.users["hr"], **(defaults | fields))


def test_hiring_records_a_hire_entry_dated_the_hire_date(scoped):
    employee = hire(scoped, manager=scoped.employees["lead"])
    entry = JobHistory.objects.get(employee=employee)
    assert (entry.change, entry.effective_date, entry.department, entry.manager, entry.recorded_by) == (
        JobChange.HIRE, date(2026, 11, 2), scoped.platform, scoped.employees["lead"], scoped.users["hr"],
    )


def test_employee_numbers_are_unique_within_a_company_only(scoped, other_org):
    hire(scoped)
    with pytest.raises(ValidationError) as error:
        hire(scoped, name="另一个人")
    assert "__all__" in error.value.message_dict or "employee_number" in error.value.message_dict
    with scope(company=other_org.company.pk):
        hire(other_org)
        assert Employee.objects.filter(employee_number="N001").count() == 1
    assert Employee.objects.filter(employee_number="N001").count() == 1


def test_a_transfer_records_the_new_department_from_its_effective_date(scoped):
    staff = scoped.employees["staff"]
    services.update_employee(employee=staff, by=scoped.users["hr"], department=scoped.sales,
                             effective_date=date(2026, 12, 1), note="支援销售")
    entry = JobHistory.objects.filter(employee=staff).latest("recorded_at")
    assert (entry.change, entry.department, entry.effective_date, entry.note) == (
        JobChange.TRANSFER, scoped.sales, date(2026, 12, 1), "支援销售",
    )


@travel(date(2026, 11, 26))
def test_a_manager_change_without_a_date_takes_effect_today(scoped):
    staff = scoped.employees["staff"]
    services.update_employee(employee=staff, manager=scoped.employees["peer"])
    entry = JobHistory.objects.filter(employee=staff).latest("recorded_at")
    assert (entry.change, entry.effective_date, entry.manager) == (
        JobChange.MANAGER, date(2026, 11, 26), scoped.employees["peer"],
    )


def test_other_edits_record_no_job_change(scoped):
    staff = scoped.employees["staff"]
    before = JobHistory.objects.count()
    services.update_employee(employee=staff, phone="138 0000 0000", english_name="Lin")
    assert JobHistory.objects.count() == before


def test_leaving_records_an_exit_on_the_leave_date(scoped):
    peer = scoped.employees["peer"]
    services.update_employee(employee=peer, status=EmployeeStatus.LEFT, leave_date=date(2026, 11, 30))
    entry = JobHistory.objects.filter(employee=peer).latest("recorded_at")
    assert (entry.change, entry.effective_date) == (JobChange.EXIT, date(2026, 11, 30))


def test_leaving_needs_a_leave_date_and_a_leave_date_needs_the_left_status(scoped):
    peer = scoped.employees["peer"]
    with pytest.raises(ValidationError) as error:
        services.update_employee(employee=peer, status=EmployeeStatus.LEFT)
    assert "leave_date" in error.value.message_dict
    peer.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.update_employee(employee=peer, leave_date=date(2026, 11, 30))
    assert "status" in error.value.message_dict


def test_nobody_leaves_before_they_were_hired(scoped):
    peer = scoped.employees["peer"]
    with pytest.raises(ValidationError) as error:
        services.update_employee(employee=peer, status=EmployeeStatus.LEFT, leave_date=date(2020, 1, 1))
    assert "leave_date" in error.value.message_dict


def test_manager_chains_cannot_loop(scoped):
    lead, staff = scoped.employees["lead"], scoped.employees["staff"]
    with pytest.raises(ValidationError) as error:
        services.update_employee(employee=lead, manager=staff)
    assert "manager" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.update_employee(employee=lead, manager=lead)
    lead.refresh_from_db()
    assert lead.manager is None


def test_a_person_who_left_cannot_be_a_manager(scoped):
    peer = scoped.employees["peer"]
    services.update_employee(employee=peer, status=EmployeeStatus.LEFT, leave_date=date(2026, 11, 30))
    with pytest.raises(ValidationError) as error:
        services.update_employee(employee=scoped.employees["staff"], manager=peer)
    assert "manager" in error.value.message_dict


def test_a_change_cannot_take_effect_before_the_hire_date(scoped):
    with pytest.raises(ValidationError) as error:
        services.update_employee(employee=scoped.employees["staff"], department=scoped.sales,
                                 effective_date=date(2000, 1, 1))
    assert "effective_date" in error.value.message_dict
    scoped.employees["staff"].refresh_from_db()
    assert scoped.employees["staff"].department == scoped.platform


def test_employees_must_be_sixteen_on_their_hire_date(scoped):
    with pytest.raises(ValidationError) as error:
        hire(scoped, birth_date=date(2010, 11, 3), hire_date=date(2026, 11, 2))
    assert "birth_date" in error.value.message_dict
    assert hire(scoped, birth_date=date(2010, 11, 2), hire_date=date(2026, 11, 2)).pk


def test_identity_numbers_are_checked_and_upper_cased(scoped):
    with pytest.raises(ValidationError) as error:
        hire(scoped, id_number="110101199003071234")
    assert "id_number" in error.value.message_dict
    employee = hire(scoped, id_number="11010519491231002x")
    assert employee.id_number == "11010519491231002X"


def test_a_position_of_another_department_is_refused(scoped):
    position = services.create_position(company=scoped.company, title="销售代表", department=scoped.sales)
    with pytest.raises(ValidationError) as error:
        hire(scoped, position=position)
    assert "position" in error.value.message_dict


def test_a_failed_edit_writes_nothing(scoped):
    staff = scoped.employees["staff"]
    before = JobHistory.objects.count()
    with pytest.raises(ValidationError):
        services.update_employee(employee=staff, department=scoped.sales, manager=staff)
    assert JobHistory.objects.count() == before
    assert Employee.objects.get(pk=staff.pk).department == scoped.platform


def test_change_history_remembers_each_version(scoped):
    staff = scoped.employees["staff"]
    services.update_employee(employee=staff, phone="13800000000")
    services.update_employee(employee=staff, phone="13900000000")
    phones = list(staff.history.values_list("phone", flat=True))
    assert phones == ["13900000000", "13800000000", ""]


def test_deleting_someone_others_report_to_is_refused(scoped):
    with pytest.raises(ValidationError):
        services.delete_employee(employee=scoped.employees["lead"])
    services.delete_employee(employee=scoped.employees["peer"])
    assert not Employee.objects.filter(pk=scoped.employees["peer"].pk).exists()
