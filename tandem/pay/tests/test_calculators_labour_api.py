"""The labour-law calculators of the API: exact figures as money strings with two places, and
400s with field messages for input the schema refuses."""

import pytest
from django.conf import settings


@pytest.fixture
def api(org, api_as):
    client = api_as(org.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post(api, name, body):
    return api.post(f"/api/v1/calculators/{name}/", body, format="json")


def test_overtime_pay(api):
    response = post(api, "overtime-pay", {"monthly_wage": "10000", "workday_hours": "10",
                                          "rest_day_hours": "8", "holiday_hours": "8"})
    assert response.status_code == 200
    assert response.json() == {"hourly_wage": "57.47", "workday_pay": "862.07",
                               "rest_day_pay": "919.54", "holiday_pay": "1379.31",
                               "total": "3160.92"}


def test_probation(api):
    response = post(api, "probation", {"contract_type": "fixed", "term_months": 36,
                                       "contract_wage": "3000", "local_minimum_wage": "2740",
                                       "had_probation_with_employer": False})
    assert response.status_code == 200
    assert response.json() == {"max_probation_months": 6, "probation_wage_floor": "2740.00"}


def test_probation_of_an_open_ended_contract_needs_no_term(api):
    response = post(api, "probation", {"contract_type": "open_ended", "contract_wage": "12000",
                                       "local_minimum_wage": "2740"})
    assert response.status_code == 200
    assert response.json() == {"max_probation_months": 6, "probation_wage_floor": "9600.00"}


def test_annual_leave_of_a_leaver(api):
    response = post(api, "annual-leave", {
        "year": 2026, "cumulative_years_worked": "12", "leave_date": "2026-06-30",
        "taken_days": "2", "average_monthly_wage": "10000"})
    assert response.status_code == 200
    assert response.json() == {"full_year_days": 10, "prorated_days": 4,
                               "unused_days_payable": "2.0", "unused_leave_extra_pay": "1839.08"}


def test_annual_leave_of_a_joiner(api):
    response = post(api, "annual-leave", {
        "year": 2026, "cumulative_years_worked": "3", "join_date": "2026-07-01",
        "leave_date": None, "taken_days": "0", "average_monthly_wage": "10000"})
    assert response.status_code == 200
    assert response.json() == {"full_year_days": 5, "prorated_days": 2,
                               "unused_days_payable": "2.0", "unused_leave_extra_pay": "1839.08"}


def test_economic_compensation(api):
    response = post(api, "economic-compensation", {
        "service_start": "2005-03-01", "service_end": "2023-09-01",
        "average_monthly_wage": "50000", "local_average_monthly_wage": "12434"})
    assert response.status_code == 200
    assert response.json() == {"n": "12.0", "monthly_wage_used": "37302.00",
                               "compensation": "447624.00"}


@pytest.mark.parametrize("name, body, errors", [
    ("overtime-pay", {"monthly_wage": "10000", "workday_hours": "10", "rest_day_hours": "0",
                      "holiday_hours": "0", "bonus": "1"}, {"bonus": ["Unknown field."]}),
    ("overtime-pay", {"monthly_wage": 10000, "workday_hours": "10", "rest_day_hours": "0",
                      "holiday_hours": "0"},
     {"monthly_wage": ["This value has the wrong type for this field (see the API schema)."]}),
    ("overtime-pay", {"monthly_wage": "-1", "workday_hours": "10", "rest_day_hours": "0",
                      "holiday_hours": "0"},
     {"monthly_wage": ["Ensure this value is greater than or equal to 0."]}),
    ("overtime-pay", {"monthly_wage": "NaN", "workday_hours": "800", "rest_day_hours": "0",
                      "holiday_hours": "0"},
     {"monthly_wage": ["A valid number is required."],
      "workday_hours": ["Ensure this value is less than or equal to 744."]}),
    ("probation", {"contract_type": "fixed", "contract_wage": "3000",
                   "local_minimum_wage": "2740"},
     {"term_months": ["Give the term of a fixed-term contract in months."]}),
    ("probation", {"contract_type": "seasonal", "term_months": 12, "contract_wage": "3000",
                   "local_minimum_wage": "2740"},
     {"contract_type": ['"seasonal" is not a valid choice.']}),
    ("annual-leave", {"year": 2026, "cumulative_years_worked": "3", "join_date": "2026-07-01",
                      "leave_date": "2026-03-01", "taken_days": "0",
                      "average_monthly_wage": "10000"},
     {"leave_date": ["The leaving date is before the join date."]}),
    ("annual-leave", {"year": 2026, "cumulative_years_worked": "3", "join_date": "2027-01-01",
                      "taken_days": "0", "average_monthly_wage": "10000"},
     {"join_date": ["The join date is after the year."]}),
    ("annual-leave", {"year": 2007, "cumulative_years_worked": "3", "taken_days": "0",
                      "average_monthly_wage": "10000"},
     {"year": ["Ensure this value is greater than or equal to 2008."]}),
    ("economic-compensation", {"service_start": "2024-01-02", "service_end": "2024-01-01",
                               "average_monthly_wage": "10000",
                               "local_average_monthly_wage": "12434"},
     {"service_end": ["The last day of service is before the first."]}),
    ("economic-compensation", {"service_start": "2024-01-02"},
     {"service_end": ["This field is required."],
      "average_monthly_wage": ["This field is required."],
      "local_average_monthly_wage": ["This field is required."]}),
])
def test_invalid_input_is_a_400_with_field_messages(api, name, body, errors):
    response = post(api, name, body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Some fields are not valid.", "errors": errors}


@pytest.mark.parametrize("name", ["overtime-pay", "probation", "annual-leave",
                                  "economic-compensation"])
def test_a_body_that_is_not_an_object_is_a_400(api, name):
    response = api.post(f"/api/v1/calculators/{name}/", [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Some fields are not valid."


def test_every_member_may_calculate_and_visitors_may_not(org, api_as, client):
    body = {"monthly_wage": "8700", "workday_hours": "2", "rest_day_hours": "0",
            "holiday_hours": "0"}
    for role in ("owner", "hr", "finance", "lead", "peer"):
        response = api_as(org.users[role]).post("/api/v1/calculators/overtime-pay/", body,
                                                format="json")
        assert response.json()["total"] == "150.00", role  # 8700 ÷ 174 × 1.5 × 2
    assert client.post("/api/v1/calculators/overtime-pay/", body,
                       content_type="application/json").status_code == 401


def test_get_is_not_allowed(api):
    assert api.get("/api/v1/calculators/probation/").status_code == 405


def test_economic_compensation_with_the_minimum_wage(api):
    response = post(api, "economic-compensation", {
        "service_start": "2026-01-01", "service_end": "2026-03-31",
        "average_monthly_wage": "2000.00", "local_average_monthly_wage": "12434",
        "local_minimum_wage": "2740"})
    assert response.status_code == 200
    assert response.json() == {"n": "0.5", "monthly_wage_used": "2740.00",
                               "compensation": "1370.00"}
