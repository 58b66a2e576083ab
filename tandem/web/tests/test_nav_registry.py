"""The navigation registry: apps add entries, each request sees what its role may use."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import resolve, reverse

from tandem.core.actor import resolve_actor
from tandem.web.nav import NavRegistry, registry


def request_for(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    request.actor = resolve_actor(user)
    return request


@pytest.fixture
def menu():
    nav = NavRegistry()
    nav.section("home", "", order=0)
    nav.entry("home", "dashboard", "Dashboard", "dashboard", icon="home")
    nav.section("people", "People", order=50)
    nav.entry("people", "departments", "Departments", "org:department_list", icon="building",
              order=20)
    nav.entry("people", "employees", "Employees", "org:employee_list", icon="users", order=10)
    return nav


def flat(sections):
    return [(s.label, [(i.label, i.url, i.active) for i in s.items]) for s in sections]


def test_sections_and_entries_come_in_their_order(org, menu):
    sections = menu.menu(request_for(org.users["staff"], "/people/departments/new/"))

    assert flat(sections) == [
        ("", [("Dashboard", "/", False)]),
        ("People", [("Employees", "/people/employees/", False),
                    ("Departments", "/people/departments/", True)]),
    ]


def test_the_dashboard_is_active_only_on_its_own_page(org, menu):
    sections = menu.menu(request_for(org.users["staff"], "/"))

    assert [i.active for s in sections for i in s.items] == [True, False, False]


def test_entries_are_filtered_by_permission_and_empty_sections_disappear(org, menu):
    menu.section("pay", "Pay", order=40)
    menu.entry("pay", "payroll", "Payroll", "org:position_list", icon="wallet",
               permission="org.add_position")
    menu.entry("pay", "mine", "My payslips", "org:position_list", icon="wallet",
               permission=lambda request: request.actor.is_finance)

    assert [s.label for s in menu.menu(request_for(org.users["staff"]))] == ["", "People"]
    hr_menu = flat(menu.menu(request_for(org.users["hr"])))
    assert hr_menu[1] == ("Pay", [("Payroll", "/people/positions/", False)])
    finance_menu = flat(menu.menu(request_for(org.users["finance"])))
    assert finance_menu[1] == ("Pay", [("My payslips", "/people/positions/", False)])


def test_registering_a_key_again_replaces_the_entry(org, menu):
    menu.entry("people", "employees", "Staff", "org:employee_list", icon="users", order=10)

    labels = [i.label for s in menu.menu(request_for(org.users["hr"])) for i in s.items]
    assert labels == ["Dashboard", "Staff", "Departments"]


def test_unregister_removes_an_entry_or_a_section(org, menu):
    menu.unregister("people", "departments")
    assert flat(menu.menu(request_for(org.users["hr"])))[1][1] == [
        ("Employees", "/people/employees/", False)
    ]
    menu.unregister("people")
    assert [s.label for s in menu.menu(request_for(org.users["hr"]))] == [""]


def test_an_entry_in_an_unknown_section_is_a_configuration_error(org, menu):
    menu.entry("goals", "mine", "My OKRs", "dashboard", icon="target")

    with pytest.raises(ImproperlyConfigured, match="goals"):
        menu.menu(request_for(org.users["hr"]))


def test_nobody_outside_a_company_sees_entries(db, menu, django_user_model):
    loner = django_user_model.objects.create_user("loner")

    assert menu.menu(request_for(loner)) == []


def test_the_project_registry_holds_only_pages_that_exist(client):
    entries = registry.entries()
    foundation = [(e.section, e.key, e.url_name) for e in entries if e.section in {"home", "people"}]

    assert foundation == [
        ("home", "dashboard", "dashboard"),
        ("people", "employees", "org:employee_list"),
        ("people", "departments", "org:department_list"),
        ("people", "positions", "org:position_list"),
    ]
    for entry in entries:  # no placeholder: every entry names a page that resolves
        assert resolve(reverse(entry.url_name)).url_name
