from collections import Counter
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from tandem.core.actor import resolve_actor
from tandem.core.models import Company, Membership, Role
from tandem.org import demo as demo_module
from tandem.org.demo import DEMO_PASSWORD, MAX_TEAM_SIZE, add_months, seed_demo_company
from tandem.org.models import Department, Employee, EmployeeStatus, JobChange, JobHistory
from tandem.org.selectors import subtree_ids
from tandem.org.validators import validate_id_number

User = get_user_model()


@pytest.fixture
def demo(db):
    return seed_demo_company()


def seed(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def employees_of(company) -> list[Employee]:
    with scope(company=company.pk):
        return list(Employee.objects.select_related("department__parent", "manager", "position"))


def departments_of(company) -> list[Department]:
    with scope(company=company.pk):
        return list(Department.objects.select_related("parent", "leader"))


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_the_default_demo_has_60_employees_in_six_departments_two_levels_deep(demo):
    assert (demo.company.name, demo.company.name_en) == ("星河科技有限公司", "Galaxy Tech Co., Ltd.")
    assert len(employees_of(demo.company)) == 60
    tree = {(d.parent.name if d.parent else None, d.name, d.name_en) for d in departments_of(demo.company)}
    assert tree == {
        (None, "研发中心", "R&D Center"),
        ("研发中心", "后端组", "Backend Team"),
        ("研发中心", "前端组", "Frontend Team"),
        (None, "市场销售部", "Sales & Marketing"),
        ("市场销售部", "华东销售组", "East China Sales"),
        (None, "综合管理部", "General Administration"),
    }


def test_every_department_has_a_leader_from_its_own_people(demo):
    for department in departments_of(demo.company):
        assert department.leader is not None, department.name
        assert department.leader.department_id == department.pk
        assert department.leader.status != EmployeeStatus.LEFT


def test_the_five_sign_ins_have_the_demo_password_and_their_roles(demo):
    roles = {
        m.user.username: m.role
        for m in Membership.objects.filter(company=demo.company).select_related("user")
        .order_by("pk")  # in the order they were written (unordered, PostgreSQL may differ)
    }
    assert roles == {
        "admin": Role.OWNER, "hr": Role.HR, "finance": Role.FINANCE,
        "lead": Role.EMPLOYEE, "staff": Role.EMPLOYEE,
    }
    for user in User.objects.filter(username__in=roles):
        assert user.check_password(DEMO_PASSWORD), user.username
        assert user.is_superuser == user.is_staff == (user.username == "admin")
    assert [(s.username, s.role) for s in demo.sign_ins] == list(roles.items())


def test_each_sign_in_is_the_employee_the_table_says(demo):
    with scope(company=demo.company.pk):
        people = {
            e.user.username: e
            for e in Employee.objects.filter(user__isnull=False).select_related(
                "user", "position", "department")
        }
    assert {name: (e.position.title, e.department.name) for name, e in people.items()} == {
        "admin": ("首席执行官", "综合管理部"),
        "hr": ("人力资源经理", "综合管理部"),
        "finance": ("会计", "综合管理部"),
        "lead": ("销售总监", "市场销售部"),
        "staff": ("销售代表", "华东销售组"),
    }
    for name, employee in people.items():
        assert (employee.user.last_name + employee.user.first_name) == employee.name, name
        assert employee.status == EmployeeStatus.ACTIVE


def test_lead_leads_sales_and_marketing_and_staff_is_in_their_subtree(demo):
    lead = User.objects.get(username="lead")
    staff = User.objects.get(username="staff")
    actor = resolve_actor(lead)
    with scope(company=demo.company.pk):
        sales = Department.objects.get(name="市场销售部")
        staff_employee = Employee.objects.get(user=staff)
        assert sales.leader == actor.employee
        assert actor.managed_department_ids == subtree_ids(demo.company, [sales.pk])
        assert staff_employee.department_id in actor.managed_department_ids
        assert staff_employee.manager.manager == actor.employee
        assert lead.has_perm("org.change_employee", staff_employee)
    assert not resolve_actor(staff).is_manager


def test_everyone_but_the_ceo_reports_to_their_department_leader_or_the_one_above(demo):
    ceo = next(e for e in employees_of(demo.company) if e.position.title == "首席执行官")
    assert ceo.manager is None
    for employee in employees_of(demo.company):
        if employee == ceo:
            continue
        department = employee.department
        if department.leader_id != employee.pk:
            assert employee.manager_id == department.leader_id, employee
        elif department.parent is not None:
            assert employee.manager_id == department.parent.leader_id, employee
        else:
            assert employee.manager_id == ceo.pk, employee


def test_every_employee_passes_validation_with_a_consistent_identity_number(demo):
    today = timezone.localdate()
    with scope(company=demo.company.pk):
        for employee in Employee.objects.all():
            employee.full_clean()
            validate_id_number(employee.id_number)
            assert employee.id_number[6:14] == f"{employee.birth_date:%Y%m%d}"
            assert int(employee.id_number[16]) % 2 == (employee.gender == "male")
            assert 22 <= _age(employee.birth_date, today) <= 55
            assert employee.email == f"{employee.employee_number.lower()}@galaxy-tech.example.com"
            assert employee.home_address and employee.phone


def test_probation_follows_the_hire_date(demo):
    today = timezone.localdate()
    statuses = Counter()
    for employee in employees_of(demo.company):
        statuses[employee.status] += 1
        assert employee.probation_end_date == add_months(employee.hire_date, 6)
        if employee.status != EmployeeStatus.LEFT:
            on_probation = employee.probation_end_date > today
            assert (employee.status == EmployeeStatus.PROBATION) == on_probation, employee
    assert statuses[EmployeeStatus.PROBATION] >= 3
    assert statuses[EmployeeStatus.LEFT] == 4


@pytest.mark.parametrize("today", [date(2026, 3, 1), date(2026, 11, 26), date(2028, 2, 29)])
def test_this_month_has_joiners_and_leavers_whatever_the_day(db, today):
    with time_machine.travel(f"{today} 10:00 +0800", tick=False):
        company = seed_demo_company().company
    people = employees_of(company)
    month_start = today.replace(day=1)
    joiners = [e for e in people if month_start <= e.hire_date <= today]
    leavers = [e for e in people if e.leave_date and month_start <= e.leave_date <= today]
    earlier = [e for e in people if e.leave_date and e.leave_date < month_start]
    assert len(joiners) >= 3
    assert len(leavers) == 2
    assert len(earlier) == 2
    assert all(e.status == EmployeeStatus.LEFT for e in leavers + earlier)
    assert min(e.hire_date for e in people) == add_months(today, -48)


def test_job_history_has_one_hire_per_employee_and_an_exit_per_leaver(demo):
    with scope(company=demo.company.pk):
        rows = list(JobHistory.objects.select_related("employee"))
    hires = [r for r in rows if r.change == JobChange.HIRE]
    exits = [r for r in rows if r.change == JobChange.EXIT]
    assert len(hires) == 60
    assert len({r.employee_id for r in hires}) == 60
    for row in hires:
        assert row.effective_date == row.employee.hire_date
        assert (row.department_id, row.manager_id) == (row.employee.department_id, row.employee.manager_id)
    assert sorted(r.effective_date for r in exits) == sorted(
        r.employee.leave_date for r in hires if r.employee.leave_date
    )


def test_change_history_starts_with_the_creation_of_every_row(demo):
    with scope(company=demo.company.pk):
        assert Employee.history.filter(history_type="+").count() == 60
        assert Department.history.filter(history_type="+").exclude(leader=None).count() == 6


def test_the_same_seed_gives_the_same_company_and_another_seed_another(db):
    def fingerprint(company):
        return [
            (e.employee_number, e.name, e.id_number, e.hire_date, e.phone, e.department.name,
             e.position.title, e.status)
            for e in employees_of(company)
        ]

    first = fingerprint(seed_demo_company(seed=7).company)
    assert fingerprint(seed_demo_company(seed=7).company) == first
    assert fingerprint(seed_demo_company(seed=8).company) != first


def test_if_empty_loads_once_and_then_leaves_the_database_alone(db):
    first = seed("--if-empty")
    assert "Created 星河科技有限公司: 60 employees in 6 departments" in first
    assert "lead       Employee  tandem-demo" in first
    for username in ("admin", "hr", "finance", "lead", "staff"):
        assert f"\n{username} " in first
    second = seed("--if-empty")
    # The sign-ins are shown again, so every `make demo` says how to get in.
    assert second.startswith("The database already holds a company: demo data not loaded.\n")
    assert second.split("\n", 1)[1] == first.split("\n", 1)[1]
    assert Company.objects.count() == 1
    with scopes_disabled():
        assert Employee.objects.count() == 60


def test_sign_ins_whose_password_was_changed_are_not_shown_again(db):
    seed("--if-empty")
    hr = User.objects.get(username="hr")
    hr.set_password("a-private-one-now")
    hr.save()
    again = seed("--if-empty")
    assert "\nadmin " in again
    assert "\nhr " not in again


def test_a_company_that_is_not_the_demo_gets_no_sign_in_table(db):
    Company.objects.create(name="别家公司")
    assert seed("--if-empty") == "The database already holds a company: demo data not loaded.\n"


def test_without_if_empty_an_existing_company_is_refused_unless_forced(demo):
    with pytest.raises(CommandError, match="already holds a company"):
        seed()
    assert Company.objects.count() == 1
    out = seed("--force-new-company", "--employees", "20")
    assert "Created 星河科技有限公司（2）: 20 employees" in out
    copy = Company.objects.get(name="星河科技有限公司（2）")
    assert Membership.objects.get(user__username="admin-2").company == copy
    assert User.objects.get(username="staff-2").check_password(DEMO_PASSWORD)
    assert len(employees_of(copy)) == 20
    assert employees_of(copy)[0].email == "e0001@galaxy-tech-2.example.com"


def test_too_few_employees_is_a_clear_error(db):
    with pytest.raises(CommandError, match="at least 20 employees"):
        seed("--employees", "5")
    assert not Company.objects.exists()


def test_a_failure_leaves_nothing_half_written(db, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_module, "_write_job_history", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        seed_demo_company()
    assert not Company.objects.exists()
    assert not User.objects.exists()
    with scopes_disabled():
        assert not Employee.objects.exists()
        assert not Department.objects.exists()


def test_a_bigger_company_grows_by_teams_of_at_most_forty_in_a_two_level_tree(db):
    company = seed_demo_company(employees=300).company
    departments = departments_of(company)
    people = Counter(e.department_id for e in employees_of(company))
    assert sum(people.values()) == 300
    assert max(people.values()) <= MAX_TEAM_SIZE
    assert all(d.parent is None or d.parent.parent is None for d in departments)
    assert {d.name for d in departments if d.parent is None} == {"研发中心", "市场销售部", "综合管理部"}
    assert {"后端组", "后端二组", "华北销售组", "人事组"} <= {d.name for d in departments}
    assert all(people[d.pk] >= 1 for d in departments)


@pytest.mark.parametrize("employees", [100, 300])
def test_seeding_costs_the_same_bounded_number_of_queries_at_100_and_300(
    db, employees, django_assert_max_num_queries, monkeypatch
):
    # The org chart alone (the demo OKRs and pay data have their own tests in
    # goals/tests/test_demo.py and pay/tests/test_records_demo.py).
    monkeypatch.setattr("tandem.goals.demo.seed_demo_goals", lambda company, today: None)
    monkeypatch.setattr("tandem.pay.demo.seed_demo_pay", lambda company, today, **_: None)
    monkeypatch.setattr("tandem.kpis.demo.seed_demo_kpis", lambda company, today, **_: None)
    # About 21 queries on PostgreSQL whatever the size. Django gives SQLite at most 999
    # parameters per statement, so there a bulk insert takes one statement per ~35 employees
    # (37 queries for 300): still one bound for both sizes, far below one query per person.
    with django_assert_max_num_queries(40):
        seed_demo_company(employees=employees)
