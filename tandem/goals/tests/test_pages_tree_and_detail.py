"""The objective detail and the objective and key result forms (the alignment tree page:
 test_tree_*.py)."""

from decimal import Decimal as D

from django.conf import settings
from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import KeyResult, Objective
from tandem.goals.testing import make_goals


def test_another_companys_objective_is_a_404(client_as, org, other_org, goals):
    theirs = make_goals(other_org)
    client = client_as(org.users["hr"])
    for url in (f"/goals/objectives/{theirs.staff.pk}/", f"/goals/objectives/{theirs.staff.pk}/edit/",
                f"/goals/key-results/{theirs.staff_kr.pk}/check-in/",
                f"/goals/tree/?cycle={theirs.quarter.pk}"):
        assert client.get(url).status_code == 404, url


def test_the_detail_shows_key_results_check_ins_and_alignment(client_as, org, goals):
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=D(20), confidence=3,
                          comment="slow start", by=org.users["staff"])
    html = client_as(org.users["peer"]).get(f"/goals/objectives/{goals.rnd.pk}/").content.decode()
    assert "Platform revenue" in html
    assert "Grow revenue" in html  # aligned to
    assert "Build the billing service" in html  # aligned below
    staff_page = client_as(org.users["peer"]).get(f"/goals/objectives/{goals.staff.pk}/")
    assert "slow start" in staff_page.content.decode()
    assert "3/10" in staff_page.content.decode()


def test_create_an_objective_then_a_key_result_from_the_pages(client_as, org, goals):
    client = client_as(org.users["staff"])
    assert client.get("/goals/objectives/new/").status_code == 200
    response = client.post("/goals/objectives/new/", {
        "cycle": goals.quarter.pk, "level": "individual",
        "owner_employee": org.employees["staff"].pk, "title": "Write the docs",
        "kind": "aspirational", "weight": "1", "parent": goals.rnd.pk})
    with scope(company=org.company.pk):
        objective = Objective.objects.get(title="Write the docs")
    assert response.status_code == 302
    assert response["Location"] == f"/goals/objectives/{objective.pk}/key-results/new/"
    response = client.post(f"/goals/objectives/{objective.pk}/key-results/new/", {
        "title": "Pages written", "measure_type": "number", "start_value": "0",
        "target_value": "40", "weight": "1", "owner": org.employees["staff"].pk})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        kr = KeyResult.objects.get(objective=objective)
    assert (kr.title, kr.target_value, kr.owner_id) == (
        "Pages written", D(40), org.employees["staff"].pk)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_form_errors_from_the_services_show_on_the_fields(client_as, org, goals):
    response = client_as(org.users["staff"]).post("/goals/objectives/new/", {
        "cycle": goals.quarter.pk, "level": "individual",
        "owner_employee": org.employees["staff"].pk, "title": "Misaligned",
        "kind": "committed", "weight": "1", "parent": goals.company.pk})
    assert response.status_code == 302  # aligning to the company is allowed
    response = english(client_as(org.users["staff"])).post(
        f"/goals/objectives/{goals.staff.pk}/key-results/new/", {
            "title": "Flat", "measure_type": "number", "start_value": "3",
            "target_value": "3", "weight": "1"})
    assert response.status_code == 200
    assert "The target must differ from the start." in response.content.decode()


def test_editing_a_cascaded_key_result_target_flows_down(client_as, org, goals):
    response = client_as(org.users["hr"]).post(f"/goals/key-results/{goals.company_kr.pk}/edit/", {
        "title": "Revenue", "start_value": "0", "target_value": "2000000", "weight": "1",
        "unit": "CNY", "reason": "bigger market", "version": "1"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert KeyResult.objects.get(pk=goals.rnd_kr.pk).target_value == D("1000000")


def test_rewording_an_approved_objective_on_its_page_resubmits_it(client_as, org, goals):
    with scope(company=org.company.pk):
        services.submit_objective(objective=goals.staff)
        services.approve_objective(objective=goals.staff)
        version = Objective.objects.get(pk=goals.staff.pk).version
    client = english(client_as(org.users["staff"]))
    page = client.get(f"/goals/objectives/{goals.staff.pk}/edit/").content.decode()
    assert "sends it back for approval" in page
    response = client.post(f"/goals/objectives/{goals.staff.pk}/edit/", {
        "title": "Bill every customer", "description": "", "kind": "committed", "weight": "1",
        "parent": goals.rnd.pk, "version": version})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        edited = Objective.objects.get(pk=goals.staff.pk)
    assert (edited.title, edited.status) == ("Bill every customer", "submitted")


def test_the_goals_section_is_in_the_navigation(client_as, org):
    html = client_as(org.users["staff"]).get("/").content.decode()
    assert 'href="/goals/"' in html
    assert 'href="/goals/tree/"' in html
