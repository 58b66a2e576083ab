from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from tandem.core.testing import make_department
from tandem.org import services
from tandem.org.models import Department, EmployeeStatus


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk):
        yield org


def test_create_a_department_under_a_parent(scoped):
    qa = services.create_department(company=scoped.company, name="测试组", name_en="QA",
                                    parent=scoped.rnd)
    assert Department.objects.get(pk=qa.pk).parent == scoped.rnd


def test_two_top_level_departments_cannot_share_a_name(scoped):
    with pytest.raises(ValidationError) as error:
        services.create_department(company=scoped.company, name="销售部")
    assert "name" in error.value.message_dict


def test_the_same_name_may_appear_under_different_parents(scoped):
    services.create_department(company=scoped.company, name="运营组", parent=scoped.rnd)
    services.create_department(company=scoped.company, name="运营组", parent=scoped.sales)
    assert Department.objects.filter(name="运营组").count() == 2


def test_the_same_top_level_name_is_fine_in_another_company(scoped, other_org):
    assert other_org.sales.name == scoped.sales.name


def test_a_department_cannot_move_under_its_own_subtree(scoped):
    with pytest.raises(ValidationError) as error:
        services.update_department(department=scoped.rnd, parent=scoped.platform)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.update_department(department=scoped.rnd, parent=scoped.rnd)
    scoped.rnd.refresh_from_db()
    assert scoped.rnd.parent is None


def test_moving_a_department_elsewhere_keeps_its_children(scoped):
    services.update_department(department=scoped.rnd, parent=scoped.sales)
    scoped.platform.refresh_from_db()
    assert scoped.platform.parent.parent == scoped.sales


def test_rename_and_change_the_leader(scoped):
    services.update_department(department=scoped.sales, name="销售中心", leader=scoped.employees["peer"])
    sales = Department.objects.get(pk=scoped.sales.pk)
    assert (sales.name, sales.leader) == ("销售中心", scoped.employees["peer"])


def test_someone_who_left_cannot_lead(scoped):
    peer = scoped.employees["peer"]
    peer.status, peer.leave_date = EmployeeStatus.LEFT, peer.hire_date
    peer.save()
    with pytest.raises(ValidationError) as error:
        services.update_department(department=scoped.sales, leader=peer)
    assert "leader" in error.value.message_dict


def test_a_department_with_people_or_children_is_not_deleted(scoped):
    with pytest.raises(ValidationError):
        services.delete_department(department=scoped.rnd)
    with pytest.raises(ValidationError):
        services.delete_department(department=scoped.sales)
    assert Department.objects.count() == 3


def test_an_empty_department_is_deleted(scoped):
    empty = make_department(scoped.company, "空部门")
    services.delete_department(department=empty)
    assert not Department.objects.filter(pk=empty.pk).exists()


def test_unknown_fields_are_a_programming_error(scoped):
    with pytest.raises(TypeError):
        services.update_department(department=scoped.rnd, company=None)


def test_a_department_in_someones_job_history_is_kept_for_the_record(scoped):
    intern = services.create_employee(company=scoped.company, employee_number="N9", name="实习生",
                                      department=scoped.platform, hire_date=date(2026, 7, 1))
    for person in (intern, scoped.employees["staff"]):
        services.update_employee(employee=person, department=scoped.rnd)
    with pytest.raises(ValidationError):
        services.delete_department(department=scoped.platform)
    assert Department.objects.filter(pk=scoped.platform.pk).exists()
