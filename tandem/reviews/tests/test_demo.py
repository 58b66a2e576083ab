"""The demo company's reviews: the previous quarter's goals, KPIs and finished review (calibrated
grades, plans, approved bonuses), the brief's worked example in its plan, and the current
quarter's open review."""

from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.utils import translation
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.notifications.models import Notification
from tandem.goals.demo import quarter_of
from tandem.goals.models import Cycle, CycleStatus, KeyResult, Objective, ObjectiveStatus
from tandem.kpis.models import Assignment, MeasurementSource
from tandem.org.demo import seed_demo_company
from tandem.org.models import Employee, EmployeeStatus
from tandem.pay.models import PayItem, PayItemSource, PayItemType
from tandem.reviews import bonus
from tandem.reviews.demo import (
    NEW_CUSTOMER_KR,
    POLICY_NAME,
    WORKED_EXAMPLE_TITLE,
    previous_quarter,
    seed_demo_reviews,
)
from tandem.reviews.models import (
    AwardStatus,
    BonusAward,
    BonusPolicy,
    EventKind,
    ImprovementPlan,
    Review,
    ReviewCycle,
    ReviewEvent,
    Stage,
)
from tandem.reviews.models import (
    CycleStatus as ReviewStatus,
)

TODAY = date(2026, 11, 26)
PREVIOUS = "2026-Q3 绩效评估（Performance review）"
CURRENT = "2026-Q4 绩效评估（Performance review）"


def _seed(today: date):
    """The demo company with its reviews (seeded by `seed_demo_company` once it calls
    `seed_demo_reviews`, else here). English, so the generated plan texts read as written."""
    company = seed_demo_company(today=today, payroll_runs=False).company
    with scope(company=company.pk):
        if not ReviewCycle.objects.exists():
            seed_demo_reviews(company, today)
    return company


@pytest.fixture
def scoped(db):
    with translation.override("en"):
        company = _seed(TODAY)
        with scope(company=company.pk):
            yield company


def test_the_demo_reviews(scoped):
    """One seeding for the parts (seeding takes most of the time)."""
    _previous_quarter_goals_and_kpis()
    _finished_review_is_calibrated_and_published()
    _every_review_has_a_plan_and_approved_bonus()
    _worked_example_plan()
    _current_review_is_open_with_a_mix_of_steps()


def _previous_quarter_goals_and_kpis():
    quarter = Cycle.objects.get(name="2026-Q3")
    assert (quarter.start, quarter.end, quarter.status) == (
        date(2026, 7, 1), date(2026, 9, 30), CycleStatus.CLOSED)
    assert quarter.parent.name == "2026"
    individual = Objective.objects.filter(cycle=quarter, level="individual")
    assert set(Objective.objects.filter(cycle=quarter).values_list("status", flat=True)) == {
        ObjectiveStatus.CLOSED}
    assert set(individual.values_list("kind", flat=True)) == {"committed", "aspirational"}
    settled = set(Employee.objects.exclude(status=EmployeeStatus.LEFT).filter(
        hire_date__lt=quarter.start).values_list("pk", flat=True))
    assert set(individual.values_list("owner_employee_id", flat=True)) == settled
    progress = list(individual.values_list("progress", flat=True))
    assert min(progress) < D("0.6") and max(progress) > D("1.1")
    # Every objective's progress is its key results' mean (equal weights).
    for objective in individual.prefetch_related("key_results")[:20]:
        krs = [kr.progress for kr in objective.key_results.all()]
        assert objective.progress == (sum(krs, D(0)) / len(krs)).quantize(
            D("0.0001"), rounding=ROUND_HALF_UP)
    people = Assignment.objects.filter(cycle=quarter, employee__isnull=False)
    assert not people.filter(employee__hire_date__gt=quarter.end).exists()
    assert not people.filter(attainment=None).exists()
    attainments = list(people.values_list("attainment", flat=True))
    assert min(attainments) < D("0.8") and max(attainments) > D("1.05")
    assert set(people.values_list("measurements__source", flat=True)) == {
        MeasurementSource.IMPORT}


def _finished_review_is_calibrated_and_published():
    cycle = ReviewCycle.objects.get(name=PREVIOUS)
    assert cycle.status == ReviewStatus.PUBLISHED
    assert (cycle.self_assessment, cycle.calibration, cycle.acknowledgement) == (
        True, True, True)
    assert list(cycle.goal_cycles.values_list("name", flat=True)) == ["2026-Q3"]
    deadlines = [cycle.self_deadline, cycle.manager_deadline, cycle.calibration_deadline,
                 cycle.acknowledgement_deadline]
    assert deadlines == sorted(deadlines) and deadlines[-1] < TODAY
    reviews = Review.objects.filter(cycle=cycle)
    assert set(reviews.values_list("employee_id", flat=True)) == set(
        Employee.objects.exclude(status=EmployeeStatus.LEFT).values_list("pk", flat=True))
    stages = Counter(reviews.values_list("stage", flat=True))
    assert set(stages) == {Stage.PUBLISHED, Stage.ACKNOWLEDGED}
    assert stages[Stage.ACKNOWLEDGED] > 4 * stages[Stage.PUBLISHED]
    assert not reviews.filter(self_summary="").exists()
    assert not reviews.filter(manager_summary="").exists()
    moves = list(ReviewEvent.objects.filter(review__cycle=cycle, kind=EventKind.GRADE_CHANGED)
                 .select_related("review"))
    assert 2 <= len(moves) <= 4
    for move in moves:
        review = move.review
        assert move.reason and review.grade_reason == move.reason
        assert review.grade == move.to_grade != review.calculated_grade == move.from_grade
    assert reviews.exclude(grade_reason="").count() == len(moves)
    for kind in (EventKind.DIFFICULTY, EventKind.ADJUSTED):
        events = ReviewEvent.objects.filter(review__cycle=cycle, kind=kind)
        assert events.exists() and not events.filter(reason="").exists()
    submitted = ReviewEvent.objects.filter(review__cycle=cycle, kind=EventKind.MANAGER_SUBMITTED)
    assert submitted.count() == reviews.count()
    # The steps happened after the quarter, before their deadlines.
    for review in reviews.exclude(acknowledged_at=None):
        assert (date(2026, 9, 30) < review.self_submitted_at.date() <= cycle.self_deadline
                <= review.manager_submitted_at.date() <= cycle.manager_deadline)
        assert review.acknowledged_at.date() <= cycle.acknowledgement_deadline


def _every_review_has_a_plan_and_approved_bonus():
    cycle = ReviewCycle.objects.get(name=PREVIOUS)
    reviews = Review.objects.filter(cycle=cycle)
    assert ImprovementPlan.objects.filter(review__cycle=cycle).count() == reviews.count()
    policy = BonusPolicy.objects.get(name=POLICY_NAME)
    assert (policy.formula, policy.base_bonus, policy.extra_bonus) == (
        bonus.DEMO_FORMULA, D(10_000), D(5_000))
    assert policy.budget >= D(10_000) and policy.department is None
    awards = BonusAward.objects.filter(review__cycle=cycle)
    assert awards.count() == reviews.count()
    # No payroll runs in this demo: the current month is the first one open.
    assert set(awards.values_list("status", "month")) == {
        (AwardStatus.APPROVED, date(2026, 11, 1))}
    paid = awards.filter(amount__gt=0).select_related("pay_item")
    assert paid.exists()
    items = PayItem.objects.filter(source=PayItemSource.REVIEW)
    assert items.count() == paid.count()
    for award in paid:
        item = award.pay_item
        assert (item.employee_id, item.amount, item.month, item.kind) == (
            award.review.employee_id, award.amount, date(2026, 11, 1),
            PayItemType.REGULAR_BONUS)


def _worked_example_plan():
    owner = Objective.objects.get(cycle__name="2026-Q4", title=WORKED_EXAMPLE_TITLE
                                  ).owner_employee
    assert owner.user.username == "staff"
    sales = Assignment.objects.get(cycle__name="2026-Q3", employee=owner,
                                   indicator__code="SALES")
    assert (sales.target, sales.actual, sales.attainment) == (
        D(1_000_000), D(800_000), D("0.8"))
    assert sales.indicator.category == "sales"
    kr = KeyResult.objects.get(objective__cycle__name="2026-Q3", title=NEW_CUSTOMER_KR)
    assert (kr.objective.owner_employee_id, kr.current_value, kr.target_value, kr.progress) == (
        owner.pk, D(12), D(10), D("1.2"))
    review = Review.objects.get(cycle__name=PREVIOUS, employee=owner)
    items = [(item.kind, item.title, item.action, item.course)
             for item in review.plan.items.order_by("order")]
    assert items == [
        ("improve", "销售额 80.0 %",
         "Strengthen repeat-purchase skills: review lost repeat orders with your lead and "
         "follow up existing customers every month.",
         "Consultative selling and customer retention"),
        ("keep", f"{NEW_CUSTOMER_KR} 120.0 %", f"Keep the pace of {NEW_CUSTOMER_KR} (120.0 %).",
         ""),
    ]


def _current_review_is_open_with_a_mix_of_steps():
    cycle = ReviewCycle.objects.get(name=CURRENT)
    assert cycle.status == ReviewStatus.ASSESSMENT
    assert list(cycle.goal_cycles.values_list("name", flat=True)) == ["2026-Q4"]
    assert cycle.self_deadline > TODAY
    reviews = Review.objects.filter(cycle=cycle)
    stages = Counter(reviews.values_list("stage", flat=True))
    assert set(stages) == {Stage.SELF, Stage.MANAGER, Stage.ASSESSED}
    assert stages[Stage.SELF] > stages[Stage.MANAGER] > stages[Stage.ASSESSED]
    assert not reviews.filter(stage=Stage.SELF).exclude(self_summary="").exists()
    assert not reviews.exclude(stage=Stage.SELF).filter(self_summary="").exists()
    drafts = reviews.filter(stage=Stage.MANAGER).exclude(manager_summary="")
    assert drafts.exists()


def test_a_january_demo_reviews_the_previous_year_s_last_quarter(db, monkeypatch):
    # Few reviews through the services one by one: the rest take the bulk path, which must
    # leave the same steps, events and versions behind.
    monkeypatch.setattr("tandem.reviews.demo.DETAILED", 5)
    with translation.override("en"):
        company = _seed(date(2027, 1, 20))
    with scope(company=company.pk):
        quarter = Cycle.objects.get(name="2026-Q4")
        assert quarter.parent.name == "2026"
        assert quarter.parent.status == quarter.status == CycleStatus.CLOSED
        cycle = ReviewCycle.objects.get(name="2026-Q4 绩效评估（Performance review）")
        assert cycle.status == ReviewStatus.PUBLISHED
        # Twenty days after the quarter: the deadlines are squeezed in before today.
        deadlines = [cycle.self_deadline, cycle.manager_deadline, cycle.calibration_deadline,
                     cycle.acknowledgement_deadline]
        assert deadlines == sorted(deadlines)
        assert date(2026, 12, 31) < deadlines[0] and deadlines[-1] < date(2027, 1, 20)
        assert ReviewCycle.objects.get(name="2027-Q1 绩效评估（Performance review）"
                                       ).status == ReviewStatus.ASSESSMENT
        _bulk_steps_match_the_services(cycle)


def _bulk_steps_match_the_services(cycle):
    reviews = list(Review.objects.filter(cycle=cycle))
    events = Counter(ReviewEvent.objects.filter(review__cycle=cycle).values_list(
        "review_id", "kind"))
    for review in reviews:
        acknowledged = review.stage == Stage.ACKNOWLEDGED
        moved = events[review.pk, EventKind.GRADE_CHANGED]
        assert [events[review.pk, kind] for kind in (
            EventKind.OPENED, EventKind.SELF_SUBMITTED, EventKind.MANAGER_SUBMITTED,
            EventKind.PUBLISHED, EventKind.ACKNOWLEDGED)] == [1, 1, 1, 1, int(acknowledged)]
        # Opened at 1; self, manager, each grade move and the acknowledgement claim one more.
        assert review.version == 3 + moved + acknowledged
        assert review.history.filter(stage=Stage.ASSESSED).exists()
    told = Notification.objects.filter(kind="reviews.manager_assessment_due",
                                       url__in=[f"/reviews/{r.pk}/" for r in reviews])
    assert 0 < told.count() < len(reviews)



@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_previous_quarter_is_the_three_months_before(day):
    start, _end, _number = quarter_of(day)
    first, last, number = previous_quarter(start)
    assert last == start - timedelta(days=1)
    assert (first.day, (last.month - first.month) % 12) == (1, 2)
    assert quarter_of(first) == (first, last, number)
