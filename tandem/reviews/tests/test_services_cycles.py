"""Review cycles through the services: opening freezes settings and shares, scores come from
the goals and KPIs, the steps move in order, calibration keeps history, publication makes
plans and proposes bonuses."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.notifications.models import Notification
from tandem.core.testing import make_employee
from tandem.goals.models import Objective
from tandem.reviews import services
from tandem.reviews.models import (
    BonusAward,
    CycleStatus,
    EventKind,
    ImprovementPlan,
    Review,
    ReviewCycle,
    ReviewEvent,
    ReviewSettings,
    Stage,
    WeightOverride,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal


@pytest.fixture
def setup(org, goals, kpis, actor_of_role):
    """The KPI fixture plus approved objectives with progress: staff 0.8, peer 1.2; R&D's
    shares overridden to 0.5 / 0.5."""
    from tandem.goals import services as goals_services
    from tandem.goals.models import ObjectiveStatus


    with scope(company=org.company.pk):
        Objective.objects.filter(pk__in=[goals.staff.pk, goals.peer.pk]).update(
            status=ObjectiveStatus.APPROVED)
        goals_services.check_in(key_result=goals.staff_kr, value=D("80"), confidence=7)
        goals_services.check_in(key_result=goals.peer_kr, value=D("12"), confidence=8)
        WeightOverride.objects.create(company=org.company, department=org.rnd,
                                      okr_weight=D("0.5"), kpi_weight=D("0.5"))
    return org, goals, actor_of_role


def _cycle(org, goals, hr, **fields):
    return services.save_cycle(actor=hr, company=org.company, name=fields.pop("name", "Q4"),
                               goal_cycles=[goals.quarter], **fields)


def test_opening_freezes_settings_and_each_persons_shares(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        cycle = _cycle(org, goals, hr)
        reviews = {r.employee.name: r for r in services.open_cycle(actor=hr, cycle=cycle)}
        assert set(reviews) == {"owner", "hr", "finance", "lead", "staff", "peer"}
        staff, peer = reviews["staff"], reviews["peer"]
        assert (staff.okr_weight, staff.kpi_weight) == (D("0.5"), D("0.5"))
        assert staff.weight_source == "department “R&D”"
        assert (peer.okr_weight, peer.kpi_weight) == (D("0.4"), D("0.6"))
        assert staff.reviewer == org.employees["lead"]
        assert peer.reviewer is None
        assert {r.stage for r in reviews.values()} == {Stage.SELF}
        cycle.refresh_from_db()
        assert cycle.status == CycleStatus.ASSESSMENT
        assert cycle.policy["okr_weight"] == "0.4"
        # Later changes of the settings leave the open cycle alone.
        ReviewSettings.objects.create(company=org.company, okr_weight=D("0.3"),
                                      kpi_weight=D("0.7"))
        services.rescore(cycle, [peer])
        peer.refresh_from_db()
        assert peer.final_score == D("120.00")
        assert services.explain(peer)[2].okr_weight == D("0.4")


def test_scores_from_the_goals_and_kpis(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        cycle = _cycle(org, goals, hr)
        services.open_cycle(actor=hr, cycle=cycle)
        staff = Review.objects.get(cycle=cycle, employee=org.employees["staff"])
        # Committed objective at 0.8 → 80; defects 4 of 5, inverse ratio 1.25 capped 1.2 → 120;
        # R&D's shares: 0.5 × 80 + 0.5 × 120 = 100 → A.
        assert (staff.okr_score, staff.kpi_score, staff.final_score) == (
            D("80.00"), D("120.00"), D("100.00"))
        assert (staff.calculated_grade, staff.grade) == ("A", "A")
        # Nobody set owner's objectives or KPIs: no score, no grade.
        owner = Review.objects.get(cycle=cycle, employee=org.employees["owner"])
        assert (owner.final_score, owner.grade) == (None, "")


def test_an_aspirational_objective_is_judged_against_its_expectation(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        Objective.objects.filter(pk=goals.staff.pk).update(kind="aspirational")
        cycle = _cycle(org, goals, hr)
        services.open_cycle(actor=hr, cycle=cycle)
        staff = Review.objects.get(cycle=cycle, employee=org.employees["staff"])
        # 0.8 / 0.7 = 1.1429 → 114.29
        assert staff.okr_score == D("114.29")


def test_nobody_in_scope_cannot_open(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        cycle = _cycle(org, goals, hr, scope="people", people=[org.employees["peer"]])
        cycle.people.clear()
        with pytest.raises(ValidationError, match="Nobody"):
            services.open_cycle(actor=hr, cycle=cycle)


def test_cycle_validation(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        with pytest.raises(ValidationError) as error:
            services.save_cycle(actor=hr, company=org.company, name=" ", goal_cycles=[],
                                scope="departments", manager_deadline=date(2027, 1, 1),
                                self_deadline=date(2027, 1, 10))
        assert set(error.value.message_dict) == {"name", "goal_cycles", "departments",
                                                 "manager_deadline"}
        with pytest.raises(PermissionDenied):
            services.save_cycle(actor=actor("lead"), company=org.company, name="x",
                                goal_cycles=[goals.quarter])


def test_steps_in_order_with_history_and_notifications(setup):
    org, goals, actor = setup
    hr, lead, staff_actor = actor("hr"), actor("lead"), actor("staff")
    with scope(company=org.company.pk):
        cycle = _cycle(org, goals, hr, scope="people", people=[org.employees["staff"]])
        services.open_cycle(actor=hr, cycle=cycle)
        review = Review.objects.get(cycle=cycle)
        with pytest.raises(PermissionDenied):
            services.submit_self(actor=actor("peer"), review=review, summary="x")
        with pytest.raises(ValidationError) as error:
            services.submit_self(actor=staff_actor, review=review, summary="  ")
        assert error.value.message_dict == {
            "self_summary": ["Write your self assessment before submitting it."]}
        review = services.submit_self(actor=staff_actor, review=review, summary="Shipped.")
        assert review.stage == Stage.MANAGER
        assert Notification.objects.filter(recipient=org.employees["lead"],
                                           kind="reviews.manager_assessment_due").count() == 1
        with pytest.raises(ValidationError):
            services.submit_self(actor=staff_actor, review=review, summary="Again")
        # The person cannot assess themself, the leader above can.
        with pytest.raises(PermissionDenied):
            services.assess(actor=staff_actor, review=review, summary="x")
        objective = goals.staff.pk
        with pytest.raises(ValidationError) as error:
            services.assess(actor=lead, review=review, summary="Good", submit=True,
                            ratings={objective: ("1.2", "")})
        assert error.value.message_dict == {
            f"reason_{objective}": ["Give the reason for a difficulty of 1.2 instead of 1.0."]}
        with pytest.raises(ValidationError) as error:
            services.assess(actor=lead, review=review, summary="Good", adjustment="11",
                            adjustment_reason="Helped everyone", submit=True)
        assert list(error.value.message_dict) == ["adjustment"]
        review = services.assess(actor=lead, review=review, summary="Good", adjustment="-2",
                                 adjustment_reason="Missed a release note", submit=True,
                                 ratings={objective: ("1.2", "New payment provider")})
        # 80 × 1.2 = 96; 0.5 × 96 + 0.5 × 120 − 2 = 106 → A
        assert (review.okr_score, review.final_score, review.grade) == (
            D("96.00"), D("106.00"), "A")
        assert review.stage == Stage.ASSESSED
        kinds = list(ReviewEvent.objects.filter(review=review).values_list("kind", flat=True))
        assert kinds == [EventKind.OPENED, EventKind.SELF_SUBMITTED, EventKind.DIFFICULTY,
                         EventKind.ADJUSTED, EventKind.MANAGER_SUBMITTED]


def _assessed_cycle(org, goals, hr, **fields):
    cycle = _cycle(org, goals, hr, scope="people",
                   people=[org.employees["staff"], org.employees["peer"]],
                   self_assessment=False, **fields)
    services.open_cycle(actor=hr, cycle=cycle)
    for review in Review.objects.filter(cycle=cycle):
        services.assess(actor=hr, review=review, summary="Fine", submit=True)
    return ReviewCycle.objects.get(pk=cycle.pk)


def test_calibration_moves_grades_with_reasons_and_history(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        cycle = _cycle(org, goals, hr, scope="people", people=[org.employees["staff"]],
                       self_assessment=False)
        services.open_cycle(actor=hr, cycle=cycle)
        with pytest.raises(ValidationError, match="1 assessment is not submitted yet"):
            services.start_calibration(actor=hr, cycle=cycle)
        review = Review.objects.get(cycle=cycle)
        services.assess(actor=hr, review=review, summary="Fine", submit=True)
        with pytest.raises(ValidationError, match="Grades move only during calibration"):
            services.change_grade(actor=hr, review=review, grade="S", reason="x")
        services.start_calibration(actor=hr, cycle=cycle)
        with pytest.raises(ValidationError) as error:
            services.change_grade(actor=hr, review=review, grade="S", reason="")
        assert error.value.message_dict == {"reason": ["Say why the grade differs from the "
                                                       "score's."]}
        with pytest.raises(ValidationError) as error:
            services.change_grade(actor=hr, review=review, grade="Z", reason="x")
        assert error.value.message_dict == {"grade": ["Choose one of the grades S, A, B, C, D."]}
        review = services.change_grade(actor=hr, review=review, grade="S",
                                       reason="Carried the launch")
        assert (review.grade, review.calculated_grade, review.grade_reason) == (
            "S", "A", "Carried the launch")
        # A rescore keeps the calibrated grade.
        services.rescore(cycle, [review])
        review.refresh_from_db()
        assert review.grade == "S"
        review = services.change_grade(actor=hr, review=review, grade="A", reason="")
        assert (review.grade, review.grade_reason) == ("A", "")
        moves = list(ReviewEvent.objects.filter(review=review, kind=EventKind.GRADE_CHANGED)
                     .values_list("from_grade", "to_grade", "reason"))
        assert moves == [("A", "S", "Carried the launch"), ("S", "A", "")]


def test_a_leader_calibrates_only_the_people_they_lead(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        cycle = _assessed_cycle(org, goals, hr)
        services.start_calibration(actor=hr, cycle=cycle)
        peer = Review.objects.get(cycle=cycle, employee=org.employees["peer"])
        with pytest.raises(PermissionDenied):
            services.change_grade(actor=actor("lead"), review=peer, grade="A", reason="x")
        staff = Review.objects.get(cycle=cycle, employee=org.employees["staff"])
        assert services.change_grade(actor=actor("lead"), review=staff, grade="B",
                                     reason="Late").grade == "B"


def test_return_to_manager_reopens_the_assessment(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        cycle = _assessed_cycle(org, goals, hr)
        services.start_calibration(actor=hr, cycle=cycle)
        staff = Review.objects.get(cycle=cycle, employee=org.employees["staff"])
        with pytest.raises(ValidationError):
            services.return_to_manager(actor=hr, review=staff, reason=" ")
        staff = services.return_to_manager(actor=hr, review=staff, reason="Check the KPI")
        assert staff.stage == Stage.MANAGER
        cycle.refresh_from_db()
        assert cycle.status == CycleStatus.ASSESSMENT


def test_publication_makes_plans_proposes_bonuses_and_tells_people(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        from tandem.reviews import services_bonus

        services_bonus.save_policy(actor=hr, company=org.company, name="Standard",
                                   formula="kpi_rate * base_bonus", base_bonus=D("10000"))
        cycle = _assessed_cycle(org, goals, hr, calibration=False)
        cycle = services.publish(actor=hr, cycle=cycle)
        assert cycle.status == CycleStatus.PUBLISHED
        stages = set(Review.objects.filter(cycle=cycle).values_list("stage", flat=True))
        assert stages == {Stage.PUBLISHED}
        assert ImprovementPlan.objects.filter(review__cycle=cycle).count() == 2
        awards = dict(BonusAward.objects.filter(review__cycle=cycle)
                      .values_list("review__employee__name", "amount"))
        # KPI scores: staff 120 (defects), peer 120 (12 of 10 new customers).
        assert awards == {"staff": D("12000.00"), "peer": D("12000.00")}
        assert Notification.objects.filter(kind="reviews.published").count() == 2
        staff = Review.objects.get(cycle=cycle, employee=org.employees["staff"])
        assert actor("staff").user.has_perm("reviews.view_result", staff)
        staff = services.acknowledge(actor=actor("staff"), review=staff, comment="Agreed")
        assert staff.stage == Stage.ACKNOWLEDGED
        with pytest.raises(ValidationError):
            services.acknowledge(actor=actor("staff"), review=staff)


def test_the_person_sees_no_result_before_publication(setup):
    org, goals, actor = setup
    hr = actor("hr")
    with scope(company=org.company.pk):
        cycle = _assessed_cycle(org, goals, hr, calibration=False)
        staff = Review.objects.get(cycle=cycle, employee=org.employees["staff"])
        assert actor("staff").user.has_perm("reviews.view_review", staff)
        assert not actor("staff").user.has_perm("reviews.view_result", staff)
        assert actor("finance").user.has_perm("reviews.view_result", staff)
        assert not actor("peer").user.has_perm("reviews.view_review", staff)


def test_opening_and_rescoring_take_a_constant_number_of_queries(setup):
    org, goals, actor = setup
    hr = actor("hr")

    def queries_to_open(name, extra):
        with scope(company=org.company.pk):
            for _ in range(extra):
                make_employee(org.company, org.platform)
            cycle = _cycle(org, goals, hr, name=name)
            with CaptureQueriesContext(connection) as opened:
                services.open_cycle(actor=hr, cycle=cycle)
            reviews = list(Review.objects.filter(cycle=cycle))
            with CaptureQueriesContext(connection) as rescored:
                services.rescore(cycle, reviews)
            return len(opened), len(rescored)

    queries_to_open("warm-up", 0)  # fills the per-process caches (content types, kinds)
    assert queries_to_open("small", 0) == queries_to_open("large", 20)


def test_settings_and_overrides_are_checked_by_their_service(setup):
    from tandem.reviews import services_settings

    org, goals, actor = setup
    with scope(company=org.company.pk):
        with pytest.raises(PermissionDenied):
            services_settings.save_settings(actor=actor("lead"), company=org.company, values={},
                                            grades=[["S", "0"]], distribution=[["S", "1"]])
        with pytest.raises(ValidationError) as error:
            services_settings.save_settings(
                actor=actor("hr"), company=org.company,
                values={"okr_weight": D("0.5"), "kpi_weight": D("0.6")},
                grades=[["S", "0"]], distribution=[["S", "1"]])
        assert list(error.value.message_dict) == ["okr_weight"]
        with pytest.raises(ValidationError) as error:
            services_settings.add_override(actor=actor("hr"), company=org.company, data={
                "department": org.sales, "position": None, "okr_weight": D("0.3"),
                "kpi_weight": D("0.3"), "reason": ""})
        assert list(error.value.message_dict) == ["okr_weight"]
        override = services_settings.add_override(actor=actor("hr"), company=org.company, data={
            "department": org.sales, "position": None, "okr_weight": D("0.3"),
            "kpi_weight": D("0.7"), "reason": " Sales is paid on results "})
        assert override.reason == "Sales is paid on results"
        services_settings.delete_override(actor=actor("hr"), override=override)
        assert not WeightOverride.objects.filter(department=org.sales).exists()
