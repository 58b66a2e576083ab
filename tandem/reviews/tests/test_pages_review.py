"""The team's reviews and one review as its manager sees it: evidence, self assessment, peer
feedback, the assessment form (difficulty per objective, adjustment, written assessment),
the recomputed scores, the history and the explanation panel."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.reviews import services
from tandem.reviews.models import EventKind, PeerFeedback, Review, Stage
from tandem.reviews.testing import hr_actor, make_reviews


@pytest.fixture
def reviews(org):
    return make_reviews(org)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _block(html: str, element_id: str, length: int = 4000) -> str:
    start = html.index(">", html.index(f'id="{element_id}"')) + 1
    return _text(html[start:start + length])


def _reload(review):
    return Review.objects.with_scope(company=review.company_id).get(pk=review.pk)


def _objective(review) -> int:
    return review.inputs["objectives"][0]["key"]


def _rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="review-(\d+)"', html)]


def _assess(client, review, **fields):
    key = _objective(review)
    data = {f"difficulty_{key}": "1", f"reason_{key}": "", "adjustment": "0",
            "adjustment_reason": "", "manager_summary": "", "action": "save",
            "version": _reload(review).version}
    data.update({name.replace("OBJ", str(key)): value for name, value in fields.items()})
    return client.post(f"/reviews/{review.pk}/", data)


# ---------------------------------------------------------------------------------------------
# The team's reviews


def test_a_leader_sees_the_people_they_lead_and_not_themselves(client_as, english, org,
                                                               reviews):
    html = client_as(org.users["lead"]).get("/reviews/team/").content.decode()
    assert _rows(html) == [reviews.staff.pk]
    row = _text(html[html.index(f'id="review-{reviews.staff.pk}"'):].split("</tr>")[0][1:])
    # person, department, step, OKR, KPI, final, grade, due (the self assessment has none)
    assert row.endswith("staff Platform Self assessment 80.00 120.00 100.00 A —")


def test_hr_and_finance_see_everyone_and_the_others_are_refused(client_as, org, reviews):
    for role in ("hr", "finance", "owner"):
        html = client_as(org.users[role]).get("/reviews/team/").content.decode()
        assert len(_rows(html)) == 6, role
    for role in ("staff", "peer"):
        assert client_as(org.users[role]).get("/reviews/team/").status_code == 403


def test_the_cycle_picker_and_the_stage_filter(client_as, english, org, reviews):
    client = client_as(org.users["hr"])
    published = client.get(f"/reviews/team/?cycle={reviews.published.pk}").content.decode()
    assert sorted(_rows(published)) == sorted([reviews.staff_done.pk, reviews.peer_done.pk])
    row = _text(published[published.index(f'id="review-{reviews.peer_done.pk}"'):].split(
        "</tr>")[0][1:])
    assert row.endswith("peer Sales Published 120.00 120.00 120.00 S —")
    url = f"/reviews/team/?cycle={reviews.open.pk}&stage=manager"
    assert _rows(client.get(url).content.decode()) == []
    with scope(company=org.company.pk):
        services.submit_self(actor=None, review=reviews.staff, summary="Done")
    assert _rows(client.get(url).content.decode()) == [reviews.staff.pk]
    # The manager's deadline of the open cycle is the due date of that step.
    assert "2027-01-15" in client.get(url).content.decode()
    # An unknown step shows every step; a draft cycle is not offered.
    assert len(_rows(client.get(f"/reviews/team/?cycle={reviews.open.pk}&stage=x")
                     .content.decode())) == 6
    assert client.get(f"/reviews/team/?cycle={reviews.draft.pk}").status_code == 404


def test_the_team_list_takes_as_many_queries_for_15_reviews_as_for_1(client_as, org,
                                                                     django_assert_max_num_queries,
                                                                     reviews):
    hr = hr_actor(org)
    with scope(company=org.company.pk):
        people = [org.employees["staff"]] + [
            make_employee(org.company, org.platform, name=f"extra-{n}") for n in range(14)]
        one = services.save_cycle(actor=hr, company=org.company, name="One",
                                  goal_cycles=[reviews.open.goal_cycles.get()], scope="people",
                                  people=people[:1])
        many = services.save_cycle(actor=hr, company=org.company, name="Many",
                                   goal_cycles=[reviews.open.goal_cycles.get()],
                                   scope="people", people=people)
        services.open_cycle(actor=hr, cycle=one)
        services.open_cycle(actor=hr, cycle=many)
    client = client_as(org.users["hr"])
    client.get(f"/reviews/team/?cycle={one.pk}")
    with CaptureQueriesContext(connection) as single:
        assert len(_rows(client.get(f"/reviews/team/?cycle={one.pk}").content.decode())) == 1
    with django_assert_max_num_queries(len(single)):
        assert len(_rows(client.get(f"/reviews/team/?cycle={many.pk}").content.decode())) == 15



def test_the_team_list_comes_100_a_page(client_as, org, reviews):
    hr = hr_actor(org)
    with scope(company=org.company.pk):
        people = [make_employee(org.company, org.platform, name=f"many-{n:03}")
                  for n in range(105)]
        cycle = services.save_cycle(actor=hr, company=org.company, name="Crowd",
                                    goal_cycles=[reviews.open.goal_cycles.get()],
                                    scope="people", people=people)
        services.open_cycle(actor=hr, cycle=cycle)
    client = client_as(org.users["hr"])
    first = client.get(f"/reviews/team/?cycle={cycle.pk}").content.decode()
    assert len(_rows(first)) == 100
    assert f"?cycle={cycle.pk}&amp;page=2" in first
    assert len(_rows(client.get(f"/reviews/team/?cycle={cycle.pk}&page=2").content.decode())) == 5

# ---------------------------------------------------------------------------------------------
# One review, for its manager


def test_the_review_page_for_the_manager(client_as, english, org, reviews):
    html = client_as(org.users["lead"]).get(f"/reviews/{reviews.staff.pk}/").content.decode()
    key = _objective(reviews.staff)
    objective = _block(html, f"objective-{key}", 3000)
    assert objective.startswith("Build the billing service Committed, expected 100 % "
                                "Progress 80.0 % · Weight 1 Invoices sent 80 / 100 · 80.0 % "
                                "Difficulty of “Build the billing service” Between 0.8 and 1.3;")
    assert f'name="difficulty_{key}"' in html and f'name="reason_{key}"' in html
    assert 'min="0.8"' in html and 'max="1.3"' in html
    assert "At most 10 points up or down, with a reason." in html
    assert _block(html, "self-title").startswith("Self assessment Not submitted yet.")
    assert _block(html, f"feedback-{reviews.feedback.pk}").startswith(
        "peer Asked on ")
    assert "not given yet" in _block(html, f"feedback-{reviews.feedback.pk}", 300)
    assert f'action="/reviews/{reviews.staff.pk}/feedback/request/"' in html
    assert '<button type="submit" name="action" value="save"' in html
    # The self assessment is not in yet: Submit waits for it.
    assert re.search(r'value="submit"[^>]*disabled', html)
    assert _block(html, "review-scores").startswith(
        "OKR score 80.00 KPI score 120.00 Final score 100.00 Grade A")
    assert "Review opened" in _block(html, "review-history", 400)


def test_a_difficulty_without_its_reason_shows_the_error_next_to_that_objective(
        client_as, english, org, reviews):
    client = client_as(org.users["lead"])
    response = _assess(client, reviews.staff, difficulty_OBJ="1.2")
    assert response.status_code == 400
    html = response.content.decode()
    key = _objective(reviews.staff)
    reason = html[html.index(f'id="id_reason_{key}"'):]
    reason = reason[:reason.index("</div>", reason.index("invalid-feedback"))]
    assert "Give the reason for a difficulty of 1.2 instead of 1.0." in reason
    assert f'id="id_reason_{key}"' in html[html.index(f'id="objective-{key}"'):
                                           html.index('id="assess-title"')]
    assert 'value="1.2"' in html  # the input is kept
    with scope(company=org.company.pk):
        assert not reviews.staff.ratings.exists()
    assert _reload(reviews.staff).final_score == D("100.00")


def test_a_difficulty_outside_the_frozen_bounds(client_as, english, org, reviews):
    response = _assess(client_as(org.users["lead"]), reviews.staff, difficulty_OBJ="1.5",
                       reason_OBJ="Hard")
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index(f'id="id_difficulty_{_objective(reviews.staff)}"'):]
    assert "The difficulty 1.5 must be between 0.8 and 1.3." in field[:1500]


def test_the_adjustment_needs_its_reason_and_stays_within_the_limit(client_as, english, org,
                                                                    reviews):
    client = client_as(org.users["lead"])
    response = _assess(client, reviews.staff, adjustment="5")
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="id_adjustment_reason"'):]
    assert "Give the reason for the adjustment of 5." in field[:800]
    response = _assess(client, reviews.staff, adjustment="12", adjustment_reason="Great")
    html = response.content.decode()
    field = html[html.index('id="id_adjustment"'):]
    assert "The adjustment 12 must be between −10 and +10." in field[:800]
    assert _reload(reviews.staff).adjustment == D("0")


def test_saving_a_draft_recomputes_the_scores_and_records_the_history(client_as, english,
                                                                      org, reviews):
    client = client_as(org.users["lead"])
    response = _assess(client, reviews.staff, difficulty_OBJ="1.2",
                       reason_OBJ="New payment provider", adjustment="-3",
                       adjustment_reason="Late hand-over", manager_summary="Draft notes")
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{reviews.staff.pk}/"
    review = _reload(reviews.staff)
    # OKR 80 × 1.2 = 96; final 0.5 × 96 + 0.5 × 120 − 3 = 105 (grade A).
    assert (review.okr_score, review.final_score, review.grade) == (D("96.00"), D("105.00"),
                                                                    "A")
    assert review.stage == Stage.SELF
    html = client.get(f"/reviews/{reviews.staff.pk}/").content.decode()
    assert _block(html, "review-scores").startswith(
        "OKR score 96.00 KPI score 120.00 Final score 105.00 Grade A")
    history = _block(html, "review-history", 2000)
    assert "Difficulty set · lead · Build the billing service · 1.2 · New payment provider" \
        in history
    assert "Score adjusted · lead · -3 · Late hand-over" in history
    assert 'value="New payment provider"' in html and "Draft notes" in html


def test_submit_waits_for_the_self_assessment_then_hands_the_review_on(client_as, english,
                                                                       org, reviews):
    client = client_as(org.users["lead"])
    early = _assess(client, reviews.staff, manager_summary="Good", action="submit")
    assert early.status_code == 400
    assert "Wait for the self assessment before submitting yours." in _text(
        early.content.decode())
    with scope(company=org.company.pk):
        services.submit_self(actor=None, review=reviews.staff, summary="My quarter")
    empty = _assess(client, reviews.staff, action="submit")
    html = empty.content.decode()
    assert "Write your assessment before submitting it." in html[
        html.index('id="id_manager_summary"'):][:800]
    done = _assess(client, reviews.staff, manager_summary="Good", action="submit")
    assert done.status_code == 302
    review = _reload(reviews.staff)
    assert review.stage == Stage.ASSESSED and review.manager_summary == "Good"
    page = client.get(f"/reviews/{reviews.staff.pk}/").content.decode()
    assert 'id="assessment-form"' not in page
    assert _block(page, "self-summary").startswith("My quarter")
    assert _block(page, "manager-summary").startswith("Good")
    assert "Manager assessment submitted" in _block(page, "review-history", 1000)


def test_a_stale_version_keeps_the_input_and_changes_nothing(client_as, english, org,
                                                             reviews):
    client = client_as(org.users["lead"])
    key = _objective(reviews.staff)
    response = client.post(f"/reviews/{reviews.staff.pk}/", {
        f"difficulty_{key}": "1.1", f"reason_{key}": "Hard", "adjustment": "0",
        "manager_summary": "Mine", "version": reviews.staff.version + 7})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This record was changed by someone else meanwhile" in html
    assert "Mine" in html
    with scope(company=org.company.pk):
        assert not reviews.staff.ratings.exists()


def test_finance_reads_the_review_without_any_form(client_as, english, org, reviews):
    client = client_as(org.users["finance"])
    html = client.get(f"/reviews/{reviews.staff.pk}/").content.decode()
    assert 'id="assessment-form"' not in html and 'id="request-feedback-form"' not in html
    assert 'method="post"' not in html[html.index('id="td-content"'):]
    assert _block(html, "review-scores").startswith("OKR score 80.00")
    assert _assess(client, reviews.staff, manager_summary="x").status_code == 403
    assert client.post(f"/reviews/{reviews.staff.pk}/feedback/request/",
                       {"authors": [org.employees["hr"].pk]}).status_code == 403


def test_a_published_review_is_read_only_for_its_manager(client_as, english, org, reviews):
    client = client_as(org.users["lead"])
    html = client.get(f"/reviews/{reviews.staff_done.pk}/").content.decode()
    assert 'id="assessment-form"' not in html
    assert _block(html, "manager-summary").startswith("Solid quarter.")
    response = _assess(client, reviews.staff_done, manager_summary="Rewrite")
    assert response.status_code == 400
    assert "The manager assessment of this review is closed." in _text(
        response.content.decode())
    assert _reload(reviews.staff_done).manager_summary == "Solid quarter."


# ---------------------------------------------------------------------------------------------
# The explanation panel


def test_the_explanation_panel_shows_the_weights_and_the_final_formula(client_as, english,
                                                                       org, reviews):
    client = client_as(org.users["hr"])
    response = client.get(f"/reviews/{reviews.peer.pk}/explain/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a partial for the side panel
    text = _text(html)
    assert "Weights: OKR 40.0 %, KPI 60.0 %" in text
    assert "Final score = 0.4 × OKR score 120.00 + 0.6 × KPI score 120.00 = 120.00" in text
    assert ("Committed objective “Win new customers”: progress 120.0 % against the expected "
            "100.0 % → 120.0 % × 100 × difficulty 1.0 = 120.00") in text
    assert "OKR score = weighted mean of the objective scores = (1 × 120.00) / 1 = 120.00" \
        in text
    assert "KPI score = (1 × 120.00) / 1 = 120.00" in text
    assert "Grade S: 120.00 is at least 110." in text
    # Without htmx: the same lines on a page of their own.
    page = client.get(f"/reviews/{reviews.peer.pk}/explain/").content.decode()
    assert "<html" in page and "Weights: OKR 40.0 %, KPI 60.0 %" in _text(page)


def test_the_explanation_shows_the_difficulty_and_adjustment_with_their_reasons(
        client_as, english, org, reviews):
    client = client_as(org.users["hr"])
    _assess(client, reviews.peer, difficulty_OBJ="0.9", reason_OBJ="Easy market",
            adjustment="2", adjustment_reason="Helped the team")
    text = _text(client.get(f"/reviews/{reviews.peer.pk}/explain/",
                            headers={"HX-Request": "true"}).content.decode())
    assert "Difficulty 0.9 because: Easy market" in text
    # OKR 120 × 0.9 = 108; final 0.4 × 108 + 0.6 × 120 + 2 = 117.2
    assert ("Final score = 0.4 × OKR score 108.00 + 0.6 × KPI score 120.00 + adjustment 2 "
            "= 117.20") in text
    assert "Adjustment 2 because: Helped the team" in text


def test_the_scores_open_the_panel_with_htmx(client_as, org, reviews):
    html = client_as(org.users["lead"]).get(f"/reviews/{reviews.staff.pk}/").content.decode()
    assert f'hx-get="/reviews/{reviews.staff.pk}/explain/"' in html
    assert 'hx-target="#review-panel-body"' in html and 'id="review-panel"' in html


# ---------------------------------------------------------------------------------------------
# Asking for peer feedback


def test_the_manager_asks_colleagues_for_feedback(client_as, english, org, reviews):
    client = client_as(org.users["lead"])
    html = client.get(f"/reviews/{reviews.staff.pk}/").content.decode()
    form = html[html.index('id="request-feedback-form"'):]
    # Not the person reviewed, not who was asked already.
    assert f'value="{org.employees["staff"].pk}"' not in form
    assert f'value="{org.employees["peer"].pk}"' not in form
    assert f'value="{org.employees["hr"].pk}"' in form
    response = client.post(f"/reviews/{reviews.staff.pk}/feedback/request/",
                           {"authors": [org.employees["hr"].pk]})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        asked = set(PeerFeedback.objects.filter(review=reviews.staff).values_list(
            "author__name", flat=True))
    assert asked == {"peer", "hr"}
    empty = client.post(f"/reviews/{reviews.staff.pk}/feedback/request/", {})
    assert empty.status_code == 400


def test_no_feedback_request_without_the_step(client_as, english, org, reviews):
    client = client_as(org.users["hr"])
    html = client.get(f"/reviews/{reviews.peer_done.pk}/").content.decode()
    assert 'id="request-feedback-form"' not in html
    response = client.post(f"/reviews/{reviews.peer_done.pk}/feedback/request/",
                           {"authors": [org.employees["lead"].pk]})
    assert response.status_code == 400
    assert "This review cycle has no peer feedback step." in _text(response.content.decode())


def test_feedback_given_shows_on_the_review_page(client_as, english, org, reviews):
    with scope(company=org.company.pk):
        feedback = PeerFeedback.objects.select_related("review__cycle").get(
            pk=reviews.feedback.pk)
        services.give_feedback(actor=None, feedback=feedback, strengths="Reliable",
                               improvements="Write more tests")
    html = client_as(org.users["lead"]).get(f"/reviews/{reviews.staff.pk}/").content.decode()
    assert _block(html, f"feedback-{reviews.feedback.pk}", 600).startswith(
        "peer Strengths: Reliable What to improve: Write more tests")
    with scope(company=org.company.pk):
        assert reviews.staff.events.filter(kind=EventKind.OPENED).count() == 1
