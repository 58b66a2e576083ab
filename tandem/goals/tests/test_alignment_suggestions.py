"""Alignment warnings and ranked parent suggestions (`goals.alignment`), in English and
Chinese, through the service, the API and the pages."""

import pytest
from django_scopes import scope

from tandem.goals import alignment, services
from tandem.goals.models import Level


@pytest.fixture
def english(org, goals):
    """Candidates of staff (Platform, under R&D): the quarter's and the year's company
    objectives, R&D's and Platform's; Sales' objective is outside staff's chain."""
    with scope(company=org.company.pk):
        new = services.create_objective
        c = org.company
        reliability = new(company=c, cycle=goals.quarter, level=Level.COMPANY,
                          title="Improve service reliability")
        yearly = new(company=c, cycle=goals.year, level=Level.COMPANY,
                     title="Launch billing and invoices for enterprise customers")
        platform = new(company=c, cycle=goals.quarter, level=Level.DEPARTMENT,
                       owner_department=org.platform, title="Faster billing service",
                       parent=goals.company)
        sales = new(company=c, cycle=goals.quarter, level=Level.DEPARTMENT,
                    owner_department=org.sales, title="Billing service sales")
        mine = new(company=c, cycle=goals.quarter, level=Level.INDIVIDUAL,
                   owner_employee=org.employees["staff"], title="Fix billing service errors",
                   description="Fewer failed invoices")
        services.create_key_result(objective=mine, title="Failed invoices per week",
                                   start_value=20, target_value=2)
    return {"reliability": reliability, "yearly": yearly, "platform": platform,
            "sales": sales, "mine": mine}


def test_english_suggestions_rank_by_similarity_within_the_owner_chain(org, goals, english,
                                                                          scoped):
    ranked = alignment.suggestions(english["mine"])
    titles = [s.objective.title for s in ranked]
    # staff's own billing objective (R&D's "Build the billing service" belongs to nobody
    # above staff: it is an individual objective) is not a candidate; Sales' is outside.
    # "invoices" is in its description and key result too: the year's objective comes first.
    assert titles == ["Launch billing and invoices for enterprise customers",
                      "Faster billing service", "Improve service reliability",
                      "Ship the platform", "Grow revenue"]
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1] > scores[2] > 0
    assert scores[3:] == [0.0, 0.0]


def test_chinese_suggestions(org, goals, scoped):
    new = services.create_objective
    c = org.company
    quality = new(company=c, cycle=goals.quarter, level=Level.COMPANY,
                  title="提高产品质量，减少缺陷")
    growth = new(company=c, cycle=goals.quarter, level=Level.COMPANY,
                 title="公司收入增长 30%", description="新客户销售额翻倍")
    east = new(company=c, cycle=goals.quarter, level=Level.DEPARTMENT,
               owner_department=org.sales, title="扩大华东地区销售额")
    mine = new(company=c, cycle=goals.quarter, level=Level.INDIVIDUAL,
               owner_employee=org.employees["peer"], title="提升华东地区新客户销售额")
    ranked = alignment.suggestions(mine)
    # Ties (no word in common) go to the older objective.
    assert [s.objective.pk for s in ranked] == [east.pk, growth.pk, goals.company.pk, quality.pk]
    assert ranked[0].score > ranked[1].score > 0
    assert [s.score for s in ranked[2:]] == [0.0, 0.0]


def test_a_department_objective_gets_the_company_and_the_departments_above(org, goals, scoped):
    platform = services.create_objective(
        company=org.company, cycle=goals.quarter, level=Level.DEPARTMENT,
        owner_department=org.platform, title="Platform uptime")
    own = services.create_objective(
        company=org.company, cycle=goals.quarter, level=Level.DEPARTMENT,
        owner_department=org.platform, title="Platform cost")
    candidates = {o.pk for o in alignment.candidate_parents(own)}
    assert candidates == {goals.company.pk, goals.rnd.pk}
    assert platform.pk not in candidates


def test_warnings(org, goals, english, scoped):
    assert alignment.alignment_warning(goals.peer) == alignment.NO_PARENT
    assert alignment.alignment_warning(goals.staff) is None
    assert alignment.alignment_warning(goals.rnd) is None
    assert alignment.alignment_warning(goals.company) is None
    outside = services.create_objective(
        company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
        owner_employee=org.employees["staff"], title="Help sales", parent=english["sales"])
    assert alignment.alignment_warning(outside) == alignment.OUTSIDE_CHAIN


def test_is_aligned_follows_the_chain_to_a_company_objective(org, goals, english, scoped):
    assert alignment.is_aligned(goals.staff) is True
    assert alignment.is_aligned(goals.rnd) is True
    assert alignment.is_aligned(goals.peer) is False
    assert alignment.is_aligned(goals.company) is False
    to_year = services.create_objective(
        company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
        owner_employee=org.employees["peer"], title="Yearly", parent=english["yearly"])
    assert alignment.is_aligned(to_year) is True
    assert alignment.is_aligned(english["sales"]) is False


def test_the_api_returns_the_warning_and_scored_suggestions(api_as, org, goals, english):
    url = f"/api/v1/objectives/{english['mine'].pk}/alignment-suggestions/"
    body = api_as(org.users["peer"]).get(url).json()
    assert body["warning"] == "no_parent"
    assert [s["id"] for s in body["suggestions"]] == [
        english["yearly"].pk, english["platform"].pk, english["reliability"].pk,
        goals.rnd.pk, goals.company.pk]
    assert body["suggestions"][1]["level"] == "department"
    assert body["suggestions"][1]["owner_name"] == "平台组"
    assert body["suggestions"][0]["score"] > body["suggestions"][1]["score"] > 0
    aligned = api_as(org.users["peer"]).get(
        f"/api/v1/objectives/{goals.staff.pk}/alignment-suggestions/").json()
    # An aligned objective has no warning; its candidates are still listed.
    assert aligned["warning"] is None
    assert {s["id"] for s in aligned["suggestions"]} == {
        goals.company.pk, goals.rnd.pk, english["platform"].pk, english["yearly"].pk,
        english["reliability"].pk}


def test_the_api_costs_the_same_queries_whatever_the_candidates(api_as, org, goals,
                                                                django_assert_num_queries):
    api = api_as(org.users["peer"])
    url = f"/api/v1/objectives/{goals.peer.pk}/alignment-suggestions/"
    with django_assert_num_queries(8):
        assert len(api.get(url).json()["suggestions"]) == 1
    with scope(company=org.company.pk):
        for n in range(4):
            objective = services.create_objective(
                company=org.company, cycle=goals.quarter, level=Level.COMPANY, title=f"C {n}")
            services.create_key_result(objective=objective, title=f"KR {n}")
    with django_assert_num_queries(8):
        assert len(api.get(url).json()["suggestions"]) == 5


def test_another_companys_objective_is_a_404(api_as, org, other_org, goals):
    url = f"/api/v1/objectives/{goals.peer.pk}/alignment-suggestions/"
    assert api_as(other_org.users["owner"]).get(url).status_code == 404
    assert api_as(org.users["peer"]).get(
        "/api/v1/objectives/abc/alignment-suggestions/").status_code == 404


def test_the_detail_page_warns_and_suggests_to_whoever_may_change(client_as, org, goals):
    url = f"/goals/objectives/{goals.peer.pk}/"
    page = client_as(org.users["peer"]).get(url).content.decode()
    assert 'data-warning="no_parent"' in page
    assert f'<li data-objective="{goals.company.pk}">' in page
    other = client_as(org.users["staff"]).get(url).content.decode()
    assert 'data-warning="no_parent"' in other
    assert "td-alignment-suggestions" not in other
    aligned = client_as(org.users["staff"]).get(f"/goals/objectives/{goals.staff.pk}/")
    assert "data-warning" not in aligned.content.decode()


def test_the_key_result_form_after_saving_an_unaligned_objective_warns(client_as, org, goals):
    response = client_as(org.users["peer"]).post("/goals/objectives/new/", {
        "cycle": goals.quarter.pk, "level": "individual", "title": "Win more customers",
        "owner_employee": org.employees["peer"].pk, "kind": "committed", "weight": "1"},
        follow=True)
    page = response.content.decode()
    assert response.redirect_chain and "/key-results/new/" in response.redirect_chain[-1][0]
    assert 'data-warning="no_parent"' in page
    assert f'<li data-objective="{goals.company.pk}">' in page
