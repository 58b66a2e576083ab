"""Who may open which org page: every page renders for the roles that may use it and is a
403 for the others (roles from the `org` fixture)."""

import pytest
from django_scopes import scope

from tandem.org.models import Department, Employee, Position
from tandem.org.services import create_position

ROLES = ["owner", "hr", "finance", "lead", "staff", "peer"]
EVERYONE = set(ROLES)
PEOPLE_ADMINS = {"owner", "hr"}

# (url built from the org, roles allowed to GET it)
PAGES = [
    (lambda o: "/", EVERYONE),
    (lambda o: "/people/employees/", EVERYONE),
    (lambda o: "/people/departments/", EVERYONE),
    (lambda o: "/people/positions/", EVERYONE),
    (lambda o: f"/people/employees/{o.employees['staff'].pk}/", EVERYONE),
    (lambda o: f"/people/employees/{o.employees['peer'].pk}/", EVERYONE),
    (lambda o: "/people/employees/new/", PEOPLE_ADMINS),
    # lead manages staff (in their subtree), nobody but HR and admins edits peer.
    (lambda o: f"/people/employees/{o.employees['staff'].pk}/edit/", PEOPLE_ADMINS | {"lead"}),
    (lambda o: f"/people/employees/{o.employees['peer'].pk}/edit/", PEOPLE_ADMINS),
    (lambda o: f"/people/employees/{o.employees['lead'].pk}/edit/", PEOPLE_ADMINS),
    (lambda o: f"/people/employees/{o.employees['staff'].pk}/delete/", PEOPLE_ADMINS),
    (lambda o: "/people/departments/new/", PEOPLE_ADMINS | {"lead"}),
    (lambda o: f"/people/departments/{o.rnd.pk}/edit/", PEOPLE_ADMINS | {"lead"}),
    (lambda o: f"/people/departments/{o.platform.pk}/edit/", PEOPLE_ADMINS | {"lead"}),
    (lambda o: f"/people/departments/{o.sales.pk}/edit/", PEOPLE_ADMINS),
    (lambda o: f"/people/departments/{o.platform.pk}/delete/", PEOPLE_ADMINS),
    (lambda o: "/people/positions/new/", PEOPLE_ADMINS),
]


@pytest.fixture
def position(org):
    with scope(company=org.company.pk):
        return create_position(company=org.company, title="工程师", department=org.platform)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", range(len(PAGES)))
def test_page_renders_for_allowed_roles_and_refuses_others(org, client_as, role, page):
    build, allowed = PAGES[page]
    url = build(org)

    response = client_as(org.users[role]).get(url)

    assert response.status_code == (200 if role in allowed else 403), url


@pytest.mark.parametrize("role", ROLES)
def test_position_edit_and_delete_are_for_people_admins(org, client_as, position, role):
    client = client_as(org.users[role])
    expected = 200 if role in PEOPLE_ADMINS else 403

    assert client.get(f"/people/positions/{position.pk}/edit/").status_code == expected
    assert client.get(f"/people/positions/{position.pk}/delete/").status_code == expected


@pytest.mark.parametrize("role", sorted(EVERYONE - PEOPLE_ADMINS))
def test_refused_posts_change_nothing(org, client_as, position, role):
    client = client_as(org.users[role])
    responses = [
        client.post("/people/positions/new/", {"title": "黑客"}),
        client.post(f"/people/positions/{position.pk}/edit/", {"title": "改名"}),
        client.post(f"/people/positions/{position.pk}/delete/"),
        client.post(f"/people/departments/{org.sales.pk}/edit/", {"name": "改名"}),
        client.post(f"/people/departments/{org.sales.pk}/delete/"),
        client.post(f"/people/employees/{org.employees['peer'].pk}/edit/", {"name": "改名"}),
        client.post(f"/people/employees/{org.employees['peer'].pk}/delete/"),
    ]

    assert [r.status_code for r in responses] == [403] * 7
    with scope(company=org.company.pk):
        assert list(Position.objects.values_list("title", flat=True)) == ["工程师"]
        assert Department.objects.get(pk=org.sales.pk).name == "销售部"
        assert Employee.objects.get(pk=org.employees["peer"].pk).name == "peer"


def test_the_people_index_leads_to_the_employee_list(org, client_as):
    response = client_as(org.users["staff"]).get("/people/")

    assert response.status_code == 302
    assert response["Location"] == "/people/employees/"
