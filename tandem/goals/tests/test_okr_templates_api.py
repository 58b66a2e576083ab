"""/api/v1/okr-templates/: the library by industry, applying a template, saving an objective
as a template, tenancy and query counts."""

from decimal import Decimal

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.goals import okr_templates
from tandem.goals.models import Objective, OkrTemplate
from tandem.goals.template_library import LIBRARY
from tandem.goals.testing import make_goals
from tandem.goals.testing_templates import make_templates


@pytest.fixture
def templates(org):
    return make_templates(org)


def test_the_list_installs_the_library_on_first_use(api_as, org):
    response = api_as(org.users["peer"]).get("/api/v1/okr-templates/?page_size=100")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(LIBRARY)
    assert {row["industry"] for row in body["results"]} == {spec.industry for spec in LIBRARY}
    assert all(row["builtin"] for row in body["results"])


def test_filter_by_industry_and_the_language_of_the_request(api_as, org, templates):
    api = api_as(org.users["staff"])
    rows = api.get("/api/v1/okr-templates/?industry=sales").json()["results"]
    with scope(company=org.company.pk):
        builtin = OkrTemplate.objects.get(builtin_key="sales-new-revenue")
    assert [(row["id"], row["builtin"]) for row in rows] == [
        (builtin.pk, True), (templates.saved.pk, False)]
    assert [row["title"] for row in rows] == ["完成季度新签收入目标", "大客户拓展"]
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = api.get("/api/v1/okr-templates/?industry=sales")
    assert [row["title"] for row in english.json()["results"]] == [
        "Hit the quarter's new-business revenue", "Win key accounts"]
    assert api.get("/api/v1/okr-templates/?industry=nonsense").status_code == 400


def test_the_detail_shows_both_languages_and_the_key_results(api_as, org, templates):
    api = api_as(org.users["peer"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = api.get(f"/api/v1/okr-templates/{templates.builtin.pk}/").json()
    assert (body["industry"], body["title"], body["title_zh"], body["title_en"], body["kind"],
            body["builtin"]) == (
        "saas", "Get more teams using the product and staying", "让更多团队用起来并留下来",
        "Get more teams using the product and staying", "aspirational", True)
    assert body["key_results"][0] == {
        "title": "Weekly active users", "title_zh": "周活跃用户数",
        "title_en": "Weekly active users", "measure_type": "number",
        "start_value": "8000.0000", "target_value": "15000.0000", "unit": "users",
        "weight": "1.00", "milestones": []}
    assert len(body["key_results"]) == 3


def test_apply_creates_a_draft_objective_for_the_caller(api_as, org, goals, templates):
    response = api_as(org.users["staff"]).post(
        f"/api/v1/okr-templates/{templates.builtin.pk}/apply/",
        {"cycle": goals.quarter.pk, "level": "individual",
         "owner_employee": org.employees["staff"].pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["level"], body["owner_employee"], body["owner_department"], body["status"],
            body["title"], body["cycle"], body["kind"]) == (
        "individual", org.employees["staff"].pk, None, "draft", "让更多团队用起来并留下来",
        goals.quarter.pk, "aspirational")
    with scope(company=org.company.pk):
        objective = Objective.objects.get(pk=body["id"])
        assert [kr.target_value for kr in objective.key_results.order_by("pk")] == [
            Decimal("15000"), Decimal("40"), Decimal("2")]


def test_apply_for_a_department_by_its_leader(api_as, org, goals, templates):
    response = api_as(org.users["lead"]).post(
        f"/api/v1/okr-templates/{templates.saved.pk}/apply/",
        {"cycle": goals.quarter.pk, "level": "department", "owner_department": org.rnd.pk},
        format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["level"], response.json()["owner_department"],
            response.json()["title"]) == ("department", org.rnd.pk, "大客户拓展")


def test_apply_refuses_what_the_caller_may_not_write(api_as, org, goals, templates):
    api = api_as(org.users["staff"])
    url = f"/api/v1/okr-templates/{templates.builtin.pk}/apply/"
    company = api.post(url, {"cycle": goals.quarter.pk, "level": "company"}, format="json")
    assert company.status_code == 403
    colleague = api.post(url, {"cycle": goals.quarter.pk, "level": "individual",
                               "owner_employee": org.employees["peer"].pk}, format="json")
    assert colleague.status_code == 400
    assert set(colleague.json()["errors"]) == {"owner_employee"}
    empty = api.post(url, {}, format="json")
    assert empty.status_code == 400
    assert set(empty.json()["errors"]) == {"cycle", "level"}
    with scope(company=org.company.pk):
        assert Objective.objects.count() == 4


def test_hr_saves_an_objective_as_a_template(api_as, org, goals):
    response = api_as(org.users["hr"]).post(
        "/api/v1/okr-templates/", {"from_objective": goals.rnd.pk, "industry": "rnd"},
        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["industry"], body["title"], body["builtin"]) == (
        "rnd", "Ship the platform", False)
    assert [(kr["title"], kr["measure_type"], kr["target_value"])
            for kr in body["key_results"]] == [("Platform revenue", "currency", "500000.0000")]


def test_an_employee_may_not_save_templates(api_as, org, goals):
    response = api_as(org.users["staff"]).post(
        "/api/v1/okr-templates/", {"from_objective": goals.staff.pk}, format="json")
    assert response.status_code == 403


def test_another_companys_templates_and_objectives_are_not_found(api_as, org, other_org,
                                                                 templates):
    theirs = make_templates(other_org)
    their_goals = make_goals(other_org)
    api = api_as(org.users["hr"])
    assert api.get(f"/api/v1/okr-templates/{theirs.saved.pk}/").status_code == 404
    assert api.post(f"/api/v1/okr-templates/{theirs.saved.pk}/apply/", {},
                    format="json").status_code == 404
    saved = api.post("/api/v1/okr-templates/", {"from_objective": their_goals.company.pk},
                     format="json")
    assert saved.status_code == 400
    assert set(saved.json()["errors"]) == {"from_objective"}
    ids = {row["id"] for row in api.get("/api/v1/okr-templates/?page_size=100").json()["results"]}
    assert theirs.saved.pk not in ids and templates.saved.pk in ids
    with scope(company=other_org.company.pk):
        assert OkrTemplate.objects.count() == len(LIBRARY) + 1


def test_the_list_takes_a_constant_number_of_queries(api_as, org, templates,
                                                     django_assert_max_num_queries):
    api = api_as(org.users["peer"])
    api.get("/api/v1/okr-templates/")
    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/okr-templates/?page_size=100")
    with scope(company=org.company.pk):
        for number in range(10):
            template = OkrTemplate.objects.create(company=org.company, title=f"T{number}")
            template.key_results.create(company=org.company, title="K", target_value=5)
            template.key_results.create(company=org.company, title="L", target_value=6)
        okr_templates.ensure_library(company=org.company)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/v1/okr-templates/?page_size=100")
    assert response.json()["count"] == len(LIBRARY) + 11
