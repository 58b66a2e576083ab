"""The bonus report: a published review cycle's bonuses against OKR and KPI scores — the
quadrants split at 100, which amount counts (approved, the pay item's, else proposed), the
quadrant and department tables, the chart, the page with its choices, who may read it, and
the queries it takes.

The fixture (`reviews.testing.make_reviews`): "2026-Q4 final" is published with staff (研发部 /
平台组, OKR 80, KPI 120, grade A) and peer (销售部, OKR 120, KPI 120, grade S), each with a
proposed award of 12,000 under "Standard" (no budget)."""

import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st

from tandem.pay import reports, reports_bonus
from tandem.pay.reports import DepartmentNode
from tandem.pay.reports_bonus import (
    APPROVED,
    HIGH_HIGH,
    HIGH_LOW,
    LOW_HIGH,
    LOW_LOW,
    NONE,
    PROPOSED,
    UNPLACED,
    BonusPoint,
)
from tandem.reviews.models import BonusAward, Review
from tandem.reviews.testing import hr_actor, make_reviews

URL = "/pay/reports/bonuses/"


@pytest.fixture
def reviews(org):
    return make_reviews(org)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _report(org, reviews, department=None):
    with scope(company=org.company.pk), translation.override("en"):
        nodes = reports.department_nodes()
        return reports_bonus.bonus_report(reviews.published, nodes, department)


def _point(pk, okr, kpi, bonus, status=PROPOSED, department=1, policy=1, budget=None):
    return BonusPoint(pk, f"p{pk}", department, f"d{department}", "A", okr, kpi, bonus, status,
                      policy if status != NONE else None, budget)


# --- the quadrants ----------------------------------------------------------------------------


@pytest.mark.parametrize(("okr", "kpi", "quadrant"), [
    ("100", "100", HIGH_HIGH),
    ("120", "99.99", HIGH_LOW),
    ("99.99", "100", LOW_HIGH),
    ("0", "0", LOW_LOW),
    (None, "120", UNPLACED),
    ("120", None, UNPLACED),
])
def test_a_score_at_or_above_100_is_high(okr, kpi, quadrant):
    assert reports_bonus.quadrant_of(okr and Decimal(okr), kpi and Decimal(kpi)) == quadrant


def test_the_budget_is_the_policies_budgets_only_when_each_has_one():
    one = _point(1, Decimal(100), Decimal(100), Decimal("10.00"), policy=1,
                 budget=Decimal("30000"))
    same = _point(2, Decimal(100), Decimal(100), Decimal("10.00"), policy=1,
                  budget=Decimal("30000"))
    other = _point(3, Decimal(100), Decimal(100), Decimal("10.00"), policy=2,
                   budget=Decimal("5000.5"))
    unbudgeted = _point(4, Decimal(100), Decimal(100), Decimal("10.00"), policy=3)
    uncovered = _point(5, Decimal(100), Decimal(100), Decimal("0.00"), status=NONE)
    assert reports_bonus.budget_of([one, same, other, uncovered]) == Decimal("35000.50")
    assert reports_bonus.budget_of([one, unbudgeted]) is None
    assert reports_bonus.budget_of([uncovered]) is None
    assert reports_bonus.budget_of([_point(6, None, None, Decimal("0.00"),
                                           budget=Decimal("0"))]) is None


scores = st.one_of(st.none(), st.decimals(min_value=0, max_value=200, places=2))
points = st.lists(st.tuples(scores, scores, st.decimals(min_value=0, max_value=100000,
                                                        places=2),
                            st.sampled_from([APPROVED, PROPOSED, NONE]),
                            st.sampled_from([1, 2, None])), max_size=30)
NODES = {1: DepartmentNode(1, "R&D", None, 0, "R&D", [2]),
         2: DepartmentNode(2, "Platform", 1, 1, "R&D / Platform")}


@given(points, st.one_of(st.none(), st.decimals(min_value=1, max_value=10 ** 6, places=2)))
def test_the_rows_add_up_to_the_totals(rows, budget):
    people = [_point(n, okr, kpi, Decimal(0) if status == NONE else bonus, status,
                     department, budget=budget)
              for n, (okr, kpi, bonus, status, department) in enumerate(rows)]
    with translation.override("en"):
        report = reports_bonus.summarise(None, people, NODES)
    total = sum((p.bonus for p in people), Decimal("0.00"))
    for table, grand in ((report.quadrants, report.total),
                         (report.departments, report.department_total)):
        assert sum(row.headcount for row in table) == grand.headcount == len(people)
        assert sum(row.total for row in table) == grand.total == total
    assert [row.key for row in report.quadrants][:4] == [HIGH_HIGH, HIGH_LOW, LOW_HIGH, LOW_LOW]
    assert (UNPLACED in [row.key for row in report.quadrants]) == any(
        p.okr_score is None or p.kpi_score is None for p in people)
    base = report.budget or total
    for row in report.quadrants:
        assert row.share == (row.total / base if base else None)
        if row.headcount:
            assert row.average == (row.total / row.headcount).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
        else:
            assert row.average is None
    if base and report.budget is None:
        # Exact up to the division's 28 significant digits.
        assert abs(sum(row.share for row in report.quadrants) - 1) < Decimal("1e-25")
    assert report.budget == (reports_bonus.fen(budget) if budget is not None
                             and any(p.status != NONE for p in people) else None)
    assert [row.department_id for row in report.departments] == [
        pk for pk in (1, 2, None) if any(p.department_id == pk for p in people)]


# --- the report of the fixture ------------------------------------------------------------------


def test_the_published_cycles_bonuses_by_quadrant_and_department(org, reviews):
    report = _report(org, reviews)
    quadrants = {row.key: row for row in report.quadrants}
    assert list(quadrants) == [HIGH_HIGH, HIGH_LOW, LOW_HIGH, LOW_LOW]
    assert [(row.label, row.note) for row in report.quadrants] == [
        ("High OKR, high KPI", ""), ("High OKR, low KPI", "exploring new ground"),
        ("Low OKR, high KPI", "delivering"), ("Low OKR, low KPI", "")]
    # peer: OKR 120, KPI 120; staff: OKR 80, KPI 120.
    assert (quadrants[HIGH_HIGH].headcount, quadrants[HIGH_HIGH].total) == (1, Decimal("12000"))
    assert (quadrants[LOW_HIGH].headcount, quadrants[LOW_HIGH].total) == (1, Decimal("12000"))
    assert quadrants[HIGH_LOW].headcount == quadrants[LOW_LOW].headcount == 0
    assert quadrants[HIGH_LOW].average is None
    assert quadrants[LOW_HIGH].average == Decimal("12000.00")
    assert quadrants[LOW_HIGH].share_percent == Decimal("50.0")
    assert quadrants[LOW_LOW].share_percent == Decimal("0.0")
    assert (report.total.headcount, report.total.total, report.total.share_percent) == (
        2, Decimal("24000.00"), Decimal("100.0"))
    assert report.budget is None
    assert [(row.name, row.headcount, row.okr_average, row.kpi_average, row.total)
            for row in report.departments] == [
        ("R&D / Platform", 1, Decimal("80.00"), Decimal("120.00"), Decimal("12000.00")),
        ("Sales", 1, Decimal("120.00"), Decimal("120.00"), Decimal("12000.00"))]
    assert (report.department_total.okr_average, report.department_total.kpi_average) == (
        Decimal("100.00"), Decimal("120.00"))
    assert [(p.name, p.grade, p.status, p.bonus) for p in report.points] == [
        ("staff", "A", PROPOSED, Decimal("12000.00")), ("peer", "S", PROPOSED,
                                                        Decimal("12000.00"))]
    assert report.explanation == [
        "A score at or above 100 is high: the expectation met.",
        "2 bonuses are proposed, not approved yet: their amounts can still change.",
        "Shares are of all the bonuses shown: the bonus policies set no budget."]


def test_an_approved_bonus_counts_with_its_pay_items_amount(org, reviews):
    from tandem.reviews import services_bonus

    with scope(company=org.company.pk):
        services_bonus.approve_awards(actor=hr_actor(org), cycle=reviews.published,
                                      month=date(2027, 1, 1))
        # Payroll corrected peer's item after the approval: that is what is paid.
        item = BonusAward.objects.get(review=reviews.peer_done).pay_item
        item.amount = Decimal("11500.00")
        item.save()
        # staff's award is back to proposed with another amount (recomputed).
        BonusAward.objects.filter(review=reviews.staff_done).update(
            status="proposed", amount=Decimal("9000.00"))
    report = _report(org, reviews)
    assert [(p.name, p.status, p.bonus) for p in report.points] == [
        ("staff", PROPOSED, Decimal("9000.00")), ("peer", APPROVED, Decimal("11500.00"))]
    assert report.total.total == Decimal("20500.00")
    assert report.explanation[1:3] == [
        "1 bonus is approved.",
        "1 bonus is proposed, not approved yet: its amount can still change."]


def test_a_review_without_an_award_or_a_score(org, reviews):
    with scope(company=org.company.pk):
        BonusAward.objects.filter(review=reviews.staff_done).delete()
        Review.objects.filter(pk=reviews.peer_done.pk).update(kpi_score=None)
    report = _report(org, reviews)
    quadrants = {row.key: row for row in report.quadrants}
    assert list(quadrants) == [HIGH_HIGH, HIGH_LOW, LOW_HIGH, LOW_LOW, UNPLACED]
    assert quadrants[UNPLACED].label == "Without an OKR or KPI score"
    assert (quadrants[UNPLACED].headcount, quadrants[UNPLACED].total) == (1, Decimal("12000"))
    assert (quadrants[LOW_HIGH].headcount, quadrants[LOW_HIGH].total) == (1, Decimal("0"))
    assert quadrants[UNPLACED].share_percent == Decimal("100.0")
    assert [p.status for p in report.points] == [NONE, PROPOSED]
    assert [p.review_id for p in report.placed] == [reviews.staff_done.pk]
    assert ("1 person has no bonus award (no bonus policy covered them): counted with 0."
            in report.explanation)
    sales = report.departments[1]
    assert (sales.name, sales.okr_average, sales.kpi_average) == (
        "Sales", Decimal("120.00"), None)


def test_shares_are_of_the_budget_when_the_policy_has_one(org, reviews):
    with scope(company=org.company.pk):
        type(reviews.standard).objects.filter(pk=reviews.standard.pk).update(
            budget=Decimal("30000"))
    report = _report(org, reviews)
    assert report.budget == Decimal("30000.00")
    assert [row.share_percent for row in report.quadrants] == [
        Decimal("40.0"), Decimal("0.0"), Decimal("40.0"), Decimal("0.0")]
    assert report.total.share_percent == Decimal("80.0")
    assert report.explanation[-1] == "Shares are of the budget of the bonus policies, 30,000.00."


def test_a_department_counts_those_below_it(org, reviews):
    report = _report(org, reviews, department=org.rnd.pk)
    assert [p.name for p in report.points] == ["staff"]
    assert [row.name for row in report.departments] == ["R&D / Platform"]
    assert report.total.total == Decimal("12000.00")
    assert _report(org, reviews, department=org.platform.pk).total.headcount == 1
    assert _report(org, reviews, department=org.sales.pk).total.headcount == 1


def test_the_quadrant_chart(org, reviews):
    from tandem.reviews.models import AwardStatus

    with scope(company=org.company.pk):
        BonusAward.objects.filter(review=reviews.peer_done).update(
            status=AwardStatus.APPROVED, amount=Decimal("3000.00"))
    report = _report(org, reviews)
    with translation.override("en"):
        figure = reports_bonus.quadrant_figure(report.points)
    traces = {trace.name: trace for trace in figure.data}
    assert list(traces) == ["Approved bonus", "Proposed bonus, not approved yet"]
    approved, proposed = traces["Approved bonus"], traces["Proposed bonus, not approved yet"]
    assert (list(approved.x), list(approved.y)) == ([120.0], [120.0])
    assert (list(proposed.x), list(proposed.y)) == ([80.0], [120.0])
    assert approved.marker.symbol == "circle" and proposed.marker.symbol == "diamond"
    # Size and colour follow the bonus: the largest is 36 px, the scale from 0 to it.
    assert list(proposed.marker.size) == [36.0] and list(proposed.marker.color) == [12000.0]
    assert list(approved.marker.size) == [8 + 28 * 0.5]
    assert (approved.marker.cmin, approved.marker.cmax) == (0, 12000.0)
    assert approved.marker.showscale and not proposed.marker.showscale
    assert approved.text[0] == ("<b>peer</b><br>Sales<br>Grade: S<br>OKR score: 120.00<br>"
                                "KPI score: 120.00<br>Bonus: 3,000.00 (approved)")
    assert proposed.text[0].endswith("Bonus: 12,000.00 (proposed, not approved yet)")
    lines = [(shape.x0, shape.x1, shape.y0, shape.y1) for shape in figure.layout.shapes]
    assert lines == [(100.0, 100.0, 0, 1), (0, 1, 100.0, 100.0)]
    assert [a.text for a in figure.layout.annotations] == [
        "<b>High OKR, high KPI</b>", "<b>High OKR, low KPI</b><br>exploring new ground",
        "<b>Low OKR, high KPI</b><br>delivering", "<b>Low OKR, low KPI</b>"]
    assert [(a.x, a.y) for a in figure.layout.annotations] == [(1, 1), (1, 0), (0, 1), (0, 0)]
    assert list(figure.layout.xaxis.range) == [70.0, 130.0]
    assert figure.layout.xaxis.title.text == "OKR score"
    assert figure.layout.yaxis.title.text == "KPI score"


def test_names_are_escaped_in_the_hover(org):
    point = BonusPoint(1, "<i>x</i>", None, "A & B", "", Decimal(90), Decimal(110),
                       Decimal("0.00"), NONE)
    with translation.override("en"):
        figure = reports_bonus.quadrant_figure([point])
    assert figure.data[0].name == "No bonus award"
    assert figure.data[0].text[0] == ("<b>&lt;i&gt;x&lt;/i&gt;</b><br>A &amp; B<br>Grade: —<br>"
                                      "OKR score: 90<br>KPI score: 110<br>No bonus award")


# --- the page ---------------------------------------------------------------------------------


def _cells(html: str, row_class: str) -> list[list[str]]:
    rows = re.findall(rf'<tr class="{row_class}"[^>]*>(.*?)</tr>', html, re.S)
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in rows]


def test_the_page_shows_the_latest_published_cycle(org, reviews, client_as):
    response = english(client_as(org.users["finance"])).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bonuses against OKR and KPI scores, 2026-Q4 final" in html
    assert 'aria-current="page" href="/pay/reports/bonuses/"' in html
    assert _cells(html, "td-quadrant-row") == [
        ["High OKR, high KPI", "1", "12,000.00", "12,000.00", "50.0 %"],
        ["High OKR, low KPI (exploring new ground)", "0", "0.00", "—", "0.0 %"],
        ["Low OKR, high KPI (delivering)", "1", "12,000.00", "12,000.00", "50.0 %"],
        ["Low OKR, low KPI", "0", "0.00", "—", "0.0 %"]]
    assert _cells(html, "td-quadrant-total") == [
        ["Total", "2", "24,000.00", "12,000.00", "100.0 %"]]
    assert "Share of all bonuses" in html
    assert _cells(html, "td-bonus-department-row") == [
        ["R&amp;D / Platform", "1", "80.00", "120.00", "12,000.00"],
        ["Sales", "1", "120.00", "120.00", "12,000.00"]]
    assert _cells(html, "td-bonus-department-total") == [
        ["Total", "2", "100.00", "120.00", "24,000.00"]]
    assert "2 bonuses are proposed, not approved yet" in html
    # Only the published cycle is offered, not the draft or the open one.
    options = re.findall(r'<option value="(\d*)"', html)
    assert options[:2] == ["", str(reviews.published.pk)]
    assert options[2:] == ["", str(org.rnd.pk), str(org.platform.pk), str(org.sales.pk)]
    figure = re.search(r'data-td-figure="([^"]+)"', html).group(1)
    data = json.loads(figure.replace("&quot;", '"').replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'"))
    assert [trace["name"] for trace in data["data"]] == ["Proposed bonus, not approved yet"]
    assert "plotly.min.js" in html
    assert f"/reviews/cycles/{reviews.published.pk}/bonuses/" in html


def test_the_page_in_chinese_by_default(org, reviews, client_as):
    html = client_as(org.users["hr"]).get(URL).content.decode()
    assert [cells[0] for cells in _cells(html, "td-bonus-department-row")] == [
        "研发部 / 平台组", "销售部"]
    assert '<html lang="zh-hans"' in html


def test_the_page_for_a_department_and_a_chosen_cycle(org, reviews, client_as):
    html = english(client_as(org.users["hr"])).get(
        f"{URL}?cycle={reviews.published.pk}&department={org.sales.pk}").content.decode()
    assert [cells[:2] for cells in _cells(html, "td-quadrant-row")] == [
        ["High OKR, high KPI", "1"], ["High OKR, low KPI (exploring new ground)", "0"],
        ["Low OKR, high KPI (delivering)", "0"], ["Low OKR, low KPI", "0"]]
    assert [cells[0] for cells in _cells(html, "td-bonus-department-row")] == ["Sales"]
    assert f'<option value="{org.sales.pk}" selected>' in html


def test_a_closed_cycle_is_offered_and_the_latest_published_is_the_default(org, reviews,
                                                                          client_as):
    from django.utils import timezone

    from tandem.reviews.models import CycleStatus, ReviewCycle

    with scope(company=org.company.pk):
        ReviewCycle.objects.filter(pk=reviews.open.pk).update(
            status=CycleStatus.CLOSED, published_at=timezone.now())
    html = english(client_as(org.users["hr"])).get(URL).content.decode()
    assert "Bonuses against OKR and KPI scores, 2026-Q4 review" in html
    options = re.findall(r'<option value="(\d*)"', html)
    assert options[:3] == ["", str(reviews.open.pk), str(reviews.published.pk)]
    # Six reviews, staff and peer scored, nobody with an award: no share to take.
    assert _cells(html, "td-quadrant-row")[4] == [
        "Without an OKR or KPI score", "4", "0.00", "0.00", "—"]
    assert _cells(html, "td-quadrant-total") == [["Total", "6", "0.00", "0.00", "—"]]
    assert "6 people have no bonus award (no bonus policy covered them)" in html
    assert "data-td-figure" in html


def test_without_anyone_to_place_there_is_no_chart(org, reviews, client_as):
    with scope(company=org.company.pk):
        Review.objects.filter(cycle=reviews.published).update(okr_score=None)
    html = english(client_as(org.users["hr"])).get(URL).content.decode()
    assert "there is nothing to place on the chart" in html
    assert "data-td-figure" not in html
    assert _cells(html, "td-quadrant-row")[4][:3] == [
        "Without an OKR or KPI score", "2", "24,000.00"]


@pytest.mark.parametrize("query", ["?cycle=abc", "?cycle=999999", "?department=999999",
                                   "?department=x"])
def test_a_bad_choice_is_a_400_with_the_form_error(org, reviews, client_as, query):
    response = english(client_as(org.users["hr"])).get(f"{URL}{query}")
    assert response.status_code == 400
    assert "td-report-error" in response.content.decode()


def test_a_cycle_not_yet_published_cannot_be_chosen(org, reviews, client_as):
    for cycle in (reviews.open, reviews.draft):
        response = client_as(org.users["hr"]).get(f"{URL}?cycle={cycle.pk}")
        assert response.status_code == 400


def test_another_companys_cycle_cannot_be_chosen(org, other_org, reviews, client_as):
    theirs = make_reviews(other_org).published
    response = client_as(org.users["hr"]).get(f"{URL}?cycle={theirs.pk}")
    assert response.status_code == 400
    assert "other-" not in response.content.decode()


def test_without_a_published_cycle_the_page_says_so(org, client_as):
    response = english(client_as(org.users["finance"])).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No published review cycle yet" in html
    assert "td-bonus-quadrants" not in html


@pytest.mark.parametrize("role", ["owner", "lead", "staff", "peer"])
def test_only_hr_and_finance_read_the_report(org, reviews, client_as, role):
    assert client_as(org.users[role]).get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(org, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={URL}"


# Session, user, membership, the notification count and the employee of the layout, then the
# page's own: the departments (one), the cycles (one), the reviews with their awards (one).
# Measured with 2 and 20 reviews alike.
QUERIES = 8


def _more_reviews(org, reviews, count):
    from tandem.core.testing import make_employee

    with scope(company=org.company.pk):
        for n in range(count):
            employee = make_employee(org.company, org.sales, name=f"e{n}")
            review = Review.objects.create(
                company=org.company, cycle=reviews.published, employee=employee,
                department=org.sales, okr_weight=Decimal("0.4"), kpi_weight=Decimal("0.6"),
                okr_score=Decimal(70 + 5 * n), kpi_score=Decimal(130 - 5 * n), grade="B",
                stage="published")
            BonusAward.objects.create(company=org.company, review=review,
                                      policy=reviews.standard, amount=Decimal(1000 * n),
                                      raw=Decimal(1000 * n))


@pytest.mark.parametrize("extra", [0, 18])
def test_the_report_takes_the_same_queries_whatever_the_number_of_reviews(
        org, reviews, client_as, django_assert_max_num_queries, extra):
    _more_reviews(org, reviews, extra)
    client = client_as(org.users["hr"])
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"{URL}?department={org.sales.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert _cells(html, "td-bonus-department-total")[0][1] == str(1 + extra)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(URL).status_code == 200
