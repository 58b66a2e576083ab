"""My reviews, my review in a cycle (evidence, self assessment, result once published,
acknowledgement) and the feedback colleagues asked of me."""

import re

import pytest
from django.conf import settings
from django_scopes import scope

from tandem.reviews.models import PeerFeedback, Review, Stage
from tandem.reviews.testing import make_reviews


@pytest.fixture
def reviews(org):
    return make_reviews(org)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _block(html: str, element_id: str) -> str:
    """The text of the element with this id, up to the next element with an id of the same
    kind (good enough for the cards these pages are made of)."""
    start = html.index(">", html.index(f'id="{element_id}"')) + 1
    return _text(html[start:start + 4000])


def _reload(review):
    return Review.objects.with_scope(company=review.company_id).get(pk=review.pk)


def test_my_reviews_lists_each_cycle_with_its_step_and_the_grade_once_published(
        client_as, english, org, reviews):
    html = client_as(org.users["staff"]).get("/reviews/").content.decode()
    open_row = _text(html[html.index(f'id="my-review-{reviews.staff.pk}"'):
                          html.index(f'id="my-review-{reviews.staff.pk}"') + 600].split("</a>")[0])
    done_row = _text(html[html.index(f'id="my-review-{reviews.staff_done.pk}"'):].split(
        "</a>")[0])
    # Scored A already, but not published: no grade.
    assert open_row.endswith("2026-Q4 review Self assessment")
    assert done_row.endswith("2026-Q4 final Published Grade A")
    assert f'href="/reviews/mine/{reviews.open.pk}/"' in html
    assert "Feedback asked of me" in html


def test_my_review_shows_the_evidence_and_no_score_before_publication(
        client_as, english, org, reviews):
    response = client_as(org.users["staff"]).get(f"/reviews/mine/{reviews.open.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    objective = _block(html, f"objective-{reviews.staff.inputs['objectives'][0]['key']}")
    assert objective.startswith("Build the billing service Committed, expected 100 % "
                                "Progress 80.0 % · Weight 1 Invoices sent 80 / 100 · 80.0 %")
    kpi = _block(html, f"kpi-{reviews.staff.inputs['kpis'][0]['key']}")
    assert kpi.startswith("Defects DEFECTS Weight 100.0 % Actual 4 Target 5 Attainment 120.0 %")
    text = _text(html)
    assert "Self assessment" in text and 'id="self-form"' in html
    # staff's review is scored 100.00 / A already: none of it shows to staff.
    for hidden in ("100.00", "80.00", "120.00", "OKR score", "Grade", "Final score"):
        assert hidden not in text, hidden
    assert f"/reviews/{reviews.staff.pk}/explain/" not in html
    # One column of cards, no table: the page fits a 375 px screen.
    assert "<table" not in html


def test_the_person_cannot_open_the_explanation_before_publication(client_as, org, reviews):
    client = client_as(org.users["staff"])
    assert client.get(f"/reviews/{reviews.staff.pk}/explain/").status_code == 403
    assert client.get(f"/reviews/{reviews.staff_done.pk}/explain/").status_code == 200


def test_the_person_opening_the_manager_page_is_sent_to_my_review(client_as, org, reviews):
    client = client_as(org.users["staff"])
    response = client.get(f"/reviews/{reviews.staff.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/mine/{reviews.open.pk}/"
    assert client.post(f"/reviews/{reviews.staff.pk}/", {"version": 1}).status_code == 403


def test_submitting_the_self_assessment_moves_the_step_and_shows_it_read_only(
        client_as, english, org, reviews):
    client = client_as(org.users["staff"])
    url = f"/reviews/mine/{reviews.open.pk}/"
    response = client.post(url, {"self_summary": "Billing shipped; invoices at 80.",
                                 "version": reviews.staff.version})
    assert response.status_code == 302 and response["Location"] == url
    review = _reload(reviews.staff)
    assert review.stage == Stage.MANAGER
    assert review.self_summary == "Billing shipped; invoices at 80."
    html = client.get(url).content.decode()
    assert 'id="self-form"' not in html
    assert _block(html, "self-summary").startswith("Billing shipped; invoices at 80.")
    assert _block(html, "my-stage").startswith("Manager assessment")
    # A second submission is refused by the service.
    again = client.post(url, {"self_summary": "Again", "version": review.version})
    assert again.status_code == 400
    assert "The self assessment of this review is not open." in _text(again.content.decode())
    assert _reload(reviews.staff).self_summary == "Billing shipped; invoices at 80."


def test_an_empty_self_assessment_shows_the_error_on_the_field(client_as, english, org,
                                                               reviews):
    response = client_as(org.users["staff"]).post(
        f"/reviews/mine/{reviews.open.pk}/", {"self_summary": "   ",
                                              "version": reviews.staff.version})
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="id_self_summary"'):]
    assert "invalid-feedback" in field[:800]
    assert _reload(reviews.staff).stage == Stage.SELF


def test_a_stale_version_is_refused_and_nothing_changes(client_as, english, org, reviews):
    response = client_as(org.users["staff"]).post(
        f"/reviews/mine/{reviews.open.pk}/",
        {"self_summary": "Late edit", "version": reviews.staff.version + 5})
    assert response.status_code == 400
    assert "This record was changed by someone else meanwhile" in response.content.decode()
    assert _reload(reviews.staff).stage == Stage.SELF


def test_a_missing_version_says_the_page_is_out_of_date(client_as, english, org, reviews):
    response = client_as(org.users["staff"]).post(f"/reviews/mine/{reviews.open.pk}/",
                                                  {"self_summary": "No version"})
    assert response.status_code == 400
    assert "This page is out of date." in response.content.decode()


def test_a_cycle_i_am_not_in(client_as, english, org, reviews):
    client = client_as(org.users["staff"])
    response = client.get(f"/reviews/mine/{reviews.draft.pk}/")
    assert response.status_code == 200
    assert "You are not reviewed in this cycle." in _text(response.content.decode())
    assert client.post(f"/reviews/mine/{reviews.draft.pk}/",
                       {"self_summary": "x", "version": 1}).status_code == 403


def test_the_published_result_with_its_explanation_and_the_acknowledgement(
        client_as, english, org, reviews):
    client = client_as(org.users["staff"])
    url = f"/reviews/mine/{reviews.published.pk}/"
    html = client.get(url).content.decode()
    scores = _block(html, "review-scores")
    assert scores.startswith("OKR score 80.00 KPI score 120.00 Final score 100.00 Grade A")
    text = _text(html)
    assert "Manager's assessment Solid quarter." in text
    # staff is in R&D: the override's 50/50 shares.
    assert "Weights: OKR 50.0 %, KPI 50.0 %" in text
    assert "Final score = 0.5 × OKR score 80.00 + 0.5 × KPI score 120.00 = 100.00" in text
    assert "Grade A: 100.00 is at least 100." in text
    assert f'action="/reviews/{reviews.staff_done.pk}/acknowledge/"' in html
    response = client.post(f"/reviews/{reviews.staff_done.pk}/acknowledge/",
                           {"comment": "Agreed.", "version": reviews.staff_done.version})
    assert response.status_code == 302 and response["Location"] == url
    review = _reload(reviews.staff_done)
    assert review.stage == Stage.ACKNOWLEDGED
    assert review.acknowledgement_comment == "Agreed."
    after = _text(client.get(url).content.decode())
    assert "You acknowledged this result on" in after and "Agreed." in after
    assert f'action="/reviews/{reviews.staff_done.pk}/acknowledge/"' not in client.get(
        url).content.decode()


def test_acknowledging_twice_or_from_an_old_page_is_refused(client_as, english, org,
                                                             reviews):
    client = client_as(org.users["staff"])
    url = f"/reviews/{reviews.staff_done.pk}/acknowledge/"
    stale = client.post(url, {"version": reviews.staff_done.version + 5})
    assert stale.status_code == 400
    assert "This record was changed by someone else meanwhile" in stale.content.decode()
    assert _reload(reviews.staff_done).stage == Stage.PUBLISHED
    assert client.post(url, {"version": reviews.staff_done.version}).status_code == 302
    again = client.post(url, {"version": _reload(reviews.staff_done).version})
    assert again.status_code == 400
    assert "Only a published result waits for acknowledgement." in _text(
        again.content.decode())
    # Someone else's result: not theirs to acknowledge.
    assert client_as(org.users["peer"]).post(
        url, {"version": 1}).status_code == 403


def test_feedback_asked_of_me_and_giving_it(client_as, english, org, reviews):
    client = client_as(org.users["peer"])
    html = client.get("/reviews/feedback/").content.decode()
    row = _text(html[html.index(f'id="feedback-{reviews.feedback.pk}"'):].split("</a>")[0])
    assert row.endswith("staff 2026-Q4 review Waiting for you")
    url = f"/reviews/feedback/{reviews.feedback.pk}/"
    empty = client.post(url, {"strengths": "", "improvements": " "})
    assert empty.status_code == 400
    field = empty.content.decode()
    field = field[field.index('id="id_strengths"'):]
    assert "Write at least one of the two parts." in field[:800]
    done = client.post(url, {"strengths": "Careful reviews", "improvements": "Demo earlier"})
    assert done.status_code == 302 and done["Location"] == "/reviews/feedback/"
    with scope(company=org.company.pk):
        feedback = PeerFeedback.objects.get(pk=reviews.feedback.pk)
    assert (feedback.strengths, feedback.improvements) == ("Careful reviews", "Demo earlier")
    assert feedback.submitted_at is not None
    listed = client.get("/reviews/feedback/").content.decode()
    assert _text(listed[listed.index(f'id="feedback-{reviews.feedback.pk}"'):].split(
        "</a>")[0]).endswith("Given")
    # Only the colleague asked may open it; the person reviewed does not.
    assert client_as(org.users["staff"]).get(url).status_code == 403


def test_my_pages_render_in_chinese_by_default(client_as, org, reviews):
    html = client_as(org.users["staff"]).get(f"/reviews/mine/{reviews.open.pk}/").content.decode()
    assert '<html lang="zh-hans">' in html
