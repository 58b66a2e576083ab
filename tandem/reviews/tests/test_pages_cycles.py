"""The review cycle set-up pages: the list with progress per step, the new/edit form with the
services' errors on its fields, deleting a draft, the detail (steps, deadlines, counts, people)
and the step actions, confirmed on their own page, refusals shown as messages."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.reviews.models import CycleStatus, Review, ReviewCycle, Stage
from tandem.reviews.testing import make_reviews


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


@pytest.fixture
def hr(client_as, english, org):
    return client_as(org.users["hr"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _row(html: str, attribute: str, pk) -> str:
    match = re.search(rf'<tr {attribute}="{pk}">(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={pk}"
    return match[1]


def _counts(html: str) -> dict[str, int]:
    return {stage: int(count) for stage, count in
            re.findall(r'data-count="(\w+)">(\d+)<', html)}


def _form(goals, **changes) -> dict:
    data = {"name": "2027 H1", "goal_cycles": [goals.quarter.pk], "scope": "company",
            "self_assessment": "on", "calibration": "on", "acknowledgement": "on",
            "self_deadline": "", "manager_deadline": "", "calibration_deadline": "",
            "acknowledgement_deadline": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_shows_every_cycle_with_status_people_and_progress(hr, reviews):
    html = hr.get("/reviews/cycles/").content.decode()
    draft = _row(html, "data-cycle", reviews.draft.pk)
    assert 'data-status="draft"' in draft and "Being set up" in draft
    assert 'data-people="0"' in draft
    assert "Reviews are created when the cycle opens." in draft
    opened = _row(html, "data-cycle", reviews.open.pk)
    assert 'data-status="assessment"' in opened and 'data-people="6"' in opened
    assert _counts(opened) == {"self": 6, "manager": 0, "assessed": 0, "published": 0,
                               "acknowledged": 0}
    published = _row(html, "data-cycle", reviews.published.pk)
    assert 'data-people="2"' in published
    assert _counts(published)["published"] == 2
    assert 'href="/reviews/cycles/new/"' in html


def test_the_list_costs_the_same_queries_for_more_cycles(hr, org, goals, reviews,
                                                         django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        assert hr.get("/reviews/cycles/").status_code == 200
    with scope(company=org.company.pk):
        for number in range(5):
            cycle = ReviewCycle.objects.create(company=org.company, name=f"extra {number}")
            cycle.goal_cycles.set([goals.quarter])
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = hr.get("/reviews/cycles/").content.decode()
    assert html.count("data-cycle=") == 8


@pytest.mark.parametrize("role", ["finance", "lead", "staff", "peer"])
def test_only_people_admins_use_the_set_up_pages(client_as, org, reviews, role):
    client = client_as(org.users[role])
    assert client.get("/reviews/cycles/").status_code == 403
    assert client.get(f"/reviews/cycles/{reviews.open.pk}/").status_code == 403
    assert client.post(f"/reviews/cycles/{reviews.draft.pk}/open/").status_code == 403
    with scope(company=org.company.pk):
        assert not Review.objects.filter(cycle=reviews.draft).exists()


def test_a_new_cycle_is_saved_as_a_draft(hr, org, goals, reviews):
    response = hr.post("/reviews/cycles/new/", _form(
        goals, scope="departments", departments=[org.rnd.pk], peer_feedback="on",
        self_deadline="2027-01-05", manager_deadline="2027-01-15",
        calibration_deadline="2027-01-20", acknowledgement_deadline="2027-01-31"))
    with scope(company=org.company.pk):
        cycle = ReviewCycle.objects.get(name="2027 H1")
        assert response.status_code == 302
        assert response["Location"] == f"/reviews/cycles/{cycle.pk}/"
        assert cycle.status == CycleStatus.DRAFT
        assert list(cycle.goal_cycles.all()) == [goals.quarter]
        assert list(cycle.departments.all()) == [org.rnd]
        assert (cycle.self_assessment, cycle.peer_feedback, cycle.calibration,
                cycle.acknowledgement) == (True, True, True, True)
        assert str(cycle.calibration_deadline) == "2027-01-20"
    html = hr.get(response["Location"]).content.decode()
    assert "Review cycle “2027 H1” created as a draft." in html
    steps = re.search(r"<ol class=\"mb-2\" data-steps>(.*?)</ol>", html, re.S)[1]
    assert _text(steps) == (
        "Self assessment · due 2027-01-05 Peer feedback Manager assessment · due 2027-01-15 "
        "Calibration · due 2027-01-20 Publication Employee acknowledgement · due 2027-01-31")
    assert 'data-next="open"' in html


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"scope": "departments"}, "departments", "Choose the departments to review."),
    ({"scope": "people"}, "people", "Choose the people to review."),
    ({"manager_deadline": "2027-01-15", "self_deadline": "2027-01-20"}, "manager_deadline",
     "The deadlines must follow the order of the steps."),
    ({"name": "2026-Q4 review"}, "name", "Another review cycle has this name."),
])
def test_the_services_refusals_land_on_the_form_fields(hr, org, goals, reviews, changes,
                                                       field, message):
    response = hr.post("/reviews/cycles/new/", _form(goals, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    with scope(company=org.company.pk):
        assert ReviewCycle.objects.count() == 3


def test_a_draft_is_edited_and_an_open_cycle_is_not(hr, org, goals, reviews):
    url = f"/reviews/cycles/{reviews.draft.pk}/edit/"
    form = hr.get(url).context["form"]
    response = hr.post(url, _form(goals, name="2026 H2", version=form["version"].value(),
                                  calibration=None))
    assert response.status_code == 302
    with scope(company=org.company.pk):
        reviews.draft.refresh_from_db()
    assert (reviews.draft.name, reviews.draft.calibration) == ("2026 H2", False)
    # A page rendered before that save carries the old version: refused, nothing written.
    stale = hr.post(url, _form(goals, name="stale", version=form["version"].value()))
    assert stale.status_code == 200
    assert "This record was changed by someone else meanwhile" in stale.content.decode()
    response = hr.get(f"/reviews/cycles/{reviews.open.pk}/edit/", follow=True)
    assert _messages(response) == ["An open review cycle cannot be changed any more."]


def test_a_draft_is_deleted_after_confirmation_and_an_open_cycle_is_kept(hr, org, reviews):
    page = hr.get(f"/reviews/cycles/{reviews.draft.pk}/delete/").content.decode()
    assert 'data-action="delete"' in page and "btn-danger" in page
    response = hr.post(f"/reviews/cycles/{reviews.draft.pk}/delete/", follow=True)
    assert response.redirect_chain == [("/reviews/cycles/", 302)]
    assert _messages(response) == ["Review cycle “2026 H2 draft” deleted."]
    response = hr.post(f"/reviews/cycles/{reviews.open.pk}/delete/", follow=True)
    assert _messages(response) == ["Only a review cycle still being set up can be deleted."]
    with scope(company=org.company.pk):
        assert not ReviewCycle.objects.filter(pk=reviews.draft.pk).exists()
        assert ReviewCycle.objects.filter(pk=reviews.open.pk).exists()


def test_opening_a_draft_creates_the_reviews(hr, org, reviews):
    url = f"/reviews/cycles/{reviews.draft.pk}/open/"
    page = _text(hr.get(url).content.decode())
    assert "creates the reviews of the 6 people in scope" in page
    response = hr.post(url, follow=True)
    assert response.redirect_chain == [(f"/reviews/cycles/{reviews.draft.pk}/", 302)]
    assert _messages(response) == ["Review cycle “2026 H2 draft” opened: 6 reviews created."]
    with scope(company=org.company.pk):
        cycle = ReviewCycle.objects.get(pk=reviews.draft.pk)
        people = set(Review.objects.filter(cycle=cycle).values_list("employee__name",
                                                                    flat=True))
    assert cycle.status == CycleStatus.ASSESSMENT
    assert cycle.policy["okr_weight"] == "0.4"
    assert people == {"owner", "hr", "finance", "lead", "staff", "peer"}
    assert _counts(response.content.decode())["self"] == 6
    assert 'data-next="calibrate"' in response.content.decode()


def test_calibration_is_refused_while_assessments_are_missing(hr, org, reviews):
    url = f"/reviews/cycles/{reviews.open.pk}/calibrate/"
    assert "Every assessment must be submitted." in hr.get(url).content.decode()
    response = hr.post(url, follow=True)
    assert _messages(response) == ["6 assessments are not submitted yet."]
    assert "6 assessments are not submitted yet." in response.content.decode()
    with scope(company=org.company.pk):
        reviews.open.refresh_from_db()
        assert reviews.open.status == CycleStatus.ASSESSMENT
        Review.objects.filter(cycle=reviews.open).exclude(
            employee=org.employees["peer"]).update(stage=Stage.ASSESSED)
    response = hr.post(url, follow=True)
    assert _messages(response) == ["1 assessment is not submitted yet."]


def test_the_cycle_runs_through_calibration_publication_and_closing(hr, org, reviews):
    with scope(company=org.company.pk):
        Review.objects.filter(cycle=reviews.open).update(stage=Stage.ASSESSED)
    base = f"/reviews/cycles/{reviews.open.pk}"
    steps = [("calibrate", "Calibration of “2026-Q4 review” started.", "calibration",
              "publish"),
             ("publish", "The results of “2026-Q4 review” are published.", "published",
              "close"),
             ("close", "Review cycle “2026-Q4 review” closed.", "closed", None)]
    for action, message, status, following in steps:
        response = hr.post(f"{base}/{action}/", follow=True)
        assert _messages(response) == [message]
        html = response.content.decode()
        assert f'data-status="{status}"' in html
        assert (f'data-next="{following}"' in html) if following else "data-next=" not in html
    # A step out of turn: the page says so and offers no button.
    page = hr.get(f"{base}/open/").content.decode()
    form = re.search(r'<form method="post" class="td-form-actions" data-action="open">(.*?)'
                     r'</form>', page, re.S)[1]
    assert "data-unavailable" in page and "<button" not in form
    assert _messages(hr.post(f"{base}/open/", follow=True)) == [
        "This review cycle is already open."]


def test_the_detail_lists_the_people_with_reviewer_step_and_scores(hr, org, reviews):
    html = hr.get(f"/reviews/cycles/{reviews.open.pk}/").content.decode()
    staff = _text(_row(html, "data-review", reviews.staff.pk))
    with scope(company=org.company.pk):
        review = Review.objects.get(pk=reviews.staff.pk)
    assert staff.startswith(f"staff {org.employees['staff'].employee_number} Platform lead "
                            f"Self assessment {review.okr_score} {review.kpi_score} "
                            f"{review.final_score} {review.grade}")
    peer = _text(_row(html, "data-review", reviews.peer.pk))
    assert peer.startswith(f"peer {org.employees['peer'].employee_number} Sales — ")
    assert html.count("<tr data-review=") == 6
    assert "Frozen when the cycle opened: company shares OKR 40.0 % / KPI 60.0 %." in html
    only = hr.get(f"/reviews/cycles/{reviews.open.pk}/?stage=manager").content.decode()
    assert "<tr data-review=" not in only and "Nobody at this step." in only


def _add_people(org, cycle, count):
    with scope(company=org.company.pk):
        for _number in range(count):
            person = make_employee(org.company, org.platform)
            Review.objects.create(company=org.company, cycle=cycle, employee=person,
                                  department=org.platform, reviewer=org.employees["lead"],
                                  okr_weight=Decimal("0.4"), kpi_weight=Decimal("0.6"),
                                  final_score=Decimal("90"), grade="B",
                                  calculated_grade="B")


def test_the_detail_costs_the_same_queries_for_1_or_15_more_people(
        hr, org, reviews, django_assert_max_num_queries):
    url = f"/reviews/cycles/{reviews.open.pk}/"
    _add_people(org, reviews.open, 1)
    with CaptureQueriesContext(connection) as few:
        assert hr.get(url).status_code == 200
    _add_people(org, reviews.open, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = hr.get(url).content.decode()
    assert html.count("<tr data-review=") == 22
