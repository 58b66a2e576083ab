"""Bonus services: which policy applies to whom, the months a part-period joiner counts, the
what-if with other shares (nothing written), and approval into pay items of a month (source
"review", the explanation in the note; a locked month refused; no item for a zero award)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from tandem.core.actor import resolve_actor
from tandem.org import services as org_services
from tandem.org.models import Employee
from tandem.pay.models import PayItem, PayItemSource, PayItemType, PayrollRun, RunStatus
from tandem.reviews import services_bonus
from tandem.reviews.models import AwardStatus, BonusAward, Review
from tandem.reviews.testing import hr_actor, make_reviews

pytestmark = pytest.mark.usefixtures("english")

FORMULA = services_bonus.bonus.DEMO_FORMULA


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


def policy(org, name, **fields):
    return services_bonus.save_policy(actor=hr_actor(org), company=org.company, name=name,
                                      formula=FORMULA, base_bonus=Decimal("1000"), **fields)


def awards_by_name(cycle):
    return {award.review.employee.name: award for award in
            BonusAward.objects.filter(review__cycle=cycle).select_related("review__employee")}


def test_the_position_beats_the_nearest_department_which_beats_the_company(org, reviews):
    staff, peer = org.employees["staff"], org.employees["peer"]
    with scope(company=org.company.pk):
        rnd = policy(org, "R&D", department=org.rnd)
        chooser = services_bonus.PolicyChooser(org.company)
        # Staff is in Platform, below R&D: R&D's policy; peer (Sales): the company's.
        assert chooser.policy(staff.department_id, None) == rnd
        assert chooser.policy(peer.department_id, None) == reviews.standard
        platform = policy(org, "Platform", department=org.platform)
        engineer = org_services.create_position(company=org.company, title="工程师",
                                                department=org.platform)
        by_position = policy(org, "Engineers", position=engineer)
        policy(org, "Old platform", department=org.platform, active=False)
        chooser = services_bonus.PolicyChooser(org.company)
        assert chooser.policy(staff.department_id, None) == platform
        assert chooser.policy(staff.department_id, engineer.pk) == by_position
        assert chooser.policy(peer.department_id, engineer.pk) == by_position
        assert chooser.policy(None, None) == reviews.standard


def test_a_mid_quarter_joiner_counts_the_months_by_their_days(org, reviews):
    with scope(company=org.company.pk):
        Employee.objects.filter(pk=org.employees["staff"].pk).update(
            hire_date=date(2026, 11, 16))
        rows = list(Review.objects.filter(cycle=reviews.published).select_related("employee")
                    .order_by("employee__name"))
        data = services_bonus.policy_data(reviews.standard)
        figures = services_bonus.figures_for(reviews.published, rows, data)
        # 16–30 November is half of November, then all of December.
        assert {person.name: person.values["months_in_cycle"] for person in figures} == {
            "peer": Decimal("3.00"), "staff": Decimal("1.50")}


def test_the_what_if_uses_the_changed_shares_and_writes_nothing(org, reviews):
    finance = resolve_actor(org.users["finance"])
    with scope(company=org.company.pk):
        before = [(a.pk, a.amount) for a in BonusAward.objects.order_by("pk")]
        simulation = services_bonus.simulate(
            actor=finance, policy=reviews.standard, cycle=reviews.published,
            okr_weight=Decimal("0.2"), kpi_weight=Decimal("0.8"),
            formula='final_score * 100 + if(grade == "S", 1, 0)', budget=Decimal("20000"))
        # staff: 0.2 × 80 + 0.8 × 120 = 112 (grade S by score); peer: 120 (S).
        assert [(line.name, line.amount) for line in simulation.lines] == [
            ("staff", Decimal("11201.00")), ("peer", Decimal("12001.00"))]
        assert (simulation.total, simulation.within_budget, simulation.over_budget) == (
            Decimal("23202.00"), False, Decimal("3202.00"))
        # The frozen shares (staff's 0.5 / 0.5 from R&D's override): final 100, grade A.
        frozen = services_bonus.simulate(
            actor=finance, policy=reviews.standard, cycle=reviews.published,
            formula='final_score * 100 + if(grade == "S", 1, 0)')
        assert [line.amount for line in frozen.lines] == [Decimal("10000.00"),
                                                          Decimal("12001.00")]
        assert [(a.pk, a.amount) for a in BonusAward.objects.order_by("pk")] == before
        with pytest.raises(ValidationError) as refused:
            services_bonus.simulate(actor=finance, policy=reviews.standard,
                                    cycle=reviews.published, okr_weight=Decimal("0.5"))
        assert refused.value.message_dict == {"okr_weight": ["Give both shares or neither."]}


def test_approving_makes_review_pay_items_with_the_explanation(org, reviews):
    hr = hr_actor(org)
    with scope(company=org.company.pk):
        awards = awards_by_name(reviews.published)
        items = services_bonus.approve_awards(actor=hr, cycle=reviews.published,
                                              month=date(2027, 1, 20))
        assert len(items) == 2
        stored = {item.employee.name: item for item in PayItem.objects.select_related(
            "employee")}
        assert set(stored) == {"staff", "peer"}
        for name, item in stored.items():
            assert (item.month, item.kind, item.source, item.amount, item.name) == (
                date(2027, 1, 1), PayItemType.REGULAR_BONUS, PayItemSource.REVIEW,
                Decimal("12000.00"), "Performance bonus: 2026-Q4 final")
            assert item.note == awards[name].explanation[0]
        assert stored["staff"].note == (
            "Formula: if(kpi_rate > 1, kpi_rate * base_bonus, 0) + if(okr_rate > 1.2, okr_rate "
            "* extra_bonus, 0); kpi_rate = 1.2, base_bonus = 10000, okr_rate = 0.8, "
            "extra_bonus = 5000 → 12000.00")
        approved = awards_by_name(reviews.published)
        assert {name: (a.status, a.month, a.pay_item_id) for name, a in approved.items()} == {
            name: (AwardStatus.APPROVED, date(2027, 1, 1), stored[name].pk) for name in stored}


def test_the_annual_one_time_bonus_kind(org, reviews):
    with scope(company=org.company.pk):
        services_bonus.approve_awards(actor=hr_actor(org), cycle=reviews.published,
                                      month=date(2027, 1, 1), annual_bonus=True)
        assert set(PayItem.objects.values_list("kind", "annual_bonus_method")) == {
            (PayItemType.ANNUAL_BONUS, "cheaper")}


def test_a_locked_payroll_month_is_refused_and_nothing_changes(org, reviews):
    with scope(company=org.company.pk):
        PayrollRun.objects.create(company=org.company, month=date(2027, 1, 1),
                                  status=RunStatus.APPROVED)
        with pytest.raises(ValidationError) as refused:
            services_bonus.approve_awards(actor=hr_actor(org), cycle=reviews.published,
                                          month=date(2027, 1, 1))
        assert list(refused.value.message_dict) == ["month"]
        assert not PayItem.objects.exists()
        assert set(BonusAward.objects.values_list("status", flat=True)) == {
            AwardStatus.PROPOSED}


def test_a_zero_award_is_approved_without_a_pay_item(org, reviews):
    hr = hr_actor(org)
    with scope(company=org.company.pk):
        # Staff's final score is 100, peer's 120: a threshold of 110 leaves staff with 0.
        services_bonus.save_policy(actor=hr, company=org.company, policy=reviews.standard,
                                   minimum_final_score=Decimal("110"))
        services_bonus.propose_awards(reviews.published)
        assert {n: a.amount for n, a in awards_by_name(reviews.published).items()} == {
            "staff": Decimal("0.00"), "peer": Decimal("12000.00")}
        items = services_bonus.approve_awards(actor=hr, cycle=reviews.published,
                                              month=date(2027, 2, 1))
        assert [item.employee_id for item in items] == [org.employees["peer"].pk]
        assert PayItem.objects.count() == 1
        awards = awards_by_name(reviews.published)
        assert (awards["staff"].status, awards["staff"].pay_item_id) == (AwardStatus.APPROVED,
                                                                         None)


def test_recomputing_replaces_only_the_proposed_awards(org, reviews):
    hr = hr_actor(org)
    with scope(company=org.company.pk):
        services_bonus.approve_awards(actor=hr, cycle=reviews.published, month=date(2027, 1, 1))
        services_bonus.save_policy(actor=hr, company=org.company, policy=reviews.standard,
                                   base_bonus=Decimal("1"))
        assert services_bonus.propose_awards(reviews.published) == []
        assert {n: (a.status, a.amount) for n, a in awards_by_name(reviews.published).items()} \
            == {"staff": (AwardStatus.APPROVED, Decimal("12000.00")),
                "peer": (AwardStatus.APPROVED, Decimal("12000.00"))}
