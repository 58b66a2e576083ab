"""Two people edit the same record: the second save, made from the version both started from,
is refused with a clear message instead of silently overwriting the first. Services, API (409)
and pages (an error on top of the form that keeps the input and offers to reload)."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scope

from tandem.core.versioning import EditConflict
from tandem.org import services
from tandem.org.models import Department, Employee, JobHistory, Position

CONFLICT = "This record was changed by someone else meanwhile; reload and try again."
CONFLICT_ZH = "此记录已被他人修改，请重新加载后再试。"


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk):
        yield org


def load(model, pk):
    return model.objects.get(pk=pk)


def top_errors(response):
    """The form's errors on top, read in the language the page was served in."""
    assert response.status_code == 200
    with translation.override(response.headers["Content-Language"]):
        return [str(m) for m in response.context["form"].non_field_errors()]


def counts(employee):
    return (JobHistory.objects.filter(employee=employee).count(), employee.history.count())


# ---------------------------------------------------------------------------------------------
# Services


def test_the_second_of_two_employee_edits_from_one_version_is_refused(scoped):
    first, second = load(Employee, scoped.employees["staff"].pk), load(Employee, scoped.employees["staff"].pk)
    services.update_employee(employee=first, department=scoped.sales, manager=None,
                             effective_date=date(2026, 5, 1))
    before = counts(first)

    with pytest.raises(EditConflict) as conflict:
        services.update_employee(employee=second, phone="13800000000",
                                 position=services.create_position(company=scoped.company,
                                                                   title="工程师"))

    assert (conflict.value.expected, conflict.value.current) == (1, 2)
    saved = load(Employee, first.pk)
    assert (saved.department, saved.manager, saved.phone, saved.position, saved.version) == (
        scoped.sales, None, "", None, 2,
    )
    assert counts(saved) == before  # no job history row, no change-history record


def test_an_explicit_version_wins_over_the_loaded_one(scoped):
    staff = load(Employee, scoped.employees["staff"].pk)
    services.update_employee(employee=staff, version=1, phone="13800000000")
    assert staff.version == 2
    with pytest.raises(EditConflict):
        services.update_employee(employee=load(Employee, staff.pk), version=1, phone="13900000000")
    services.update_employee(employee=load(Employee, staff.pk), version=2, phone="13900000000")
    assert (load(Employee, staff.pk).phone, load(Employee, staff.pk).version) == ("13900000000", 3)


def test_one_instance_edited_twice_moves_on_with_each_save(scoped):
    staff = load(Employee, scoped.employees["staff"].pk)
    services.update_employee(employee=staff, phone="13800000000")
    services.update_employee(employee=staff, english_name="Lin")
    assert load(Employee, staff.pk).version == 3


@pytest.mark.parametrize("kind", ["department", "position"])
def test_departments_and_positions_are_versioned_too(scoped, kind):
    if kind == "department":
        model, pk, update, field = Department, scoped.sales.pk, services.update_department, "name_en"
        kwarg = "department"
    else:
        model, field, update, kwarg = Position, "title_en", services.update_position, "position"
        pk = services.create_position(company=scoped.company, title="工程师").pk
    first, second = load(model, pk), load(model, pk)
    update(**{kwarg: first, field: "first"})
    with pytest.raises(EditConflict):
        update(**{kwarg: second, field: "second"})
    saved = load(model, pk)
    assert (getattr(saved, field), saved.version, saved.history.count()) == ("first", 2, 2)


def test_the_change_history_still_records_every_landed_edit(scoped):
    staff = load(Employee, scoped.employees["staff"].pk)
    services.update_employee(employee=staff, phone="13800000000", by=scoped.users["hr"])
    latest = staff.history.first()
    assert (latest.phone, latest.history_user, latest.history_type) == (
        "13800000000", scoped.users["hr"], "~",
    )
    assert not hasattr(latest, "version")  # a concurrency token, not a business fact


# ---------------------------------------------------------------------------------------------
# API


@pytest.fixture
def as_hr(org, api_as):
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return api


def test_the_api_answers_409_to_an_update_from_an_old_version(org, as_hr):
    url = f"/api/v1/employees/{org.employees['staff'].pk}/"
    read = as_hr.get(url).json()
    assert read["version"] == 1
    assert as_hr.patch(url, {"phone": "13800000000", "version": 1}, format="json").status_code == 200

    response = as_hr.patch(url, {"department": org.sales.pk, "version": read["version"]},
                           format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": CONFLICT,
        "errors": {"version": ["You started from version 1; it is now at version 2."]},
    }
    with scope(company=org.company.pk):
        saved = Employee.objects.get(pk=org.employees["staff"].pk)
        assert (saved.department, saved.phone, saved.version) == (org.platform, "13800000000", 2)
        assert not JobHistory.objects.filter(employee=saved).exists()


def test_the_409_speaks_chinese_too(org, api_as):
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = f"/api/v1/departments/{org.sales.pk}/"
    api.patch(url, {"name_en": "Sales 1", "version": 1}, format="json")
    response = api.patch(url, {"name_en": "Sales 2", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == CONFLICT_ZH


@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_update_without_a_version_is_refused(org, as_hr, method):
    url = f"/api/v1/positions/{services_position(org).pk}/"
    response = getattr(as_hr, method)(url, {"title": "改名"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"version": [
        "Send the version you read, so that changes saved meanwhile are not overwritten."
    ]}
    with scope(company=org.company.pk):
        assert Position.objects.get(pk=services_position(org).pk).title == "工程师"


@pytest.mark.parametrize("version", ["two", 1.5, 0, 2**31, None, [1]])
def test_a_version_that_is_not_a_version_is_a_400(org, as_hr, version):
    url = f"/api/v1/departments/{org.sales.pk}/"
    response = as_hr.patch(url, {"name_en": "x", "version": version}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]


def test_a_version_sent_on_create_is_ignored(org, as_hr):
    response = as_hr.post("/api/v1/departments/", {"name": "新部门", "version": 7}, format="json")
    assert response.status_code == 201
    assert response.json()["version"] == 1


def test_the_schema_documents_the_contract(org, as_hr):
    schema = as_hr.get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/employees/{id}/"]
    components = schema["components"]["schemas"]
    assert "409" in operations["patch"]["responses"]
    assert "409" in operations["put"]["responses"]
    assert "version" in components["PatchedEmployeeRequest"]["required"]
    assert "version" in components["EmployeeUpdateRequest"]["required"]
    assert "version" not in components["EmployeeRequest"]["properties"]
    assert "version" in components["Employee"]["required"]


def services_position(org):
    with scope(company=org.company.pk):
        return Position.objects.get_or_create(company=org.company, title="工程师")[0]


# ---------------------------------------------------------------------------------------------
# Pages


def test_the_edit_page_carries_the_version_in_a_hidden_field(org, client_as):
    page = client_as(org.users["hr"]).get(f"/people/departments/{org.sales.pk}/edit/")
    assert b'<input type="hidden" name="version" value="1"' in page.content


def test_a_stale_page_shows_the_conflict_keeps_the_input_and_offers_to_reload(org, client_as):
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        services.update_employee(employee=Employee.objects.get(pk=staff.pk), phone="13800000000")
    url = f"/people/employees/{staff.pk}/edit/"

    response = client.post(url, {
        "employee_number": staff.employee_number, "name": "我的改动", "gender": "unspecified",
        "department": org.sales.pk, "manager": "", "employment_type": "full_time",
        "status": "active", "hire_date": "2024-03-01", "version": 1,
    })

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert top_errors(response) == [CONFLICT]
    body = response.content.decode()
    assert 'value="我的改动"' in body  # the user's input is still there
    assert f'<a class="alert-link" href="{url}">Reload the current version</a>' in body
    with scope(company=org.company.pk):
        saved = Employee.objects.get(pk=staff.pk)
        assert (saved.name, saved.department, saved.phone, saved.version) == (
            "staff", org.platform, "13800000000", 2,
        )
        assert not JobHistory.objects.filter(employee=saved).exists()


def test_a_stale_page_in_chinese(org, client_as):
    client = client_as(org.users["hr"])
    with scope(company=org.company.pk):
        services.update_department(department=Department.objects.get(pk=org.sales.pk),
                                   name_en="Sales 1")
    response = client.post(f"/people/departments/{org.sales.pk}/edit/", {
        "name": "销售中心", "name_en": "", "parent": "", "leader": "", "version": 1,
    })
    assert response.headers["Content-Language"] == "zh-hans"
    assert top_errors(response) == [CONFLICT_ZH]


def test_a_form_posted_without_its_version_is_refused_on_top(org, client_as):
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    position = services_position(org)
    response = client.post(f"/people/positions/{position.pk}/edit/", {
        "title": "高级工程师", "title_en": "", "department": "", "description": "",
    })
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert top_errors(response) == [
        "This page is out of date. Reload it and make your changes again."
    ]
    with scope(company=org.company.pk):
        assert Position.objects.get(pk=position.pk).title == "工程师"
