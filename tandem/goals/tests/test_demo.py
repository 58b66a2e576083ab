"""The demo company's OKRs, with the brief's worked example."""

from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.goals.models import CheckIn, Cycle, KeyResult, Level, Objective, ObjectiveStatus
from tandem.goals.selectors import alignment_tree
from tandem.org.demo import seed_demo_company

TODAY = date(2026, 11, 26)


@pytest.fixture
def demo(db):
    # seed_demo_company seeds the goals too (tandem.goals.demo.seed_demo_goals).
    company = seed_demo_company(today=TODAY).company
    with scope(company=company.pk):
        yield company


def test_the_current_quarter_sits_in_its_year(demo):
    quarter = Cycle.objects.get(kind="quarter", status="active")
    assert (quarter.name, quarter.start, quarter.end) == ("2026-Q4", date(2026, 10, 1),
                                                          date(2026, 12, 31))
    assert quarter.parent.name == "2026"


def test_the_worked_example_belongs_to_the_staff_salesperson(demo):
    objective = Objective.objects.get(title__contains="Complete 1,000,000 sales",
                                      cycle__status="active")
    assert objective.owner_employee.user.username == "staff"
    assert objective.level == Level.INDIVIDUAL
    monthly = objective.key_results.get(title__contains="250,000 sales each month")
    assert monthly.target_value == D(250_000)
    checked = list(CheckIn.objects.filter(key_result=monthly).order_by("created_at")
                   .values_list("value", flat=True))
    assert checked == [D(240_000), D(262_000)]  # October, and November so far
    assert monthly.current_value == D(262_000)
    assert monthly.progress == D("1.0480")


def test_one_cascade_chain_from_the_company_sales_figure(demo):
    company_kr = KeyResult.objects.get(title="季度销售额 (Quarterly sales)")
    children = {kr.title: kr.target_value for kr in company_kr.cascaded_key_results.all()}
    assert children == {"部门销售额 (Department sales)": D(6_000_000),
                        "个人季度销售额 (My quarterly sales)": D(1_000_000)}


def test_mostly_aligned_with_a_few_orphans_and_weeks_of_check_ins(demo):
    quarter = Cycle.objects.get(kind="quarter", status="active")
    tree = alignment_tree(quarter)
    aligned = len(tree.flat()) - sum(1 for node in tree.roots
                                     if node.objective.level == Level.COMPANY)
    assert len(tree.orphans) == 2
    assert aligned > 3 * len(tree.orphans)
    days = {moment.date() for moment in CheckIn.objects.filter(
        key_result__objective__cycle=quarter).values_list("created_at", flat=True)}
    assert min(days) >= quarter.start and max(days) <= TODAY
    assert len(days) >= 8
    in_quarter = Objective.objects.filter(cycle=quarter)
    assert in_quarter.filter(status=ObjectiveStatus.APPROVED).count() > \
        in_quarter.exclude(status=ObjectiveStatus.APPROVED).count()
    top = Objective.objects.get(title__contains="Reach 10 million", cycle__status="active")
    assert top.progress > D(0)


def test_the_demo_okrs_cost_about_the_same_whatever_the_head_count(db, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.goals import demo

    seed_goals = demo.seed_demo_goals
    monkeypatch.setattr(demo, "seed_demo_goals", lambda company, today: None)
    counts = []
    for employees in (100, 300):
        company = seed_demo_company(employees=employees, today=TODAY).company
        with CaptureQueriesContext(connection) as queries:
            seed_goals(company, TODAY)
        counts.append(len(queries))
    # Objectives are seeded per department and for a handful of people, never per person.
    assert counts[1] - counts[0] < 100
