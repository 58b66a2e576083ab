"""The calculators' index and the income-tax calculator pages: server-side validation with
errors on the fields, htmx answers with the panel only, a normal POST with the whole page, and
both languages."""

import re

import pytest
from django.conf import settings

IIT = "/pay/calculators/iit/"
BONUS = "/pay/calculators/annual-bonus/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def english(org, client_as):
    client = client_as(org.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def withheld(html: str) -> list[str]:
    return re.findall(r'data-withheld="([^"]+)"', html)


def test_the_index_links_each_calculator(english):
    response = english.get("/pay/calculators/")
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'href="(/pay/calculators/[^"]+)"', html)
    assert links == [IIT, BONUS, "/pay/calculators/overtime/", "/pay/calculators/probation/",
                     "/pay/calculators/annual-leave/",
                     "/pay/calculators/economic-compensation/"]
    assert "Income tax withholding" in html and "Annual bonus tax" in html


def test_the_index_speaks_chinese_by_default(org, client_as):
    html = client_as(org.users["peer"]).get("/pay/calculators/").content.decode()
    assert "计算器" in html and "个税预扣" in html


def test_visitors_go_to_the_sign_in_page(client):
    response = client.get(IIT)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={IIT}"


def test_the_iit_form_posts_with_htmx_and_without(english):
    html = english.get(IIT).content.decode()
    assert f'hx-post="{IIT}"' in html and 'hx-target="#td-calculator"' in html
    assert f'method="post" action="{IIT}"' in html
    assert 'name="income"' in html and 'name="months" value="12"' in html


def test_the_same_figures_for_three_months_without_js(english):
    response = english.post(IIT, {"first_month": "1", "months": "3", "income": "30000",
                                  "special_deductions": "4500",
                                  "special_additional_deductions": "2000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html  # the whole page
    assert withheld(html) == ["555.00", "625.00", "1850.00"]
    assert 'data-total-withheld="3030.00"' in html and "¥3,030.00" in html
    # Each month explains itself, in the reader's language.
    assert "Cumulative basic deduction (5,000 a month)" in html and "10 %" in html


def test_an_htmx_post_answers_with_the_panel_only(english):
    response = english.post(IIT, {"first_month": "7", "months": "2", "income": "30000",
                                  "special_deductions": "4500",
                                  "special_additional_deductions": "2000"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and 'id="td-calculator"' not in html
    assert withheld(html) == ["555.00", "625.00"]
    assert 'data-month="7"' in html and "Month 8" in html


def test_errors_show_on_their_fields(english):
    response = english.post(IIT, {"first_month": "11", "months": "3", "income": ""}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "Starting in month 11, at most 2 months fit in the tax year." in html
    assert html.count("is-invalid") == 2
    assert withheld(html) == []


def test_edit_each_month_then_calculate(english):
    expanded = english.post(IIT, {"first_month": "10", "months": "3", "income": "30000",
                                  "special_deductions": "4500", "each_month": "1"},
                            **HTMX).content.decode()
    assert re.findall(r'name="month-(\d)-income" value="30000"', expanded) == ["0", "1", "2"]
    assert "Month 10" in expanded and "Month 12" in expanded
    assert 'name="months"' not in expanded and withheld(expanded) == []
    response = english.post(IIT, {
        "first_month": "10", "month-TOTAL_FORMS": "3", "month-INITIAL_FORMS": "3",
        "month-0-income": "30000", "month-0-special_deductions": "4500",
        "month-1-income": "0", "month-1-special_deductions": "4500",
        "month-2-income": "60000", "month-2-special_deductions": "4500"}, **HTMX)
    html = response.content.decode()
    # October 20,500 × 3% = 615; November 11,000 × 3% = 330 < 615: nothing, no refund;
    # December 61,500 × 10% − 2,520 = 3,630, of which 615 already withheld.
    assert withheld(html) == ["615.00", "0.00", "3015.00"]
    assert "Negative balance: nothing is withheld and nothing refunded" in html


def test_month_forms_that_do_not_fit_in_the_year_are_refused(english):
    response = english.post(IIT, {
        "first_month": "12", "month-TOTAL_FORMS": "2", "month-INITIAL_FORMS": "2",
        "month-0-income": "1000", "month-1-income": "1000"}, **HTMX)
    html = response.content.decode()
    assert "Starting in month 12, at most 1 months fit in the tax year." in html
    assert withheld(html) == []


def test_the_iit_page_in_chinese(org, client_as):
    html = client_as(org.users["peer"]).post(IIT, {
        "first_month": "1", "months": "1", "income": "10000"}).content.decode()
    assert withheld(html) == ["150.00"]
    assert "个税预扣" in html and "累计预扣预缴应纳税所得额" in html and "1月" in html


def test_the_bonus_compared_both_ways(english):
    response = english.post(BONUS, {"bonus": "36001", "other_annual_taxable_income": "60000",
                                    "paid_on": "2026-12-20"}, **HTMX)
    html = response.content.decode()
    assert 'data-tax="3390.10"' in html and "¥3,390.10" in html
    assert 'data-separate-total="6870.10"' in html and 'data-merged-total="7080.10"' in html
    assert "Rate 10 %, quick deduction 210.00" in html
    assert html.count("Cheaper</span>") == 1
    assert html.index("Cheaper</span>") < html.index("Merged into comprehensive income")


def test_a_bonus_paid_after_2027_says_separate_taxation_has_ended(english):
    html = english.post(BONUS, {"bonus": "36001", "paid_on": "2028-02-01"}).content.decode()
    assert "Separate taxation of the annual bonus was available until" in html
    assert 'data-tax="1080.10"' in html
    assert "data-separate-total" not in html


def test_bonus_errors_show_on_their_fields(english):
    html = english.post(BONUS, {"bonus": "-3", "paid_on": "someday"}, **HTMX).content.decode()
    assert "Ensure this value is greater than or equal to 0." in html
    assert "Enter a valid date." in html
    assert "data-tax" not in html


def test_the_bonus_page_in_chinese(org, client_as):
    html = client_as(org.users["peer"]).post(BONUS, {"bonus": "36000"}).content.decode()
    assert 'data-tax="1080.00"' in html and "年终奖" in html


@pytest.mark.parametrize("url, data", [
    (IIT, {"first_month": "1", "months": "12", "income": "30000"}),
    (BONUS, {"bonus": "36001", "other_annual_taxable_income": "60000",
             "paid_on": "2026-12-20"}),
])
def test_a_calculation_costs_a_few_queries_whatever_its_size(english, url, data,
                                                             django_assert_max_num_queries):
    english.get(url)
    with django_assert_max_num_queries(6):
        assert english.post(url, data).status_code == 200


def test_enter_in_a_field_calculates(english):
    """A browser submits a form with its first submit button when Enter is pressed in a
    field: that must be Calculate, not "Edit each month"."""
    html = english.get(IIT).content.decode()
    form = html.split(f'hx-post="{IIT}"', 1)[1].split('</form>', 1)[0]
    first = re.search(r'<button type="submit"[^>]*>([^<]*)</button>', form)
    assert first.group(1) == "Calculate"
    assert "name=" not in first.group(0)
