"""/api/v1/reviews/: lists by visibility, results hidden from the person until published, the
explanation, the step actions with their errors, and constant queries."""

from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope

from tandem.reviews.models import Review, ReviewCycle, Stage
from tandem.reviews.testing import make_reviews

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/v1/reviews/"
HIDDEN = ("okr_score", "kpi_score", "final_score", "calculated_grade", "grade", "grade_reason",
          "adjustment", "adjustment_reason", "manager_summary", "explanation")


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


def _ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def _post(api, review, step, data):
    return api.post(f"{URL}{review.pk}/{step}/", data, format="json")


def test_a_list_holds_only_what_the_caller_may_read(org, reviews, api_as):
    with scope(company=org.company.pk):
        everyone = set(Review.objects.values_list("pk", flat=True))
        lead_own = Review.objects.get(cycle=reviews.open, employee=org.employees["lead"]).pk
    staff = {reviews.staff.pk, reviews.staff_done.pk}
    assert _ids(api_as(org.users["staff"]).get(URL)) == staff
    assert _ids(api_as(org.users["peer"]).get(URL)) == {reviews.peer.pk, reviews.peer_done.pk}
    assert _ids(api_as(org.users["lead"]).get(URL)) == staff | {lead_own}
    for role in ("owner", "hr", "finance"):
        assert _ids(api_as(org.users[role]).get(URL)) == everyone
    assert len(everyone) > 5


def test_the_filters(org, reviews, api_as):
    hr = api_as(org.users["hr"])
    assert _ids(hr.get(URL, {"cycle": reviews.published.pk})) == {reviews.staff_done.pk,
                                                                  reviews.peer_done.pk}
    assert _ids(hr.get(URL, {"employee": org.employees["staff"].pk})) == {
        reviews.staff.pk, reviews.staff_done.pk}
    assert _ids(hr.get(URL, {"stage": "published", "department": org.platform.pk})) == {
        reviews.staff_done.pk}
    lead = api_as(org.users["lead"])
    assert _ids(lead.get(URL, {"team": "true"})) == {reviews.staff.pk, reviews.staff_done.pk}
    with scope(company=org.company.pk):
        own = Review.objects.get(cycle=reviews.open, employee=org.employees["lead"]).pk
    assert _ids(lead.get(URL, {"mine": "true"})) == {own}
    assert hr.get(URL, {"mine": "maybe"}).status_code == 400
    assert hr.get(URL, {"stage": "nowhere"}).status_code == 400


def test_a_review_carries_its_scores_grade_and_explanation(org, reviews, api_as):
    row = api_as(org.users["lead"]).get(f"{URL}{reviews.staff_done.pk}/").json()
    assert row["employee"] == org.employees["staff"].pk
    assert row["cycle"] == reviews.published.pk and row["stage"] == "published"
    assert row["reviewer"] == org.employees["lead"].pk
    assert (row["okr_weight"], row["kpi_weight"]) == ("0.5000", "0.5000")
    assert (row["okr_score"], row["kpi_score"], row["final_score"]) == ("80.00", "120.00",
                                                                        "100.00")
    assert (row["calculated_grade"], row["grade"], row["grade_reason"]) == ("A", "A", "")
    assert row["manager_summary"] == "Solid quarter." and row["result_visible"] is True
    explanation = row["explanation"]
    assert explanation["okr"]["score"] == "80.00"
    [objective] = explanation["okr"]["objectives"]
    assert objective["title"] == "Build the billing service"
    assert (objective["progress"], objective["difficulty"], objective["score"]) == (
        "0.8000", "1", "80.00")
    assert objective["lines"] and objective["lines"][0] in explanation["okr"]["lines"]
    [part] = explanation["kpi"]["parts"]
    assert (part["score"], part["weight"], part["measured"]) == ("120.00", "1.0000", True)
    assert explanation["final"] == {
        "score": "100.00", "okr_weight": "0.5000", "kpi_weight": "0.5000",
        "adjustment": "0.00", "grade": "A", "lines": explanation["final"]["lines"]}
    assert "100.00" in explanation["final"]["lines"][0]


def test_the_person_reads_no_result_until_published(org, reviews, api_as, actor_of_role):
    from tandem.reviews import services

    with scope(company=org.company.pk):
        services.assess(actor=actor_of_role("lead"), review=reviews.staff, summary="Good work.",
                        adjustment="2", adjustment_reason="Helped the team.")
    staff = api_as(org.users["staff"])
    before = staff.get(f"{URL}{reviews.staff.pk}/").json()
    assert before["result_visible"] is False
    assert {name: before[name] for name in HIDDEN} == dict.fromkeys(HIDDEN)
    assert before["stage"] == "self" and before["employee"] == org.employees["staff"].pk
    listed = {row["id"]: row for row in staff.get(URL).json()["results"]}
    assert {name: listed[reviews.staff.pk][name] for name in HIDDEN} == dict.fromkeys(HIDDEN)
    assert listed[reviews.staff_done.pk]["final_score"] == "100.00"
    for role in ("hr", "finance", "lead", "owner"):
        seen = api_as(org.users[role]).get(f"{URL}{reviews.staff.pk}/").json()
        assert seen["result_visible"] is True
        assert seen["manager_summary"] == "Good work."
        assert (seen["adjustment"], seen["adjustment_reason"]) == ("2.00", "Helped the team.")
        assert seen["final_score"] is not None and seen["explanation"] is not None
    published = staff.get(f"{URL}{reviews.staff_done.pk}/").json()
    assert published["result_visible"] is True and published["grade"] == "A"
    assert published["explanation"]["final"]["score"] == "100.00"


def test_who_may_not_read_a_review_gets_403_and_another_company_404(
        org, other_org, reviews, api_as):
    assert api_as(org.users["peer"]).get(f"{URL}{reviews.staff.pk}/").status_code == 403
    assert api_as(org.users["staff"]).get(f"{URL}{reviews.peer.pk}/").status_code == 403
    theirs = make_reviews(other_org)
    hr = api_as(org.users["hr"])
    assert hr.get(f"{URL}{theirs.staff.pk}/").status_code == 404
    response = _post(hr, theirs.staff, "assessment", {"summary": "x", "version": 1})
    assert response.status_code == 404
    assert theirs.staff.pk not in _ids(hr.get(URL))


def test_the_list_takes_the_same_queries_for_more_reviews(
        org, reviews, api_as, django_assert_max_num_queries):
    def extra(count):
        done = reviews.staff_done
        with scope(company=org.company.pk):
            for n in range(count):
                cycle = ReviewCycle.objects.create(
                    company=org.company, name=f"Extra {Review.objects.count()}-{n}",
                    status="published", policy=reviews.published.policy)
                Review.objects.create(
                    company=org.company, cycle=cycle, employee=done.employee,
                    department=done.department, reviewer=done.reviewer, stage=Stage.PUBLISHED,
                    okr_weight=done.okr_weight, kpi_weight=done.kpi_weight, inputs=done.inputs,
                    okr_score=done.okr_score, kpi_score=done.kpi_score,
                    final_score=done.final_score, calculated_grade="A", grade="A",
                    published_at=timezone.now())

    for role in ("staff", "hr"):
        api = api_as(org.users[role])
        extra(1)
        with django_assert_max_num_queries(30) as few:
            first = len(api.get(URL, {"page_size": 100}).json()["results"])
        counted = len(few.captured_queries)
        extra(20)
        with django_assert_max_num_queries(counted):
            rows = api.get(URL, {"page_size": 100}).json()["results"]
        assert len(rows) == first + 20
        assert all(row["explanation"] is not None for row in rows
                   if row["stage"] == "published")


# ---------------------------------------------------------------------------------------------
# Self assessment


def test_the_person_submits_their_self_assessment(org, reviews, api_as):
    staff = api_as(org.users["staff"])
    response = _post(staff, reviews.staff, "self-assessment",
                     {"summary": "  Shipped billing.  ", "version": reviews.staff.version})
    assert response.status_code == 200, response.json()
    row = response.json()
    assert row["stage"] == "manager" and row["self_summary"] == "Shipped billing."
    assert row["self_submitted_at"] is not None
    assert row["version"] == reviews.staff.version + 1
    assert row["final_score"] is None  # still hidden from the person


def test_self_assessment_errors(org, reviews, api_as):
    staff = api_as(org.users["staff"])
    version = reviews.staff.version
    response = _post(staff, reviews.staff, "self-assessment", {"summary": " ", "version": version})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"summary"}
    response = _post(staff, reviews.staff, "self-assessment", {"summary": "Done."})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"version"}
    response = _post(staff, reviews.staff, "self-assessment", {"summary": 5, "version": version})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"summary"}
    response = _post(staff, reviews.staff, "self-assessment",
                     {"summary": "Done.", "version": version + 3})
    assert response.status_code == 409
    assert set(response.json()["errors"]) == {"version"}
    response = _post(staff, reviews.staff_done, "self-assessment",
                     {"summary": "Done.", "version": reviews.staff_done.version})
    assert response.status_code == 400
    assert response.json()["detail"] == "The self assessment of this review is not open."
    assert response.json()["errors"] == {
        "non_field_errors": ["The self assessment of this review is not open."]}
    for role in ("lead", "hr", "peer"):
        response = _post(api_as(org.users[role]), reviews.staff, "self-assessment",
                         {"summary": "Done.", "version": version})
        assert response.status_code == 403


# ---------------------------------------------------------------------------------------------
# Manager assessment


def _objective(api, review):
    row = api.get(f"{URL}{review.pk}/").json()
    return row["explanation"]["okr"]["objectives"][0]["objective"], row["version"]


def test_the_leader_saves_a_draft_with_difficulty_and_adjustment_then_submits(
        org, reviews, api_as):
    lead = api_as(org.users["lead"])
    objective, version = _objective(lead, reviews.staff)
    response = _post(lead, reviews.staff, "assessment", {
        "summary": "Strong.", "adjustment": "5", "adjustment_reason": "Mentored two people.",
        "ratings": [{"objective": objective, "difficulty": "1.2", "reason": "New domain."}],
        "version": version})
    assert response.status_code == 200, response.json()
    row = response.json()
    assert row["stage"] == "self"  # a draft; the self assessment is still open
    assert row["adjustment"] == "5.00" and row["adjustment_reason"] == "Mentored two people."
    rated = row["explanation"]["okr"]["objectives"][0]
    assert rated["difficulty"] == "1.2000" and rated["score"] == "96.00"
    assert row["okr_score"] == "96.00"
    # 0.5 × 96 + 0.5 × 120 + 5
    assert row["final_score"] == "113.00" and row["explanation"]["final"]["adjustment"] == "5.00"
    response = _post(lead, reviews.staff, "assessment",
                     {"summary": "Strong.", "submit": True, "version": row["version"]})
    assert response.status_code == 400
    assert response.json()["detail"] == "Wait for the self assessment before submitting yours."
    staff = api_as(org.users["staff"])
    version = _post(staff, reviews.staff, "self-assessment",
                    {"summary": "Done.", "version": row["version"]}).json()["version"]
    response = _post(lead, reviews.staff, "assessment", {
        "summary": "Strong.", "adjustment": "5", "adjustment_reason": "Mentored two people.",
        "ratings": [{"objective": objective, "difficulty": "1.2", "reason": "New domain."}],
        "submit": True, "version": version})
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "assessed"
    assert response.json()["manager_submitted_at"] is not None


def test_assessment_errors_name_the_body_fields(org, reviews, api_as):
    lead = api_as(org.users["lead"])
    objective, version = _objective(lead, reviews.staff)

    def errors(data, status=400):
        response = _post(lead, reviews.staff, "assessment", {"version": version, **data})
        assert response.status_code == status, response.json()
        return response.json()["errors"]

    assert set(errors({"adjustment": "50", "adjustment_reason": "x"})) == {"adjustment"}
    assert set(errors({"adjustment": "3"})) == {"adjustment_reason"}
    assert set(errors({"adjustment": 3, "adjustment_reason": "x"})) == {"adjustment"}
    assert set(errors({"ratings": [{"objective": objective, "difficulty": "3"}]})) == {
        "ratings.0.difficulty"}
    assert set(errors({"ratings": [{"objective": objective, "difficulty": "1.1"}]})) == {
        "ratings.0.reason"}
    assert errors({"ratings": [{"objective": objective, "difficulty": "1"},
                               {"objective": 999999, "difficulty": "1"}]}) == {
        "ratings.1.difficulty": ["This objective is not part of the review."]}
    assert set(errors({"ratings": [{"objective": objective, "difficulty": 1}]})) == {
        "ratings.0.difficulty"}
    assert set(errors({"ratings": [{"objective": objective, "difficulty": "1"},
                                   {"objective": objective, "difficulty": "1"}]})) == {
        "ratings"}
    assert set(errors({"submit": "yes"})) == {"submit"}
    response = _post(lead, reviews.staff, "assessment", {"summary": "x"})
    assert set(response.json()["errors"]) == {"version"}
    # Nothing was saved by the refusals.
    row = lead.get(f"{URL}{reviews.staff.pk}/").json()
    assert row["version"] == version and row["adjustment"] == "0.00"
    for role in ("staff", "peer", "finance"):
        response = _post(api_as(org.users[role]), reviews.staff, "assessment",
                         {"summary": "x", "version": version})
        assert response.status_code == 403
    response = _post(lead, reviews.staff_done, "assessment",
                     {"summary": "x", "version": reviews.staff_done.version})
    assert response.status_code == 400
    assert response.json()["detail"] == "The manager assessment of this review is closed."


# ---------------------------------------------------------------------------------------------
# Calibration, return, acknowledgement (the cycle's steps are in test_api_cycles.py)


def test_grade_and_return_refused_outside_calibration(org, reviews, api_as):
    hr = api_as(org.users["hr"])
    response = _post(hr, reviews.staff_done, "grade", {"grade": "S", "reason": "x"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Grades move only during calibration."
    response = _post(hr, reviews.staff, "return", {"reason": "Look again."})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Only an assessed review that is not published can be sent back.")
    assert set(_post(hr, reviews.staff, "return", {}).json()["errors"]) == {"reason"}
    assert set(_post(hr, reviews.staff, "grade", {}).json()["errors"]) == {"grade"}
    for role in ("staff", "finance", "peer"):
        api = api_as(org.users[role])
        assert _post(api, reviews.staff_done, "grade", {"grade": "S"}).status_code == 403
        assert _post(api, reviews.staff_done, "return", {"reason": "x"}).status_code == 403


def test_the_person_acknowledges_their_published_result(org, reviews, api_as):
    staff = api_as(org.users["staff"])
    response = _post(staff, reviews.staff_done, "acknowledge", {"comment": " Agreed. "})
    assert response.status_code == 200, response.json()
    row = response.json()
    assert row["stage"] == "acknowledged" and row["acknowledgement_comment"] == "Agreed."
    assert row["acknowledged_at"] is not None
    response = _post(staff, reviews.staff_done, "acknowledge", {})
    assert response.status_code == 400
    assert response.json()["detail"] == "Only a published result waits for acknowledgement."
    assert _post(staff, reviews.staff, "acknowledge", {}).status_code == 400
    response = _post(api_as(org.users["lead"]), reviews.staff_done, "acknowledge", {})
    assert response.status_code == 403
    assert set(_post(staff, reviews.staff_done, "acknowledge",
                     {"comment": 1}).json()["errors"]) == {"comment"}


def test_decimals_are_strings(org, reviews, api_as):
    row = api_as(org.users["hr"]).get(f"{URL}{reviews.staff_done.pk}/").json()
    for name in ("okr_weight", "kpi_weight", "adjustment", "okr_score", "kpi_score",
                 "final_score"):
        assert isinstance(row[name], str)
        Decimal(row[name])
