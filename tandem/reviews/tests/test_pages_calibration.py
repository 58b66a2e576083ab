"""The calibration board: people by grade with their scores, the headcount per grade beside
the forced distribution's quota (a Plotly figure), grade moves with a reason and their
history, leaders limited to the people they lead, suggestions that are never applied, and
sending a review back to the manager."""

import html as html_lib
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.reviews import services
from tandem.reviews.models import CycleStatus, EventKind, Review, ReviewEvent, Stage
from tandem.reviews.testing import make_reviews

# Final score and grade by score of each person in the open cycle, calibrating.
SCORES = {"owner": ("120", "S"), "hr": ("105", "A"), "finance": ("95", "B"),
          "lead": ("90", "B"), "staff": ("80", "C"), "peer": ("60", "D")}


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def reviews(org, goals, kpis):
    """The open cycle, every review assessed with the scores above, calibration started."""
    made = make_reviews(org, goals, kpis)
    with scope(company=org.company.pk):
        for role, (score, grade) in SCORES.items():
            Review.objects.filter(cycle=made.open, employee=org.employees[role]).update(
                stage=Stage.ASSESSED, final_score=Decimal(score), grade=grade,
                calculated_grade=grade)
        services.start_calibration(actor=None, cycle=made.open)
    return made


def _board(cycle, query=""):
    return f"/reviews/cycles/{cycle.pk}/calibration/{query}"


def _review(org, reviews, role) -> Review:
    with scope(company=org.company.pk):
        return Review.objects.get(cycle=reviews.open, employee=org.employees[role])


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def _group(html: str, grade: str) -> str:
    match = re.search(rf'<div class="card mb-3" data-grade-group="{grade}">(.*?)'
                      r'(?=<div class="card mb-3"|</main>)', html, re.S)
    assert match, grade
    return match[1]


def _names(fragment: str) -> list[str]:
    rows = re.findall(r'<tr id="review-\d+" data-review="\d+">\s*<td>(\w+)', fragment)
    return rows


def test_the_board_shows_people_by_grade_with_their_scores(client_as, english, org, reviews):
    html = client_as(org.users["hr"]).get(_board(reviews.open)).content.decode()
    assert [_names(_group(html, grade)) for grade in "SABCD"] == [
        ["owner"], ["hr"], ["finance", "lead"], ["staff"], ["peer"]]
    assert dict(re.findall(r'data-actual="(\w)">(\d+)<', html)) == {
        "S": "1", "A": "1", "B": "2", "C": "1", "D": "1"}
    assert dict(re.findall(r'data-quota="(\w)">(\d+)<', html)) == {
        "S": "1", "A": "1", "B": "3", "C": "1", "D": "0"}
    staff_pk = _review(org, reviews, "staff").pk
    staff = _text(re.search(rf'<tr id="review-{staff_pk}" data-review="{staff_pk}">(.*?)</tr>',
                            html, re.S)[1])
    assert staff.startswith(f"staff {org.employees['staff'].employee_number} Platform "
                            "Assessed")
    assert " 80.00 C " in f"{staff} "
    # Suggestions only when asked for (the cycle's frozen settings do not use them).
    assert "data-distribution" not in html and "data-suggestion=" not in html


def test_the_chart_is_actual_headcount_against_the_quota(client_as, english, org, reviews):
    html = client_as(org.users["hr"]).get(_board(reviews.open)).content.decode()
    figure = json.loads(html_lib.unescape(re.search(r'data-td-figure="([^"]*)"', html)[1]))
    assert [trace["name"] for trace in figure["data"]] == ["People now",
                                                          "Forced distribution quota"]
    assert [trace["x"] for trace in figure["data"]] == [list("SABCD")] * 2
    assert [trace["y"] for trace in figure["data"]] == [[1, 1, 2, 1, 1], [1, 1, 3, 1, 0]]
    assert [trace["text"] for trace in figure["data"]] == [["1", "1", "2", "1", "1"],
                                                          ["1", "1", "3", "1", "0"]]
    assert "plotly/plotly.min.js" in html and "goals/charts.js" in html


def test_forced_distribution_suggestions_are_shown_never_applied(client_as, english, org,
                                                                 reviews):
    client = client_as(org.users["hr"])
    html = client.get(_board(reviews.open, "?show_distribution=on")).content.decode()
    staff, peer = _review(org, reviews, "staff"), _review(org, reviews, "peer")
    suggestions = re.findall(r'<li data-suggested="(\d+)"><strong>(\w+)</strong>: (.*?)</li>',
                             html)
    assert suggestions == [
        (str(staff.pk), "staff", "Ranked 5 of 6 by final score 80.00: the distribution gives "
                                 "B (quota 3), the current grade is C."),
        (str(peer.pk), "peer", "Ranked 6 of 6 by final score 60.00: the distribution gives "
                               "C (quota 1), the current grade is D."),
    ]
    assert 'data-suggestion="B"' in html and 'data-suggestion="C"' in html
    assert "2 people&#x27;s grades differ from the distribution" in html
    with scope(company=org.company.pk):
        assert dict(Review.objects.filter(cycle=reviews.open).values_list(
            "employee__name", "grade")) == {role: grade for role, (_s, grade) in SCORES.items()}
        assert not ReviewEvent.objects.filter(kind=EventKind.GRADE_CHANGED).exists()
        # Frozen settings that use the distribution show it without the tick.
        reviews.open.refresh_from_db()
        reviews.open.policy["use_distribution"] = True
        reviews.open.save(update_fields=["policy"])
    html = client.get(_board(reviews.open)).content.decode()
    assert html.count("<li data-suggested=") == 2
    assert 'name="show_distribution"' not in html


def test_a_grade_move_without_a_reason_is_refused_inline(client_as, english, org, reviews):
    staff = _review(org, reviews, "staff")
    response = client_as(org.users["hr"]).post(
        f"/reviews/{staff.pk}/grade/", {f"move-{staff.pk}-grade": "B",
                                        f"move-{staff.pk}-reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    row = re.search(rf'<tr id="review-{staff.pk}" .*?</tr>', html, re.S)[0]
    assert re.search(r'data-error="reason">Say why the grade differs from the score&#x27;s.<',
                     row)
    staff.refresh_from_db()
    assert (staff.grade, staff.grade_reason) == ("C", "")
    with scope(company=org.company.pk):
        assert not ReviewEvent.objects.filter(review=staff, kind=EventKind.GRADE_CHANGED
                                              ).exists()


def test_a_grade_move_with_a_reason_moves_it_and_writes_history(client_as, english, org,
                                                                reviews):
    client = client_as(org.users["hr"])
    staff = _review(org, reviews, "staff")
    response = client.post(f"/reviews/{staff.pk}/grade/", {
        f"move-{staff.pk}-grade": "B", f"move-{staff.pk}-reason": "Led the migration",
        "department": str(org.rnd.pk)})
    assert response.status_code == 302
    assert response["Location"] == (f"/reviews/cycles/{reviews.open.pk}/calibration/"
                                    f"?department={org.rnd.pk}#review-{staff.pk}")
    staff.refresh_from_db()
    assert (staff.grade, staff.calculated_grade, staff.grade_reason) == (
        "B", "C", "Led the migration")
    with scope(company=org.company.pk):
        event = ReviewEvent.objects.get(review=staff, kind=EventKind.GRADE_CHANGED)
    assert (event.from_grade, event.to_grade, event.reason, event.by) == (
        "C", "B", "Led the migration", org.users["hr"])
    html = client.get(response["Location"]).content.decode()
    assert "staff: grade B." in html
    moves = re.search(r"<ul class=\"list-unstyled small mb-0\" data-moves>(.*?)</ul>", html,
                      re.S)[1]
    assert _text(moves) == "2026-11-26 10:00 · staff: grade C → B · “Led the migration” · hr"
    assert _names(_group(html, "B")) == ["lead", "staff"]
    assert "by score C: Led the migration" in _text(_group(html, "B"))


def test_a_leader_sees_and_moves_only_the_people_they_lead(client_as, english, org,
                                                           reviews):
    client = client_as(org.users["lead"])
    html = client.get(_board(reviews.open)).content.decode()
    assert re.findall(r'data-review="\d+">\s*<td>(\w+)', html) == ["staff"]
    assert "The people you lead." in html
    peer, staff = _review(org, reviews, "peer"), _review(org, reviews, "staff")
    refused = client.post(f"/reviews/{peer.pk}/grade/", {f"move-{peer.pk}-grade": "C",
                                                         f"move-{peer.pk}-reason": "x"})
    assert refused.status_code == 403
    peer.refresh_from_db()
    assert peer.grade == "D"
    assert client.post(f"/reviews/{peer.pk}/return/", {f"return-{peer.pk}-reason": "x"}
                       ).status_code == 403
    moved = client.post(f"/reviews/{staff.pk}/grade/", {f"move-{staff.pk}-grade": "B",
                                                        f"move-{staff.pk}-reason": "Scope"})
    assert moved.status_code == 302
    staff.refresh_from_db()
    assert staff.grade == "B"


@pytest.mark.parametrize("role", ["finance", "staff", "peer"])
def test_who_leads_nobody_has_no_board(client_as, org, reviews, role):
    assert client_as(org.users[role]).get(_board(reviews.open)).status_code == 403


def test_the_department_filter_keeps_the_department_and_those_below(client_as, english, org,
                                                                    reviews):
    html = client_as(org.users["hr"]).get(
        _board(reviews.open, f"?department={org.rnd.pk}")).content.decode()
    assert re.findall(r'data-review="\d+">\s*<td>(\w+)', html) == ["lead", "staff"]
    # The move forms carry the filter back to the board.
    assert f'<input type="hidden" name="department" value="{org.rnd.pk}">' in html


def test_returning_a_review_needs_a_reason_and_reopens_the_assessments(client_as, english,
                                                                       org, reviews):
    client = client_as(org.users["hr"])
    staff = _review(org, reviews, "staff")
    refused = client.post(f"/reviews/{staff.pk}/return/", {f"return-{staff.pk}-reason": ""})
    assert refused.status_code == 400
    assert ('data-error="return-reason">Say what the manager should look at again.<'
            in refused.content.decode())
    staff.refresh_from_db()
    assert staff.stage == Stage.ASSESSED
    response = client.post(f"/reviews/{staff.pk}/return/",
                           {f"return-{staff.pk}-reason": "Check the KPI figures"}, follow=True)
    assert "staff&#x27;s review is back with the manager." in response.content.decode()
    staff.refresh_from_db()
    assert staff.stage == Stage.MANAGER
    with scope(company=org.company.pk):
        reviews.open.refresh_from_db()
    assert reviews.open.status == CycleStatus.ASSESSMENT
    html = response.content.decode()
    assert "Sent back to the manager · “Check the KPI figures” · hr" in _text(html)
    # Back in assessment: grades do not move, the forms are gone.
    assert "data-move-form" not in html and "data-not-calibrating" in html


def test_the_board_costs_the_same_queries_for_1_or_15_more_people(
        client_as, english, org, reviews, django_assert_max_num_queries):
    client = client_as(org.users["hr"])

    def add(count):
        with scope(company=org.company.pk):
            for _number in range(count):
                person = make_employee(org.company, org.platform)
                review = Review.objects.create(
                    company=org.company, cycle=reviews.open, employee=person,
                    department=org.platform, stage=Stage.ASSESSED,
                    okr_weight=Decimal("0.4"), kpi_weight=Decimal("0.6"),
                    final_score=Decimal("88"), grade="B", calculated_grade="B")
                ReviewEvent.objects.create(company=org.company, review=review,
                                           kind=EventKind.GRADE_CHANGED, from_grade="C",
                                           to_grade="B", reason="r", by=org.users["lead"])

    add(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_board(reviews.open, "?show_distribution=on")).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(_board(reviews.open, "?show_distribution=on")).content.decode()
    assert html.count('<tr id="review-') == 22


def test_a_crowded_grade_shows_its_best_and_links_to_all_of_them(client_as, english, org,
                                                                 reviews):
    """Each grade shows its 25 best-scored people; the link lists them all, 100 a page
    (finance and lead are in B too: 132 in all)."""
    with scope(company=org.company.pk):
        for number in range(130):
            person = make_employee(org.company, org.platform, name=f"extra{number:03}")
            Review.objects.create(
                company=org.company, cycle=reviews.open, employee=person,
                department=org.platform, stage=Stage.ASSESSED, okr_weight=Decimal("0.4"),
                kpi_weight=Decimal("0.6"), final_score=Decimal("99") - number / Decimal(10),
                grade="B", calculated_grade="B")
    client = client_as(org.users["hr"])
    html = client.get(_board(reviews.open)).content.decode()
    crowded = _group(html, "B")
    assert crowded.count('<tr id="review-') == 25
    assert _names(crowded)[:2] == ["extra000", "extra001"]
    assert "All 132 people graded B" in _text(crowded)
    assert 'data-actual="B">132<' in html
    first = client.get(_board(reviews.open, "?grade=B")).content.decode()
    assert first.count('<tr id="review-') == 100
    assert "Page 1 of 2" in _text(first)
    assert 'data-grade-group="A"' not in first
    second = client.get(_board(reviews.open, "?grade=B&page=2")).content.decode()
    assert second.count('<tr id="review-') == 32
