"""The demo company shows the lead one eased target with its reason and one low-ambition flag."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.goals.models import KeyResult, ObjectiveStatus, TargetChange
from tandem.org.demo import seed_demo_company

TODAY = date(2026, 11, 26)


@pytest.fixture
def demo(db):
    company = seed_demo_company(today=TODAY).company
    with scope(company=company.pk):
        yield company


def test_an_engineer_eased_an_approved_target_with_a_reason(demo):
    eased = TargetChange.objects.get(change="eased", source="manual",
                                     reason__contains="incident support")
    assert eased.old_target == D(40)
    assert D(0) < eased.new_target < D(40)
    assert eased.low_ambition is False
    assert eased.key_result.objective.status == ObjectiveStatus.APPROVED
    assert eased.by == eased.key_result.objective.owner_employee.user


def test_a_replanned_target_is_flagged_low_ambition_with_why(demo):
    flagged = KeyResult.objects.get(low_ambition=True)
    assert flagged.title == "关闭缺陷数 (Bugs closed)"
    assert flagged.low_ambition_explanation
    change = flagged.target_changes.get()
    assert change.low_ambition is True
    assert change.reason == "按目前进度重新规划 (re-planned from the pace so far)"
