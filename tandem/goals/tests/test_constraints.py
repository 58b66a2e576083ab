"""The database refuses what the services would never write (Meta.constraints)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from tandem.goals.models import CheckIn, Cycle, KeyResult, Milestone, Objective

pytestmark = pytest.mark.usefixtures("scoped")


def refused(model, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)


def test_cycles_end_after_they_start_and_have_unique_names(goals, org):
    refused(Cycle, company=org.company, name="x", kind="month", start=date(2026, 5, 1),
            end=date(2026, 5, 1))
    refused(Cycle, company=org.company, name=goals.quarter.name, kind="month",
            start=date(2026, 5, 1), end=date(2026, 5, 31))


def test_an_objective_owner_matches_its_level(goals, org):
    base = {"company": org.company, "cycle": goals.quarter, "title": "x"}
    refused(Objective, level="company", owner_department=org.rnd, **base)
    refused(Objective, level="department", **base)
    refused(Objective, level="individual", owner_department=org.rnd, **base)
    refused(Objective, level="company", weight=D(0), **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.filter(pk=goals.staff.pk).update(parent=goals.staff.pk)


def test_a_key_result_target_differs_from_its_start_and_shares_need_a_parent(goals, org):
    base = {"company": org.company, "objective": goals.peer, "title": "x"}
    refused(KeyResult, start_value=D(5), target_value=D(5), **base)
    refused(KeyResult, cascade_share=D("0.5"), **base)
    refused(KeyResult, parent_key_result=goals.company_kr, cascade_share=D("1.2"), **base)
    refused(KeyResult, weight=D(-1), **base)


def test_milestones_have_positive_weights_and_check_ins_a_value_or_a_milestone(goals, org):
    refused(Milestone, company=org.company, key_result=goals.peer_kr, title="x", weight=D(0))
    base = {"company": org.company, "key_result": goals.peer_kr, "progress": D(0)}
    refused(CheckIn, confidence=11, value=D(1), **base)
    refused(CheckIn, confidence=5, **base)
