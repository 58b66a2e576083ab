"""The labour-law calculator pages: the form, a posted result with its explanation (the whole
page without JS, the panel alone for htmx), field errors inline, in Chinese and English."""

import pytest
from django.conf import settings

PAGES = {
    "overtime": ("/pay/calculators/overtime/", "加班工资", "Overtime pay"),
    "probation": ("/pay/calculators/probation/", "试用期", "Probation"),
    "annual_leave": ("/pay/calculators/annual-leave/", "年休假", "Annual leave"),
    "economic_compensation": ("/pay/calculators/economic-compensation/", "经济补偿",
                              "Economic compensation"),
}
VALID = {
    "overtime": {"monthly_wage": "10000", "workday_hours": "10", "rest_day_hours": "8",
                 "holiday_hours": "8"},
    "probation": {"contract_type": "fixed", "term_months": "12", "contract_wage": "3000",
                  "local_minimum_wage": "2740"},
    "annual_leave": {"year": "2026", "cumulative_years_worked": "12", "leave_date": "2026-06-30",
                     "taken_days": "2", "average_monthly_wage": "10000"},
    "economic_compensation": {"service_start": "2020-03-01", "service_end": "2023-08-31",
                              "average_monthly_wage": "10000",
                              "local_average_monthly_wage": "12434"},
}
# A figure of the result, as the page marks it.
FIGURES = {
    "overtime": 'data-total="3160.92"',
    "probation": 'data-months="2"',
    "annual_leave": 'data-extra-pay="1839.08"',
    "economic_compensation": 'data-compensation="40000.00"',
}


@pytest.fixture
def staff(org, client_as):
    return client_as(org.users["staff"])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("name", PAGES)
def test_the_form_page_in_chinese_and_english(staff, name):
    url, chinese, english_title = PAGES[name]
    response = staff.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{chinese}</h1>" in html
    assert 'hx-post="' + url + '"' in html
    assert "style=" not in html and "<script>" not in html
    response = english(staff).get(url)
    assert f"<h1>{english_title}</h1>" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_posting_without_js_answers_the_whole_page_with_the_result(staff, name):
    response = staff.post(PAGES[name][0], VALID[name])
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html
    assert FIGURES[name] in html
    assert "计算过程" in html or "How this was computed" in html


@pytest.mark.parametrize("name", PAGES)
def test_posting_with_htmx_answers_the_panel_only(staff, name):
    response = english(staff).post(PAGES[name][0], VALID[name], HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" not in html and "<html" not in html
    assert FIGURES[name] in html
    assert "How this was computed" in html


def test_the_overtime_explanation_names_the_rule(staff):
    html = english(staff).post(PAGES["overtime"][0], VALID["overtime"]).content.decode()
    assert "Hourly wage = monthly wage 10,000.00 ÷ 174" in html
    assert "57.4713" in html
    assert "Statutory holidays: 8 h × 57.4713 × 300 %" in html
    assert "1,379.31" in html


def test_overtime_beyond_the_legal_limit_is_pointed_out(staff):
    body = VALID["overtime"] | {"workday_hours": "30"}
    html = english(staff).post(PAGES["overtime"][0], body).content.decode()
    assert "46 hours of overtime in a month is more than the legal limit of 36 hours" in html


def test_the_probation_result_names_the_article(staff):
    html = english(staff).post(PAGES["probation"][0], VALID["probation"]).content.decode()
    assert "A term of 1 year up to (not including) 3 years allows at most 2 months" in html
    assert "2 months" in html
    assert 'data-floor="2740.00"' in html


def test_a_task_contract_allows_no_probation(staff):
    body = VALID["probation"] | {"contract_type": "task", "term_months": ""}
    html = english(staff).post(PAGES["probation"][0], body).content.decode()
    assert 'data-months="0"' in html
    assert "None allowed" in html


def test_field_errors_show_inline(staff):
    body = VALID["probation"] | {"term_months": "", "contract_wage": "-5"}
    response = english(staff).post(PAGES["probation"][0], body, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the term of a fixed-term contract in months." in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert "data-months" not in html
    assert html.count('class="invalid-feedback d-block"') == 2


def test_annual_leave_dates_outside_the_year_are_refused_in_chinese(staff):
    body = VALID["annual_leave"] | {"leave_date": "2025-12-31"}
    html = staff.post(PAGES["annual_leave"][0], body).content.decode()
    assert "data-extra-pay" not in html
    assert 'class="invalid-feedback d-block"' in html


def test_economic_compensation_explains_the_cap_and_old_service(staff):
    body = VALID["economic_compensation"] | {"service_start": "2005-03-01",
                                             "service_end": "2023-09-01",
                                             "average_monthly_wage": "50000"}
    html = english(staff).post(PAGES["economic_compensation"][0], body).content.decode()
    assert 'data-compensation="447624.00"' in html
    assert "at most 12 years count" in html
    assert "Service before 1 January 2008" in html
    assert "18 / 6 / 1" in html


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get(PAGES["overtime"][0])
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/pay/calculators/overtime/"


@pytest.mark.parametrize("name", PAGES)
def test_a_calculation_costs_a_few_queries(staff, name, django_assert_max_num_queries):
    staff.get(PAGES[name][0])
    with django_assert_max_num_queries(6):
        assert staff.post(PAGES[name][0], VALID[name]).status_code == 200
