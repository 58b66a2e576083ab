"""The OKR template pages: the gallery by industry, applying a template from its page, and
saving an objective as a company template."""

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.goals.models import Objective, OkrTemplate
from tandem.goals.template_library import LIBRARY
from tandem.goals.testing_templates import make_templates


@pytest.fixture(autouse=True)
def today_in_the_quarter(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def templates(org):
    return make_templates(org)


def test_the_gallery_groups_the_library_by_industry(client_as, org):
    response = client_as(org.users["peer"]).get("/goals/templates/")
    assert response.status_code == 200
    html = response.content.decode()
    for spec in LIBRARY:
        assert f'data-industry="{spec.industry}"' in html
        assert spec.title in html
    assert html.index('data-industry="saas"') < html.index('data-industry="finance"')
    assert "周活跃用户数" in html and "8,000 → 15,000 人" in html
    assert "完成选题与调研" in html  # a milestone of the marketing template


def test_the_gallery_speaks_english_and_marks_company_templates(client_as, org, templates):
    client = client_as(org.users["peer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/goals/templates/").content.decode()
    assert "Get more teams using the product and staying" in html
    assert "Weekly active users" in html
    assert "Win key accounts" in html and "Company template" in html


def test_the_nav_links_to_the_gallery(client_as, org):
    html = client_as(org.users["staff"]).get("/goals/").content.decode()
    assert 'href="/goals/templates/"' in html


def test_the_gallery_costs_the_same_queries_whatever_the_number_of_templates(
        client_as, org, templates, django_assert_max_num_queries):
    client = client_as(org.users["peer"])
    with django_assert_max_num_queries(20) as few:
        client.get("/goals/templates/")
    with scope(company=org.company.pk):
        for number in range(10):
            template = OkrTemplate.objects.create(company=org.company, industry="sales",
                                                  title=f"T{number}")
            template.key_results.create(company=org.company, title="K", target_value=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/goals/templates/")
    assert response.content.decode().count("data-template=") == len(LIBRARY) + 11


def test_applying_from_the_page_creates_the_draft_and_opens_it(client_as, org, goals,
                                                               templates):
    client = client_as(org.users["staff"])
    page = client.get(f"/goals/templates/{templates.builtin.pk}/")
    assert page.status_code == 200
    assert f'<option value="{goals.quarter.pk}" selected>' in page.content.decode()
    response = client.post(f"/goals/templates/{templates.builtin.pk}/", {
        "cycle": goals.quarter.pk, "level": "individual",
        "owner_employee": org.employees["staff"].pk})
    with scope(company=org.company.pk):
        objective = Objective.objects.get(title="让更多团队用起来并留下来")
        assert (objective.owner_employee, objective.status, objective.key_results.count()) == (
            org.employees["staff"], "draft", 3)
    assert response.status_code == 302
    assert response["Location"] == f"/goals/objectives/{objective.pk}/"


def test_the_page_offers_only_the_levels_the_person_may_use(client_as, org, templates):
    html = client_as(org.users["staff"]).get(
        f"/goals/templates/{templates.builtin.pk}/").content.decode()
    assert '<option value="individual"' in html
    assert '<option value="department"' not in html
    assert '<option value="company"' not in html
    lead = client_as(org.users["lead"]).get(
        f"/goals/templates/{templates.builtin.pk}/").content.decode()
    assert '<option value="department"' in lead and '<option value="company"' not in lead


def test_a_refused_owner_shows_on_the_form(client_as, org, goals, templates):
    client = client_as(org.users["lead"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"/goals/templates/{templates.builtin.pk}/", {
        "cycle": goals.quarter.pk, "level": "department"})
    assert response.status_code == 200
    assert "A department objective needs its department." in response.content.decode()
    with scope(company=org.company.pk):
        assert Objective.objects.count() == 4


def test_hr_saves_an_objective_as_a_template_from_its_page(client_as, org, goals):
    client = client_as(org.users["hr"])
    assert client.get(f"/goals/objectives/{goals.peer.pk}/save-as-template/").status_code == 200
    response = client.post(f"/goals/objectives/{goals.peer.pk}/save-as-template/",
                           {"industry": "sales"})
    with scope(company=org.company.pk):
        template = OkrTemplate.objects.get(title="Win new customers")
        assert (template.industry, template.key_results.count()) == ("sales", 1)
    assert response.status_code == 302
    assert response["Location"] == f"/goals/templates/{template.pk}/"


def test_an_employee_may_not_save_templates(client_as, org, goals):
    client = client_as(org.users["staff"])
    assert client.post(f"/goals/objectives/{goals.staff.pk}/save-as-template/",
                       {"industry": "sales"}).status_code == 403


def test_another_companys_template_is_not_found(client_as, org, other_org, templates):
    theirs = make_templates(other_org)
    client = client_as(org.users["hr"])
    assert client.get(f"/goals/templates/{theirs.saved.pk}/").status_code == 404
    assert client.post(f"/goals/templates/{theirs.saved.pk}/", {}).status_code == 404
    html = client.get("/goals/templates/").content.decode()
    assert html.count("data-template=") == len(LIBRARY) + 1
    assert f'data-template="{theirs.saved.pk}"' not in html
