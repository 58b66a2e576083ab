"""Deleting OKR templates: HR and administrators delete their company's own, from the API and
from the pages (with a confirmation); a built-in template is refused by the data (409) with a
clear message; objectives made from a template are not affected."""

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scope

from tandem.goals import okr_templates
from tandem.goals.models import Objective, OkrTemplate, OkrTemplateKeyResult
from tandem.goals.okr_template_deletion import BUILTIN_MESSAGE
from tandem.goals.testing import make_goals
from tandem.goals.testing_templates import make_templates


@pytest.fixture
def templates(org):
    return make_templates(org)


def _exists(org, pk) -> bool:
    with scope(company=org.company.pk):
        return OkrTemplate.objects.filter(pk=pk).exists()


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("role", ["hr", "owner"])
def test_people_admins_delete_a_company_template_with_its_key_results(
        api_as, org, templates, role):
    response = api_as(org.users[role]).delete(f"/api/v1/okr-templates/{templates.saved.pk}/")
    assert response.status_code == 204
    assert not _exists(org, templates.saved.pk)
    with scope(company=org.company.pk):
        assert not OkrTemplateKeyResult.objects.filter(template_id=templates.saved.pk).exists()


@pytest.mark.parametrize("role", ["finance", "lead", "staff", "peer"])
def test_nobody_else_deletes_a_template(api_as, org, templates, role):
    response = api_as(org.users[role]).delete(f"/api/v1/okr-templates/{templates.saved.pk}/")
    assert response.status_code == 403
    assert _exists(org, templates.saved.pk)


def test_a_built_in_template_is_a_409_that_says_why(api_as, org, templates):
    api = _english(api_as(org.users["hr"]))
    response = api.delete(f"/api/v1/okr-templates/{templates.builtin.pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Built-in templates come with Tandem and cannot be deleted; only the "
                  "templates your company saved can.", "errors": {}}
    assert _exists(org, templates.builtin.pk)


def test_another_company_s_template_is_a_404(api_as, org, other_org, templates):
    theirs = make_templates(other_org)
    response = api_as(org.users["hr"]).delete(f"/api/v1/okr-templates/{theirs.saved.pk}/")
    assert response.status_code == 404
    with scope(company=other_org.company.pk):
        assert OkrTemplate.objects.filter(pk=theirs.saved.pk).exists()


def test_objectives_made_from_a_deleted_template_keep_everything(api_as, org, templates):
    goals = make_goals(org)
    with scope(company=org.company.pk):
        objective = okr_templates.apply_template(
            template=templates.saved, cycle=goals.quarter, level="individual",
            owner_employee=org.employees["staff"])
        before = (objective.title, [(kr.title, kr.target_value)
                                    for kr in objective.key_results.order_by("pk")])
    assert api_as(org.users["hr"]).delete(
        f"/api/v1/okr-templates/{templates.saved.pk}/").status_code == 204
    with scope(company=org.company.pk):
        kept = Objective.objects.get(pk=objective.pk)
        after = (kept.title, [(kr.title, kr.target_value)
                              for kr in kept.key_results.order_by("pk")])
    assert after == before == ("大客户拓展", [("新签大客户", 5)])


def test_the_pages_offer_delete_on_company_templates_to_people_admins_only(
        client_as, org, templates):
    delete_url = f"/goals/templates/{templates.saved.pk}/delete/"
    builtin_delete = f"/goals/templates/{templates.builtin.pk}/delete/"
    hr = client_as(org.users["hr"])
    gallery = hr.get("/goals/templates/").content.decode()
    assert f'href="{delete_url}"' in gallery
    assert f'href="{builtin_delete}"' not in gallery
    assert f'href="{delete_url}"' in hr.get(
        f"/goals/templates/{templates.saved.pk}/").content.decode()
    assert "td-template-delete" not in hr.get(
        f"/goals/templates/{templates.builtin.pk}/").content.decode()
    staff = client_as(org.users["staff"])
    assert "td-template-delete" not in staff.get("/goals/templates/").content.decode()
    assert "td-template-delete" not in staff.get(
        f"/goals/templates/{templates.saved.pk}/").content.decode()
    assert staff.get(delete_url).status_code == 403
    assert staff.post(delete_url).status_code == 403
    assert _exists(org, templates.saved.pk)


def test_the_page_asks_then_deletes(client_as, org, templates):
    client = _english(client_as(org.users["hr"]))
    url = f"/goals/templates/{templates.saved.pk}/delete/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete the template “Win key accounts”? This cannot be undone." in (
        confirm.content.decode())
    assert _exists(org, templates.saved.pk)  # asking deletes nothing
    response = client.post(url, follow=True)
    assert response.redirect_chain == [("/goals/templates/", 302)]
    assert "Template “Win key accounts” deleted." in response.content.decode()
    assert not _exists(org, templates.saved.pk)


def test_the_page_explains_why_a_built_in_template_stays(client_as, org, templates):
    client = _english(client_as(org.users["hr"]))
    url = f"/goals/templates/{templates.builtin.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    with translation.override("en"):
        assert str(BUILTIN_MESSAGE) in page.content.decode()
    assert "td-template-delete-confirm" not in page.content.decode()
    assert client.post(url).status_code == 409
    assert _exists(org, templates.builtin.pk)
