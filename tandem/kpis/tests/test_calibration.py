"""Confidence calibration (`kpis.calibration`): the Brier score of each person's check-in
confidences against whether their key results reached their expectation, scored when a cycle
is closed and shown to leads on /kpis/tracking/calibration/."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st

from tandem.goals import services as goals_services
from tandem.kpis import calibration
from tandem.kpis.calibration import KeyResultOutcome, brier, calibrate
from tandem.kpis.models import CalibrationScore


def test_brier_examples():
    assert brier([]) is None
    assert brier([(10, True)]) == D("0")
    assert brier([(0, True)]) == D("1")
    assert brier([(5, True), (5, False)]) == D("0.25")
    # (0.8 − 1)² = 0.04 and (0.3 − 0)² = 0.09: mean 0.065
    assert brier([(8, True), (3, False)]) == D("0.065")


@given(st.lists(st.tuples(st.integers(0, 10), st.booleans()), min_size=1, max_size=30))
def test_brier_is_between_0_and_1_and_best_when_sure_and_right(pairs):
    score = brier(pairs)
    assert D(0) <= score <= D(1)
    assert brier([(10 if o else 0, o) for _c, o in pairs]) == D(0)
    assert brier([(0 if o else 10, o) for _c, o in pairs]) == D(1)


def test_calibrate_uses_each_key_results_expectation():
    outcomes = [
        KeyResultOutcome(progress=D("0.75"), expectation=D("0.7"), confidences=(6, 8)),  # hit
        KeyResultOutcome(progress=D("0.75"), expectation=D("1.0"), confidences=(9,)),  # miss
        KeyResultOutcome(progress=D("0.2"), expectation=D("1.0"), confidences=()),
    ]
    result = calibrate(outcomes)
    # (0.6−1)² = 0.16, (0.8−1)² = 0.04, (0.9−0)² = 0.81 → 1.01 / 3
    assert result == calibration.Calibration(brier=D("0.3367"), forecasts=3, key_results=3,
                                             reached=1, mean_confidence=D("7.67"))
    assert calibrate([KeyResultOutcome(D("1"), D("1"), ())]) is None


def _close_quarter(org, goals):
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(40), confidence=8)
        goals_services.check_in(key_result=goals.staff_kr, value=D(100), confidence=9)
        goals_services.check_in(key_result=goals.peer_kr, value=D(3), confidence=7)
        goals_services.update_cycle(cycle=goals.quarter, status="closed")


def test_closing_a_cycle_scores_each_owner(org, goals):
    _close_quarter(org, goals)
    with scope(company=org.company.pk):
        scores = {s.employee.name: s for s in CalibrationScore.objects.select_related("employee")}
    assert sorted(scores) == ["peer", "staff"]
    staff = scores["staff"]
    # staff's key result reached 1.0 (committed): (0.8−1)² and (0.9−1)² → 0.025
    assert (staff.brier, staff.forecasts, staff.reached, staff.key_results) == (
        D("0.025"), 2, 1, 1)
    assert scores["peer"].brier == D("0.49")  # 7/10 for a key result that missed


def test_closing_again_rescores_without_duplicates(org, goals):
    _close_quarter(org, goals)
    with scope(company=org.company.pk):
        goals_services.update_cycle(cycle=goals.quarter, name="2026-Q4 closed")
        assert CalibrationScore.objects.count() == 2


def test_an_active_cycle_is_not_scored(org, goals):
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(40), confidence=8)
        goals_services.update_cycle(cycle=goals.quarter, name="Q4")
        assert not CalibrationScore.objects.exists()


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("role,people", [
    ("hr", ["peer", "staff"]), ("owner", ["peer", "staff"]), ("lead", ["staff"]),
    ("staff", ["staff"]), ("peer", ["peer"]), ("finance", []),
])
def test_the_page_shows_leads_their_people(client_as, org, goals, role, people):
    _close_quarter(org, goals)
    response = _english(client_as(org.users[role])).get("/kpis/tracking/calibration/")
    assert response.status_code == 200
    html = response.content.decode()
    with scope(company=org.company.pk):
        shown = sorted(s.employee.name for s in CalibrationScore.objects.select_related(
            "employee") if f'id="calibration-{s.pk}"' in html)
    assert shown == people
    if people:
        assert "Brier score" in html
    else:
        assert "No closed cycle has been scored yet." in html
