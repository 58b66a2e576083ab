"""What a department leader may change, asked of the two rules in `org.services` directly and
through the services given an `actor`. The `org` fixture: lead leads R&D (so R&D and Platform);
staff is in Platform and reports to lead; peer, owner, hr and finance are in Sales."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_scopes import scope

from tandem.core.actor import resolve_actor
from tandem.org import services
from tandem.org.models import Department, Employee, JobHistory
from tandem.org.services import FieldsRefused, check_department_change, check_employee_change

DECIDED_ABOVE = "Where the top department you lead sits, and who leads it, is decided above you."
CHOOSE_PARENT = "Choose a parent among the departments you lead."
CHOOSE_LEADER = "Choose a leader from the departments you lead."
CHOOSE_DEPARTMENT = "Choose one of the departments you lead."
CHOOSE_POSITION = "Choose a position of the departments you lead, or one open to any department."
CHOOSE_MANAGER = "Choose a manager from the departments you lead."
ONLY_JOB_FIELDS = "As their manager you may change only the department, position and manager."
HR_ONLY = "Only HR and administrators can change this field."
HR_ONLY_PRIVATE = "Only HR and administrators can change private fields."


@pytest.fixture(autouse=True)
def scoped_in_english(org):
    with scope(company=org.company.pk), translation.override("en"):
        yield


@pytest.fixture
def actor(org):
    return lambda role: resolve_actor(org.users[role])


@pytest.fixture
def positions(org):
    """A position of Platform (inside lead's subtree), one of Sales (outside), one for any."""
    return {
        "ours": services.create_position(company=org.company, title="工程师",
                                         department=org.platform),
        "theirs": services.create_position(company=org.company, title="销售",
                                           department=org.sales),
        "anyone": services.create_position(company=org.company, title="助理"),
    }


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


# ---------------------------------------------------------------------------------------------
# Departments


@pytest.mark.parametrize("role", ["owner", "hr"])
def test_hr_and_admins_place_and_staff_departments_anywhere(org, actor, role):
    changes = {"parent": org.platform, "leader": org.employees["peer"]}
    assert check_department_change(actor(role), department=org.sales, changes=changes) is None
    assert check_department_change(actor(role), department=None, changes={"parent": None}) is None


def test_a_leader_creates_under_a_department_they_lead(org, actor):
    lead = actor("lead")
    for parent in (org.rnd, org.platform):
        changes = {"name": "数据组", "parent": parent, "leader": org.employees["staff"]}
        assert check_department_change(lead, department=None, changes=changes) is None


@pytest.mark.parametrize("parent", ["not given", "top level", "sales"])
def test_a_leader_cannot_create_outside_their_subtree(org, actor, parent):
    changes = {"name": "外部组"}
    if parent != "not given":
        changes["parent"] = org.sales if parent == "sales" else None
    assert refusal(lambda: check_department_change(
        actor("lead"), department=None, changes=changes)) == {"parent": [CHOOSE_PARENT]}


def test_a_leader_picks_the_leader_of_a_new_department_from_their_subtree(org, actor):
    changes = {"parent": org.platform, "leader": org.employees["peer"]}
    assert refusal(lambda: check_department_change(
        actor("lead"), department=None, changes=changes)) == {"leader": [CHOOSE_LEADER]}


def test_a_leader_moves_a_sub_department_within_their_subtree(org, actor):
    lead = actor("lead")
    deep = Department.objects.create(company=org.company, name="数据组", parent=org.platform)
    assert check_department_change(lead, department=deep, changes={"parent": org.rnd}) is None
    assert refusal(lambda: check_department_change(
        lead, department=deep, changes={"parent": org.sales})) == {"parent": [CHOOSE_PARENT]}
    assert refusal(lambda: check_department_change(
        lead, department=deep, changes={"parent": None})) == {"parent": [CHOOSE_PARENT]}


@pytest.mark.parametrize(("leader", "allowed"), [("staff", True), ("lead", True), ("peer", False)])
def test_a_leader_hands_a_sub_department_only_to_someone_inside_or_themself(
        org, actor, leader, allowed):
    def check():
        return check_department_change(actor("lead"), department=org.platform,
                                       changes={"leader": org.employees[leader]})

    if allowed:
        assert check() is None
    else:
        assert refusal(check) == {"leader": [CHOOSE_LEADER]}


def test_both_refusals_at_once(org, actor):
    changes = {"parent": org.sales, "leader": org.employees["peer"]}
    assert refusal(lambda: check_department_change(
        actor("lead"), department=org.platform, changes=changes)
    ) == {"parent": [CHOOSE_PARENT], "leader": [CHOOSE_LEADER]}


def test_the_top_department_they_lead_keeps_its_place_and_leader(org, actor):
    lead = actor("lead")
    assert check_department_change(lead, department=org.rnd, changes={"name": "研究院"}) is None
    # The values it already has are no change.
    unchanged = {"parent": None, "leader": org.employees["lead"], "name_en": "Research"}
    assert check_department_change(lead, department=org.rnd, changes=unchanged) is None
    assert refusal(lambda: check_department_change(
        lead, department=org.rnd, changes={"parent": org.sales, "leader": org.employees["staff"]})
    ) == {"parent": [DECIDED_ABOVE], "leader": [DECIDED_ABOVE]}
    # Even a parent or leader from inside their own subtree.
    assert refusal(lambda: check_department_change(
        lead, department=org.rnd, changes={"leader": org.employees["staff"]})
    ) == {"leader": [DECIDED_ABOVE]}


@pytest.mark.parametrize(("role", "department"), [
    ("lead", "sales"), ("staff", "platform"), ("finance", "sales"), ("peer", "new"),
])
def test_who_may_not_touch_the_department_at_all(org, actor, role, department):
    """Someone who leads no department creates none; a leader changes only their subtree."""
    with pytest.raises(PermissionDenied) as raised:
        check_department_change(actor(role), changes={"name": "x"},
                                department=None if department == "new" else getattr(org, department))
    assert type(raised.value) is PermissionDenied


def test_the_services_given_an_actor_apply_the_department_rule(org, actor):
    lead = actor("lead")
    assert refusal(lambda: services.update_department(
        department=org.platform, actor=lead, by=org.users["lead"], parent=org.sales,
    )) == {"parent": [CHOOSE_PARENT]}
    assert Department.objects.get(pk=org.platform.pk).parent == org.rnd
    assert refusal(lambda: services.create_department(
        company=org.company, name="越界", actor=lead,
    )) == {"parent": [CHOOSE_PARENT]}
    assert not Department.objects.filter(name="越界").exists()

    created = services.create_department(company=org.company, name="数据组", parent=org.platform,
                                         actor=lead)
    assert (created.parent, created.leader) == (org.platform, None)
    # An actor knows the subtree as it was when resolved (once per request): ask a new one.
    moved = services.update_department(department=created, parent=org.rnd, actor=actor("lead"))
    assert Department.objects.get(pk=moved.pk).parent == org.rnd


def test_without_an_actor_the_services_apply_no_leader_rule(org):
    """Callers that act for the company itself (the demo generator, fixtures) pass no actor."""
    services.update_department(department=org.rnd, parent=org.sales)
    assert Department.objects.get(pk=org.rnd.pk).parent == org.sales


# ---------------------------------------------------------------------------------------------
# Employees


@pytest.mark.parametrize("role", ["owner", "hr"])
def test_hr_and_admins_change_every_field(org, actor, role, positions):
    changes = {"name": "改名", "department": org.sales, "position": positions["theirs"],
               "manager": org.employees["peer"], "home_address": "上海"}
    staff = org.employees["staff"]
    assert check_employee_change(actor(role), employee=staff, changes=changes) is None
    assert check_employee_change(actor(role), employee=None, changes=changes) is None


def test_a_leader_moves_their_people_within_their_subtree(org, actor, positions):
    lead, staff = actor("lead"), org.employees["staff"]
    for changes in (
        {"department": org.rnd},
        {"department": org.platform, "position": positions["ours"]},
        {"position": positions["anyone"]},
        {"manager": org.employees["lead"]},
        {"manager": None, "position": None},
    ):
        assert check_employee_change(lead, employee=staff, changes=changes) is None, changes


def test_a_leader_keeps_their_people_inside_their_subtree(org, actor, positions):
    lead, staff = actor("lead"), org.employees["staff"]
    assert refusal(lambda: check_employee_change(
        lead, employee=staff, changes={"department": org.sales})
    ) == {"department": [CHOOSE_DEPARTMENT]}
    assert refusal(lambda: check_employee_change(
        lead, employee=staff, changes={"department": org.rnd, "position": positions["theirs"],
                                       "manager": org.employees["peer"]})
    ) == {"position": [CHOOSE_POSITION], "manager": [CHOOSE_MANAGER]}


def test_a_leader_may_not_change_any_other_field(org, actor):
    staff = org.employees["staff"]
    with pytest.raises(FieldsRefused) as raised:
        check_employee_change(actor("lead"), employee=staff, changes={
            "name": "改名", "status": "left", "home_address": "上海", "department": org.rnd,
        })
    assert isinstance(raised.value, PermissionDenied)
    assert raised.value.detail == ONLY_JOB_FIELDS
    assert raised.value.errors == {
        "name": [HR_ONLY], "status": [HR_ONLY], "home_address": [HR_ONLY_PRIVATE],
    }


def test_fields_refused_come_before_values_out_of_the_subtree(org, actor):
    with pytest.raises(FieldsRefused) as raised:
        check_employee_change(actor("lead"), employee=org.employees["staff"],
                              changes={"email": "x@example.com", "department": org.sales})
    assert raised.value.errors == {"email": [HR_ONLY]}


def test_values_a_record_already_has_are_no_change(org, actor):
    """A full form or a PUT sends every field: only the ones that change are judged."""
    staff = org.employees["staff"]
    changes = {"name": staff.name, "status": staff.status, "department": staff.department,
               "manager": staff.manager, "position": None}
    assert check_employee_change(actor("lead"), employee=staff, changes=changes) is None


@pytest.mark.parametrize(("role", "who"), [
    ("lead", "lead"), ("lead", "peer"), ("finance", "staff"), ("staff", "staff"),
    ("peer", "staff"), ("lead", None),
])
def test_who_may_not_touch_the_employee_at_all(org, actor, role, who):
    with pytest.raises(PermissionDenied) as raised:
        check_employee_change(actor(role), employee=org.employees[who] if who else None,
                              changes={"department": org.rnd})
    assert type(raised.value) is PermissionDenied


def test_the_services_given_an_actor_apply_the_employee_rule(org, actor):
    lead, staff = actor("lead"), org.employees["staff"]
    with pytest.raises(FieldsRefused):
        services.update_employee(employee=staff, actor=lead, name="改名", department=org.rnd)
    assert refusal(lambda: services.update_employee(
        employee=staff, actor=lead, department=org.sales)) == {"department": [CHOOSE_DEPARTMENT]}
    with pytest.raises(PermissionDenied):
        services.create_employee(company=org.company, actor=lead, employee_number="N1",
                                 name="新人", department=org.platform, hire_date=staff.hire_date)
    unchanged = Employee.objects.get(pk=staff.pk)
    assert (unchanged.name, unchanged.department) == ("staff", org.platform)
    assert not JobHistory.objects.filter(employee=staff).exists()
    assert not Employee.objects.filter(employee_number="N1").exists()

    services.update_employee(employee=staff, actor=lead, by=org.users["lead"],
                             department=org.rnd, note="合并")
    entry = JobHistory.objects.get(employee=staff)
    assert (entry.department, entry.note, entry.recorded_by) == (org.rnd, "合并", org.users["lead"])


def test_a_leader_seated_outside_the_subtree_they_lead_may_still_name_themself(org, actor):
    """peer sits in Sales and leads Platform: they may become staff's manager and lead a new
    team under Platform, but may not name someone else from Sales."""
    org.platform.leader = org.employees["peer"]
    org.platform.save()
    team = Department.objects.create(company=org.company, name="数据组", parent=org.platform)
    peer, staff, owner = actor("peer"), org.employees["staff"], org.employees["owner"]

    assert check_employee_change(peer, employee=staff, changes={"manager": org.employees["peer"]}
                                 ) is None
    assert check_department_change(peer, department=team, changes={"leader": org.employees["peer"]}
                                   ) is None
    assert refusal(lambda: check_employee_change(
        peer, employee=staff, changes={"manager": owner})) == {"manager": [CHOOSE_MANAGER]}
    assert refusal(lambda: check_department_change(
        peer, department=team, changes={"leader": owner})) == {"leader": [CHOOSE_LEADER]}


# ---------------------------------------------------------------------------------------------
# Pages and API ask the same functions


@pytest.fixture
def spy(monkeypatch):
    """Records each call of a rule of `org.services` (by the acting user), then applies it."""
    calls = []

    def install(name):
        rule = getattr(services, name)

        def recorded(actor, **kwargs):
            calls.append((actor.user.username, kwargs))
            return rule(actor, **kwargs)

        monkeypatch.setattr(services, name, recorded)
        return calls

    return install


def test_the_job_page_and_the_api_ask_check_employee_change(org, client_as, api_as, spy):
    calls = spy("check_employee_change")
    staff = org.employees["staff"]

    page = client_as(org.users["lead"]).post(f"/people/employees/{staff.pk}/edit/", {
        "department": org.rnd.pk, "position": "", "manager": org.employees["lead"].pk,
        "effective_date": "2026-05-01", "version": 1,
    })
    api = api_as(org.users["lead"]).patch(
        f"/api/v1/employees/{staff.pk}/", {"department": org.platform.pk, "version": 2},
        format="json"
    )

    assert (page.status_code, api.status_code) == (302, 200)
    assert calls == [
        ("lead", {"employee": staff, "changes": {
            "department": org.rnd, "position": None, "manager": org.employees["lead"]}}),
        ("lead", {"employee": staff, "changes": {"department": org.platform}}),
    ]


def test_the_department_pages_and_the_api_ask_check_department_change(org, client_as, api_as,
                                                                       spy):
    calls = spy("check_department_change")

    page = client_as(org.users["lead"]).post(f"/people/departments/{org.platform.pk}/edit/", {
        "name": "平台组", "parent": org.rnd.pk, "leader": org.employees["staff"].pk,
        "version": 1,
    })
    api = api_as(org.users["lead"]).patch(
        f"/api/v1/departments/{org.rnd.pk}/", {"name_en": "Research", "version": 1},
        format="json"
    )

    assert (page.status_code, api.status_code) == (302, 200)
    assert calls == [
        ("lead", {"department": org.platform, "changes": {
            "name": "平台组", "name_en": "", "parent": org.rnd, "leader": org.employees["staff"]}}),
        ("lead", {"department": org.rnd, "changes": {"name_en": "Research"}}),
    ]


def test_a_refusal_of_the_rule_shows_on_the_page_form(org, client_as, monkeypatch):
    """The choices offered already keep a leader inside their subtree; whatever the rule still
    refuses lands on the field it names."""
    def refuse(actor, **kwargs):
        raise ValidationError({"manager": ["Refused by the rule."]})

    monkeypatch.setattr(services, "check_employee_change", refuse)
    staff = org.employees["staff"]
    response = client_as(org.users["lead"]).post(f"/people/employees/{staff.pk}/edit/", {
        "department": org.rnd.pk, "manager": org.employees["lead"].pk,
        "effective_date": "2026-05-01", "version": 1,
    })

    assert response.status_code == 200
    assert response.context["form"].errors == {"manager": ["Refused by the rule."]}
    assert Employee.objects.get(pk=staff.pk).department == org.platform
