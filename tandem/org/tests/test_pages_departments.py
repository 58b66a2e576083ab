"""The department pages: tree with leaders and head counts, create, rename, move, set the
leader and delete, with the services' refusals shown; leaders work inside their subtree."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django_scopes import scope

from tandem.core.testing import make_department, make_employee
from tandem.org.models import Department, EmployeeStatus


def as_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def errors(response, field):
    """The field's messages, read in the language the page was served in."""
    with translation.override(response.headers["Content-Language"]):
        return [str(m) for m in response.context["form"].errors[field]]


def departments(org):
    with scope(company=org.company.pk):
        return {
            d.name: (d.parent.name if d.parent else None, d.leader.name if d.leader else None)
            for d in Department.objects.select_related("parent", "leader")
        }


def test_tree_lists_departments_indented_with_leader_and_head_counts(org, client_as):
    make_employee(org.company, org.platform, name="left", status=EmployeeStatus.LEFT,
                  leave_date=org.employees["staff"].hire_date)

    response = client_as(org.users["staff"]).get("/people/departments/")

    rows = [(n.department.name, n.depth, n.headcount, n.total_headcount)
            for n in response.context["nodes"]]
    assert rows == [("研发部", 0, 1, 2), ("平台组", 1, 1, 1), ("销售部", 0, 4, 4)]
    html = response.content.decode()
    assert '<div class="td-depth-1">' in html
    assert f'<a href="/people/employees/{org.employees["lead"].pk}/">lead</a>' in html
    assert "/people/departments/new/" not in html  # staff may not add departments


def test_hr_creates_a_department(org, client_as):
    response = client_as(org.users["hr"]).post("/people/departments/new/", {
        "name": "数据组", "name_en": "Data", "parent": org.rnd.pk,
        "leader": org.employees["staff"].pk,
    })

    assert response.status_code == 302
    assert response["Location"] == "/people/departments/"
    assert departments(org)["数据组"] == ("研发部", "staff")


def test_hr_creates_a_top_level_department(org, client_as):
    client_as(org.users["hr"]).post("/people/departments/new/", {"name": "财务部"})

    assert departments(org)["财务部"] == (None, None)


def test_a_duplicate_name_under_the_same_parent_is_shown_on_the_field(org, client_as):
    client = as_english(client_as(org.users["hr"]))

    response = client.post("/people/departments/new/", {"name": "平台组", "parent": org.rnd.pk})

    assert response.status_code == 200
    assert errors(response, "name") == [
        "A department with this name already exists here."
    ]
    assert "A department with this name already exists here." in response.content.decode()
    assert "is-invalid" in response.content.decode()


def test_a_name_is_required(org, client_as):
    response = as_english(client_as(org.users["hr"])).post("/people/departments/new/", {"name": ""})

    assert errors(response, "name") == ["This field is required."]


def test_hr_renames_moves_and_sets_the_leader(org, client_as):
    response = client_as(org.users["hr"]).post(f"/people/departments/{org.platform.pk}/edit/", {
        "name": "基础平台组", "name_en": "Infrastructure", "parent": org.sales.pk,
        "leader": org.employees["peer"].pk, "version": 1,
    })

    assert response.status_code == 302
    assert departments(org)["基础平台组"] == ("销售部", "peer")
    assert "平台组" not in departments(org)


def test_moving_under_its_own_subtree_shows_the_services_error(org, client_as):
    client = as_english(client_as(org.users["hr"]))

    response = client.post(f"/people/departments/{org.rnd.pk}/edit/", {
        "name": "研发部", "parent": org.platform.pk, "leader": org.employees["lead"].pk,
        "version": 1,
    })

    assert response.status_code == 200
    assert errors(response, "parent") == [
        "A department cannot move under itself or one of its sub-departments."
    ]
    assert departments(org)["研发部"] == (None, "lead")


def test_someone_who_left_cannot_lead(org, client_as):
    gone = make_employee(org.company, org.sales, name="gone", status=EmployeeStatus.LEFT,
                         leave_date=org.employees["peer"].hire_date)

    response = client_as(org.users["hr"]).get(f"/people/departments/{org.sales.pk}/edit/")

    assert gone.pk not in [e.pk for e in response.context["form"].fields["leader"].queryset]


def test_deleting_an_empty_department(org, client_as):
    empty = make_department(org.company, "空部门", parent=org.sales)
    client = client_as(org.users["hr"])

    confirm = client.get(f"/people/departments/{empty.pk}/delete/")
    response = client.post(f"/people/departments/{empty.pk}/delete/")

    assert confirm.status_code == 200
    assert "空部门" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/people/departments/"
    assert "空部门" not in departments(org)


@pytest.mark.parametrize(("department", "message"), [
    ("rnd", "Move or delete the sub-departments first."),
    ("sales", "Move this department's people to another department first."),
])
def test_deleting_a_department_that_is_not_empty_shows_why(org, client_as, department, message):
    client = as_english(client_as(org.users["hr"]))
    pk = getattr(org, department).pk

    response = client.post(f"/people/departments/{pk}/delete/")

    assert response.status_code == 200
    assert response.context["error"] == message
    assert escape(message) in response.content.decode()
    with scope(company=org.company.pk):
        assert Department.objects.filter(pk=pk).exists()


# ---------------------------------------------------------------------------------------------
# Department leaders


def test_a_leader_adds_departments_only_inside_their_subtree(org, client_as):
    client = client_as(org.users["lead"])

    form = client.get("/people/departments/new/").context["form"]
    assert sorted(d.pk for d in form.fields["parent"].queryset) == sorted(
        [org.rnd.pk, org.platform.pk]
    )
    assert form.fields["parent"].required

    outside = client.post("/people/departments/new/", {"name": "越界", "parent": org.sales.pk})
    top = client.post("/people/departments/new/", {"name": "顶层"})
    inside = client.post("/people/departments/new/", {"name": "数据组", "parent": org.platform.pk})

    assert "parent" in outside.context["form"].errors
    assert "parent" in top.context["form"].errors
    assert inside.status_code == 302
    tree = departments(org)
    assert tree["数据组"] == ("平台组", None)
    assert "越界" not in tree and "顶层" not in tree


def test_a_leader_renames_and_moves_a_sub_department_within_the_subtree(org, client_as):
    data_team = make_department(org.company, "数据组", parent=org.platform)
    client = client_as(org.users["lead"])

    response = client.post(f"/people/departments/{data_team.pk}/edit/", {
        "name": "数据平台组", "parent": org.rnd.pk, "leader": org.employees["staff"].pk,
        "version": 1,
    })

    assert response.status_code == 302
    assert departments(org)["数据平台组"] == ("研发部", "staff")


def test_a_leader_cannot_pick_a_leader_from_outside(org, client_as):
    response = client_as(org.users["lead"]).post(f"/people/departments/{org.platform.pk}/edit/", {
        "name": "平台组", "parent": org.rnd.pk, "leader": org.employees["peer"].pk,
        "version": 1,
    })

    assert "leader" in response.context["form"].errors
    assert departments(org)["平台组"] == ("研发部", None)


def test_a_leader_renames_their_own_department_but_cannot_move_it(org, client_as):
    client = client_as(org.users["lead"])

    page = client.get(f"/people/departments/{org.rnd.pk}/edit/")
    response = client.post(f"/people/departments/{org.rnd.pk}/edit/", {
        "name": "研究院", "parent": org.sales.pk, "leader": org.employees["peer"].pk,
        "version": 1,
    })

    assert set(page.context["form"].fields) == {"name", "name_en", "version"}
    assert response.status_code == 302
    assert departments(org)["研究院"] == (None, "lead")


def test_a_leader_cannot_edit_or_delete_outside_their_subtree(org, client_as):
    client = client_as(org.users["lead"])

    assert client.post(f"/people/departments/{org.sales.pk}/edit/", {"name": "x"}).status_code == 403
    assert client.post(f"/people/departments/{org.platform.pk}/delete/").status_code == 403
    assert departments(org)["销售部"] == (None, None)
