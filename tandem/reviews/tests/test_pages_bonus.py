"""The bonus pages: the policy list (HR and administrators edit, finance reads), the formula
editor with its variables and functions and the formula error with its position, the what-if
panel (htmx partial: every person's bonus, the total against the budget, nothing saved), and a
cycle's awards: recompute, approve into a pay month (a locked month refused on the form) and
the Excel export. Lists read in a constant number of queries."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay.models import PayItem, PayItemSource, PayrollRun, RunStatus
from tandem.reviews import services_bonus
from tandem.reviews.models import AwardStatus, BonusAward, BonusPolicy, Review
from tandem.reviews.testing import hr_actor, make_reviews

FORMULA = services_bonus.bonus.DEMO_FORMULA


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def policy_data(**changes):
    data = {"name": "Sales", "formula": FORMULA, "base_bonus": "8000", "extra_bonus": "0",
            "minimum_final_score": "", "cap": "", "budget": "", "scope": "company",
            "department": "", "position": "", "active": "on"}
    return {**data, **changes}


def test_the_list_for_hr_and_finance_and_nobody_else(org, reviews, en):
    en.force_login(org.users["hr"])
    html = en.get(reverse("reviews:bonus_policies")).content.decode()
    assert "New policy" in html and f'data-policy="{reviews.standard.pk}"' in html
    assert reverse("reviews:awards", args=[reviews.published.pk]) in html
    en.force_login(org.users["finance"])
    response = en.get(reverse("reviews:bonus_policies"))
    assert response.status_code == 200 and "New policy" not in response.content.decode()
    for role in ("lead", "staff", "peer"):
        en.force_login(org.users[role])
        assert en.get(reverse("reviews:bonus_policies")).status_code == 403


def test_the_list_reads_a_constant_number_of_queries(org, reviews, client,
                                                     django_assert_max_num_queries):
    client.force_login(org.users["hr"])
    url = reverse("reviews:bonus_policies")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["policies"]) == 1
    with scope(company=org.company.pk):
        for n in range(14):
            BonusPolicy.objects.create(company=org.company, name=f"P{n}", formula=FORMULA,
                                       base_bonus=Decimal(1), department=org.rnd)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).context["policies"]) == 15


def test_the_editor_lists_the_variables_and_functions(org, reviews, en):
    en.force_login(org.users["hr"])
    html = en.get(reverse("reviews:bonus_policy_new")).content.decode()
    assert "<code>months_in_cycle</code></dt><dd>Months employed in the review period</dd>" \
        in html
    assert "<code>clamp</code></dt><dd>clamp(x, low, high): x kept between low and high</dd>" \
        in html


def test_a_bad_formula_is_shown_on_its_field_with_its_position(org, reviews, en):
    en.force_login(org.users["hr"])
    response = en.post(reverse("reviews:bonus_policy_new"),
                       policy_data(formula="kpi_rate * bonus_base"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "formula": ["Unknown variable “bonus_base”. (at character 12)"]}
    with scope(company=org.company.pk):
        assert BonusPolicy.objects.count() == 1


def test_a_new_policy_for_a_department(english, org, reviews, en):
    en.force_login(org.users["hr"])
    response = en.post(reverse("reviews:bonus_policy_new"), policy_data(scope="department"))
    assert response.context["form"].errors == {"department": ["Choose the department."]}
    response = en.post(reverse("reviews:bonus_policy_new"),
                       policy_data(scope="department", department=org.rnd.pk,
                                   position="", cap="20000"))
    assert response.status_code == 302
    with scope(company=org.company.pk):
        saved = BonusPolicy.objects.get(name="Sales")
        assert (saved.department_id, saved.position_id, saved.cap, saved.updated_by_id) == (
            org.rnd.pk, None, Decimal("20000.00"), org.users["hr"].pk)
    assert response["Location"] == reverse("reviews:bonus_policy", args=[saved.pk])


def test_editing_a_policy_and_finance_reads_it_only(org, reviews, en):
    url = reverse("reviews:bonus_policy", args=[reviews.standard.pk])
    en.force_login(org.users["hr"])
    response = en.post(url, policy_data(name="Standard", budget="30000",
                                        version=reviews.standard.version))
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert BonusPolicy.objects.get(pk=reviews.standard.pk).budget == Decimal("30000.00")
    en.force_login(org.users["finance"])
    response = en.get(url)
    assert response.status_code == 200
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert en.post(url, policy_data(name="Standard")).status_code == 403


def simulate(client, policy, cycle, htmx=True, **changes):
    data = {"cycle": cycle.pk, "formula": FORMULA, "base_bonus": "10000",
            "extra_bonus": "5000", "minimum_final_score": "", "cap": "", "budget": "",
            "okr_weight": "", "kpi_weight": "", **changes}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("reviews:bonus_simulate", args=[policy.pk]), data, **headers)


def test_the_what_if_answers_with_every_person_and_the_budget(org, reviews, en):
    en.force_login(org.users["finance"])
    with scope(company=org.company.pk):
        before = list(BonusAward.objects.values_list("pk", "amount"))
    response = simulate(en, reviews.standard, reviews.published, budget="20000")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    simulation = response.context["simulation"]
    assert [(line.name, line.amount) for line in simulation.lines] == [
        ("staff", Decimal("12000.00")), ("peer", Decimal("12000.00"))]
    assert '<span class="badge text-bg-danger" data-budget="over">Over budget by 4000.00</span>' \
        in html
    # Other shares: staff 0.2 × 80 + 0.8 × 120 = 112.
    response = simulate(en, reviews.standard, reviews.published, formula="final_score * 10",
                        okr_weight="0.2", kpi_weight="0.8", budget="5000")
    assert [line.amount for line in response.context["simulation"].lines] == [
        Decimal("1120.00"), Decimal("1200.00")]
    assert 'data-budget="within">Within budget</span>' in response.content.decode()
    with scope(company=org.company.pk):
        assert list(BonusAward.objects.values_list("pk", "amount")) == before


def test_what_if_errors_the_formula_the_shares_and_a_person(english, org, reviews, en):
    en.force_login(org.users["hr"])
    response = simulate(en, reviews.standard, reviews.published, formula="kpi_rate * (2")
    assert response.status_code == 200 and response.context["simulation"] is None
    assert "This “(” is never closed. (at character 12)" in response.content.decode()
    response = simulate(en, reviews.standard, reviews.published, okr_weight="0.5")
    assert response.context["what_if"].errors == {"okr_weight": ["Give both shares or neither."]}
    # A division by zero for staff (OKR rate 0.8 − 0.8) is staff's error alone.
    response = simulate(en, reviews.standard, reviews.published,
                        formula="base_bonus / (okr_rate - 0.8)")
    lines = response.context["simulation"].lines
    assert [bool(line.error) for line in lines] == [True, False]
    assert 'data-error-count="1"' in response.content.decode()
    # Without htmx, the whole page with a 400.
    response = simulate(en, reviews.standard, reviews.published, htmx=False, formula="")
    assert response.status_code == 400 and "<html" in response.content.decode()


def test_the_what_if_refuses_people_who_may_not_run_it(org, reviews, client):
    for role in ("lead", "staff"):
        client.force_login(org.users[role])
        assert simulate(client, reviews.standard, reviews.published).status_code == 403


def test_the_awards_page_approves_into_a_month(org, reviews, en):
    url = reverse("reviews:awards", args=[reviews.published.pk])
    en.force_login(org.users["hr"])
    html = en.get(url).content.decode()
    assert html.count('data-award-status="proposed"') == 2 and "data-approve" in html
    response = en.post(url, {"action": "approve", "month": "2027-01",
                             "annual_bonus": "regular"})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert sorted(PayItem.objects.values_list("employee__name", "month", "source")) == [
            ("peer", date(2027, 1, 1), PayItemSource.REVIEW),
            ("staff", date(2027, 1, 1), PayItemSource.REVIEW)]
    html = en.get(url).content.decode()
    assert html.count('data-award-status="approved"') == 2 and "data-approve" not in html


def test_a_locked_month_is_shown_on_the_approval_form(org, reviews, en):
    with scope(company=org.company.pk):
        PayrollRun.objects.create(company=org.company, month=date(2027, 1, 1),
                                  status=RunStatus.APPROVED)
    en.force_login(org.users["hr"])
    response = en.post(reverse("reviews:awards", args=[reviews.published.pk]),
                       {"action": "approve", "month": "2027-01", "annual_bonus": "regular"})
    assert response.status_code == 400
    assert response.context["approve_form"].errors == {"month": [
        "The payroll of this month is approved: add the item to a later month as a "
        "correction."]}
    with scope(company=org.company.pk):
        assert not PayItem.objects.exists()


def test_recompute_replaces_the_proposed_awards(org, reviews, en):
    with scope(company=org.company.pk):
        services_bonus.save_policy(actor=hr_actor(org), company=org.company,
                                   policy=reviews.standard, base_bonus=Decimal("5000"))
    en.force_login(org.users["hr"])
    url = reverse("reviews:awards", args=[reviews.published.pk])
    assert en.post(url, {"action": "recompute"}).status_code == 302
    with scope(company=org.company.pk):
        assert sorted(BonusAward.objects.values_list("amount", flat=True)) == [
            Decimal("6000.00"), Decimal("6000.00")]
    response = en.post(reverse("reviews:awards", args=[reviews.open.pk]),
                       {"action": "recompute"})
    assert response.status_code == 400
    assert "Bonuses are computed once the results are published." in response.content.decode()


def test_finance_reads_the_awards_and_may_not_act(org, reviews, en):
    url = reverse("reviews:awards", args=[reviews.published.pk])
    en.force_login(org.users["finance"])
    response = en.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "data-approve" not in html
    assert "data-recompute" not in html and "Export to Excel" in html
    assert en.post(url, {"action": "recompute"}).status_code == 403
    en.force_login(org.users["lead"])
    assert en.get(url).status_code == 403


def test_the_awards_list_reads_a_constant_number_of_queries(org, reviews, client,
                                                            django_assert_max_num_queries):
    with scope(company=org.company.pk):
        BonusAward.objects.filter(review=reviews.peer_done).delete()
    client.force_login(org.users["hr"])
    url = reverse("reviews:awards", args=[reviews.published.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["awards"]) == 1
    with scope(company=org.company.pk):
        for n in range(14):
            person = make_employee(org.company, org.sales, name=f"extra{n}")
            review = Review.objects.create(company=org.company, cycle=reviews.published,
                                           employee=person, department=org.sales,
                                           okr_weight=Decimal("0.4"), kpi_weight=Decimal("0.6"))
            BonusAward.objects.create(company=org.company, review=review,
                                      policy=reviews.standard, amount=Decimal(n),
                                      raw=Decimal(n), explanation=["x"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).context["awards"]) == 15


def test_the_excel_export(english, org, reviews, en):
    from openpyxl import load_workbook

    en.force_login(org.users["finance"])
    # A job (core.export_jobs), finished at once under test: the start redirects to the file.
    response = en.get(reverse("reviews:awards_export", args=[reviews.published.pk]),
                      follow=True)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "bonuses-2026-Q4%20final.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("Employee number", "Name", "Department", "Final score", "Grade",
                           "Policy", "Formula result", "Bonus")
    assert [(row[1], row[4], row[7], row[8]) for row in rows[1:3]] == [
        ("staff", "A", 12000, "Proposed"), ("peer", "S", 12000, "Proposed")]
    assert rows[3][:2] == ("Total", "2 people") and rows[3][7] == 24000
    assert rows[1][10].startswith("Formula: if(kpi_rate > 1")


def test_the_awards_page_speaks_chinese_by_default(org, reviews, client):
    client.force_login(org.users["hr"])
    html = client.get(reverse("reviews:awards", args=[reviews.published.pk])).content.decode()
    assert '<html lang="zh-hans">' in html and "奖金" in html and "员工" in html
    with scope(company=org.company.pk):
        assert set(BonusAward.objects.values_list("status", flat=True)) == {
            AwardStatus.PROPOSED}
