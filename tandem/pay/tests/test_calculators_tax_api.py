"""The income-tax calculators of the API: exact figures out as strings with two places, strict
input refused with field messages, POST only, any member of the company."""

import pytest
from django.conf import settings

WITHHOLDING = "/api/v1/calculators/iit-withholding/"
BONUS = "/api/v1/calculators/annual-bonus-tax/"
STA_MONTH = {"income": "30000", "tax_free_income": "0", "special_deductions": "4500",
             "special_additional_deductions": "2000", "other_deductions": "0"}


@pytest.fixture
def api(org, api_as):
    client = api_as(org.users["peer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_sta_example_month_by_month(api):
    response = api.post(WITHHOLDING, {"first_month": 1, "first_wage_income_of_year": False,
                                      "months": [STA_MONTH] * 3}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["total_withheld"] == "3030.00"
    assert body["months"][1] == {
        "month": 2, "cumulative_income": "60000.00", "cumulative_basic_deduction": "10000.00",
        "cumulative_taxable_income": "37000.00", "rate": "0.10", "quick_deduction": "2520.00",
        "cumulative_tax": "1180.00", "withheld": "625.00", "cumulative_withheld": "1180.00",
    }
    assert [m["withheld"] for m in body["months"]] == ["555.00", "625.00", "1850.00"]


def test_defaults_a_mid_year_start_and_the_first_wage_income_flag(api):
    body = api.post(WITHHOLDING, {"first_month": 7, "first_wage_income_of_year": True,
                                  "months": [{"income": "10000", "special_deductions": "2000"}]},
                    format="json").json()
    assert body["months"][0]["month"] == 7
    assert body["months"][0]["cumulative_basic_deduction"] == "35000.00"
    assert body["months"][0]["cumulative_taxable_income"] == "0.00"
    assert body["total_withheld"] == "0.00"


@pytest.mark.parametrize("payload, errors", [
    ({}, {"months": ["This field is required."]}),
    ({"months": []}, {"months": ["Ensure this field has at least 1 elements."]}),
    ({"first_month": 11, "months": [STA_MONTH] * 3},
     {"months": ["Starting in month 11, at most 2 months fit in the tax year."]}),
    ({"first_month": 13, "months": [STA_MONTH]},
     {"first_month": ["Ensure this value is less than or equal to 12."]}),
    ({"months": [STA_MONTH], "year": 2026}, {"year": ["Unknown field."]}),
    ({"months": [STA_MONTH, {"income": "-1"}]},
     {"months.1.income": ["Ensure this value is greater than or equal to 0."]}),
    ({"months": [{"income": 30000}]},
     {"months.0.income": ["This value has the wrong type for this field (see the API schema)."]}),
    ({"months": [{"income": "30000", "bonus": "1"}]},
     {"months.0.bonus": ["Unknown field."]}),
    ({"months": [{"income": "1.234"}]},
     {"months.0.income": ["Ensure that there are no more than 2 decimal places."]}),
    ({"first_month": "1", "months": [STA_MONTH]},
     {"first_month": ["This value has the wrong type for this field (see the API schema)."]}),
])
def test_bad_withholding_input_is_a_400_with_field_messages(api, payload, errors):
    response = api.post(WITHHOLDING, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Some fields are not valid.", "errors": errors}


def test_the_bonus_with_both_methods(api, time_machine):
    time_machine.move_to("2026-12-20 10:00 +08:00", tick=False)
    response = api.post(BONUS, {"bonus": "36001", "other_annual_taxable_income": "60000"},
                        format="json")
    assert response.status_code == 200
    assert response.json() == {
        "tax": "3390.10", "rate": "0.10", "quick_deduction": "210.00",
        "separate_total_tax": "6870.10", "merged_total_tax": "7080.10", "cheaper": "separate",
        "separate_available": True, "separate_valid_until": "2027-12-31",
    }


def test_the_bonus_alone_has_no_totals(api):
    body = api.post(BONUS, {"bonus": "36000", "paid_on": "2026-01-31"}, format="json").json()
    assert body["tax"] == "1080.00"
    assert (body["separate_total_tax"], body["merged_total_tax"], body["cheaper"]) == (
        None, None, None)


def test_a_bonus_paid_after_2027_is_merged(api):
    body = api.post(BONUS, {"bonus": "36001", "other_annual_taxable_income": "60000",
                            "paid_on": "2028-01-15"}, format="json").json()
    assert body["separate_available"] is False
    assert body["tax"] == "3600.10"
    assert (body["separate_total_tax"], body["merged_total_tax"], body["cheaper"]) == (
        None, "7080.10", "merged")


@pytest.mark.parametrize("payload, errors", [
    ({}, {"bonus": ["This field is required."]}),
    ({"bonus": "abc"}, {"bonus": ["A valid number is required."]}),
    ({"bonus": "-5"}, {"bonus": ["Ensure this value is greater than or equal to 0."]}),
    ({"bonus": "1000", "on": "2026-01-01"}, {"on": ["Unknown field."]}),
    ({"bonus": "1000", "paid_on": "soon"},
     {"paid_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
])
def test_bad_bonus_input_is_a_400_with_field_messages(api, payload, errors):
    response = api.post(BONUS, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Some fields are not valid.", "errors": errors}


@pytest.mark.parametrize("url", [WITHHOLDING, BONUS])
def test_a_body_that_is_not_an_object_is_a_400(api, url):
    response = api.post(url, [1, 2], format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


@pytest.mark.parametrize("url", [WITHHOLDING, BONUS])
def test_only_post(api, url):
    assert api.get(url).status_code == 405


@pytest.mark.parametrize("url", [WITHHOLDING, BONUS])
def test_visitors_must_sign_in(client, url):
    assert client.post(url, {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("role", ["owner", "hr", "finance", "lead", "staff", "peer"])
def test_every_member_may_calculate(org, api_as, role):
    response = api_as(org.users[role]).post(BONUS, {"bonus": "1000"}, format="json")
    assert response.status_code == 200
    assert response.json()["tax"] == "30.00"


def test_the_largest_inputs_are_answered_not_a_500(api):
    largest = "999999999999.99"
    body = api.post(WITHHOLDING, {"months": [{"income": largest}] * 12}, format="json").json()
    assert body["months"][-1]["cumulative_income"] == "11999999999999.88"
    assert body["total_withheld"] == "5399999791079.95"  # 11,999,999,939,999.88 × 45% − 181,920
    body = api.post(BONUS, {"bonus": largest, "other_annual_taxable_income": largest,
                            "paid_on": "2026-12-20"}, format="json").json()
    assert body["merged_total_tax"] == "899999818079.99"
