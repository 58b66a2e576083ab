"""`goals.pace.objective_rows` uses the pace rule of `kpis.pace` (plan, milestones, linear) and
gives each key result its forecast at the cycle end (least squares through its check-ins)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.goals import selectors
from tandem.goals import services as goals_services
from tandem.goals.pace import objective_rows
from tandem.goals.policy import policy_for

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def early(time_machine):
    time_machine.move_to("2026-10-11 10:00 +08:00", tick=False)


def _row(org, objective, kr):
    with scope(company=org.company.pk):
        objective = (selectors.objectives_with_owners()
                     .prefetch_related(selectors.key_results_prefetch()).get(pk=objective.pk))
        (row,) = objective_rows([objective], TODAY, policy_for(org.company))
    return next(r for r in row.krs if r.kr.pk == kr.pk)


def test_the_forecast_follows_the_check_ins(org, goals, time_machine):
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(10), confidence=7)
        time_machine.move_to("2026-10-21 10:00 +08:00", tick=False)
        goals_services.check_in(key_result=goals.staff_kr, value=D(20), confidence=7)
    row = _row(org, goals.staff, goals.staff_kr)
    # 1 a day from 10-11: 10 + 81 days by 12-31 = 91
    assert row.forecast == D("91.0000")
    assert row.forecast_progress == D("0.91")


def test_no_forecast_with_one_check_in_day(org, goals):
    with scope(company=org.company.pk):
        goals_services.check_in(key_result=goals.staff_kr, value=D(10), confidence=7)
    row = _row(org, goals.staff, goals.staff_kr)
    assert (row.forecast, row.forecast_progress) == (None, None)


def test_the_pace_plan_of_a_key_result_sets_its_expectation(org, goals):
    with scope(company=org.company.pk):
        goals.staff_kr.pace_plan = [["2026-11-30", "0.1"], ["2026-12-31", "1"]]
        goals.staff_kr.save()
    assert _row(org, goals.staff, goals.staff_kr).expected == D("0.0933")
    assert _row(org, goals.peer, goals.peer_kr).expected == D("0.6154")


def test_a_milestone_key_result_expects_its_due_milestones(org, goals):
    from tandem.goals.services import MilestoneSpec

    with scope(company=org.company.pk):
        kr = goals_services.create_key_result(
            objective=goals.staff, title="Launch", measure_type="milestone",
            milestones=[MilestoneSpec(title="Design", weight=D(1), due=date(2026, 10, 31)),
                        MilestoneSpec(title="Build", weight=D(2), due=date(2026, 12, 15)),
                        MilestoneSpec(title="Ship", weight=D(1), due=None)])
    row = _row(org, goals.staff, kr)
    assert row.expected == D("0.25")
    assert row.forecast is None
    assert row.risk.at_risk  # nothing done yet, a quarter expected
