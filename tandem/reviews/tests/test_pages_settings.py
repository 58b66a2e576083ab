"""The company's review settings page and the weight overrides: every rule of
../shared/domain/okr-kpi.md checked with its exact message, nothing saved when one fails, and
open cycles untouched by a change (they froze theirs)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st

from tandem.org import services as org_services
from tandem.reviews.forms_settings import validate_distribution
from tandem.reviews.models import ReviewCycle, ReviewSettings, WeightOverride
from tandem.reviews.testing import make_reviews

pytestmark = pytest.mark.usefixtures("english")

DEFAULT_ROWS = [("S", "110", "10"), ("A", "100", "20"), ("B", "85", "50"), ("C", "70", "15"),
                ("D", "0", "5")]


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def reviews(org, goals, kpis):
    return make_reviews(org, goals, kpis)


@pytest.fixture
def hr(client_as, client, org, reviews):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client_as(org.users["hr"])


def _data(rows=DEFAULT_ROWS, **changes) -> dict:
    data = {"okr_weight": "40", "kpi_weight": "60", "okr_score_cap": "120",
            "difficulty_min": "0.8", "difficulty_max": "1.3", "adjustment_limit": "10",
            "grades-TOTAL_FORMS": str(len(rows)), "grades-INITIAL_FORMS": "0",
            "grades-MIN_NUM_FORMS": "0", "grades-MAX_NUM_FORMS": "12"}
    for index, (grade, minimum, share) in enumerate(rows):
        data |= {f"grades-{index}-grade": grade, f"grades-{index}-minimum": minimum,
                 f"grades-{index}-share": share}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _stored(org):
    with scope(company=org.company.pk):
        return ReviewSettings.objects.filter(company=org.company).first()


def test_the_page_shows_the_defaults_and_says_open_cycles_keep_theirs(hr, org):
    response = hr.get("/reviews/settings/")
    html = response.content.decode()
    form = response.context["form"]
    assert [form[name].value() for name in ("okr_weight", "kpi_weight", "okr_score_cap")] == [
        "40", "60", "120"]
    rows = [(row["grade"].value(), str(row["minimum"].value()), row["share"].value())
            for row in response.context["grades"] if row["grade"].value()]
    assert rows == DEFAULT_ROWS
    assert ("A review cycle freezes these settings and everyone's shares when it opens: "
            "changes here apply to cycles opened afterwards and never touch an open cycle. "
            "Open now, with their own frozen settings: 2026-Q4 review.") in html
    assert _stored(org) is None


def test_saving_changes_the_company_and_never_an_open_cycle(hr, org, reviews):
    rows = [("A", "95", "30"), ("S", "115", "10"), ("B", "80", "40"), ("C", "0", "20"),
            ("", "", "")]
    response = hr.post("/reviews/settings/", _data(
        rows, okr_weight="50", kpi_weight="50", okr_score_cap="130", adjustment_limit="5",
        use_distribution="on"), follow=True)
    assert response.redirect_chain == [("/reviews/settings/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Review settings saved. Open review cycles keep the settings they froze when they "
        "opened."]
    row = _stored(org)
    assert (row.okr_weight, row.kpi_weight, row.okr_score_cap, row.adjustment_limit,
            row.use_distribution) == (Decimal("0.5"), Decimal("0.5"), Decimal("1.3"),
                                      Decimal("5"), True)
    # Sorted best first by minimum; blank rows left out.
    assert row.grades == [["S", "115"], ["A", "95"], ["B", "80"], ["C", "0"]]
    assert row.distribution == [["S", "0.1"], ["A", "0.3"], ["B", "0.4"], ["C", "0.2"]]
    with scope(company=org.company.pk):
        frozen = ReviewCycle.objects.get(pk=reviews.open.pk).policy
    assert (frozen["okr_weight"], frozen["grades"][0], frozen["use_distribution"]) == (
        "0.4", ["S", "110"], False)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"okr_weight": "50"}, "okr_weight",
     "The OKR weight 0.5 and the KPI weight 0.6 must sum to 1, not 1.1."),
    ({"difficulty_min": "1.2"}, "difficulty_min",
     "Ensure this value is less than or equal to 1."),
    ({"difficulty_max": "0.9"}, "difficulty_max",
     "Ensure this value is greater than or equal to 1."),
    ({"adjustment_limit": "60"}, "adjustment_limit",
     "Ensure this value is less than or equal to 50."),
])
def test_invalid_scoring_settings_are_refused_on_their_field(hr, org, changes, field, message):
    response = hr.post("/reviews/settings/", _data(**changes))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    # The model's validators speak lazily: read the message as the page rendered it.
    assert f'<div class="invalid-feedback d-block">{message}</div>' in (
        response.content.decode())
    assert _stored(org) is None


@pytest.mark.parametrize(("rows", "message"), [
    ([("S", "110", "10"), ("A", "100", "90"), ("B", "0", "")],
     "Give the share of grade B in the forced distribution."),
    ([("S", "110", "10"), ("A", "100", "20"), ("B", "50", "60")],
     "The lowest grade must start at 0 so that every score gets a grade, not at 50."),
    ([("S", "110", "10"), ("S", "100", "20"), ("B", "0", "70")],
     "The grade “S” appears twice."),
    ([("S", "110", "10"), ("A", "", "20"), ("B", "0", "70")],
     "Give the minimum score of grade A."),
    ([("S", "110", "10"), ("A", "100", "20"), ("B", "0", "65")],
     "The shares of the forced distribution must sum to 100.0 %, not 95.0 %."),
])
def test_an_invalid_grade_scale_or_distribution_is_refused(hr, org, rows, message):
    response = hr.post("/reviews/settings/", _data(rows))
    assert response.status_code == 200
    assert response.context["grades"].non_form_errors() == [message]
    assert 'data-grade-errors' in response.content.decode()
    assert _stored(org) is None


def test_validate_distribution_names_the_grades_of_the_scale():
    with pytest.raises(ValidationError) as refused:
        validate_distribution(["S", "A"], [("S", Decimal("0.5")), ("B", Decimal("0.5"))])
    assert refused.value.messages == [
        "The forced distribution must name the grades of the scale (S, A), each once."]
    with pytest.raises(ValidationError) as refused:
        validate_distribution(["S", "A"], [("S", Decimal("1.5")), ("A", Decimal("-0.5"))])
    assert refused.value.messages == ["The share 150.0 % of grade S must be between 0 and "
                                      "100.0 %."]


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=6))
def test_a_distribution_passes_exactly_when_its_shares_sum_to_one(percents):
    grades = [f"G{index}" for index in range(len(percents))]
    shares = [(grade, Decimal(value) / 100) for grade, value in zip(grades, percents,
                                                                     strict=True)]
    if sum(percents) == 100:
        validate_distribution(grades, shares)
    else:
        with pytest.raises(ValidationError):
            validate_distribution(grades, shares)


def test_overrides_are_listed_added_and_deleted(hr, org, reviews):
    with scope(company=org.company.pk):
        engineer = org_services.create_position(company=org.company, title="工程师",
                                                title_en="Engineer", department=org.platform)
    html = hr.get("/reviews/settings/overrides/").content.decode()
    row = re.search(rf'<tr data-override="{reviews.override.pk}">(.*?)</tr>', html, re.S)[1]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split() == [
        "Department:", "R&amp;D", "50.0", "%", "50.0", "%", "—", "Delete"]
    response = hr.post("/reviews/settings/overrides/", {
        "target": "position", "position": engineer.pk, "okr_weight": "30", "kpi_weight": "70",
        "reason": "Delivery matters most"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Shares for Engineer added."]
    with scope(company=org.company.pk):
        added = WeightOverride.objects.get(position=engineer)
    assert (added.okr_weight, added.kpi_weight, added.department, added.reason) == (
        Decimal("0.3"), Decimal("0.7"), None, "Delivery matters most")
    url = f"/reviews/settings/overrides/{added.pk}/delete/"
    assert "OKR 30.0 % / KPI 70.0 %." in hr.get(url).content.decode()
    hr.post(url)
    with scope(company=org.company.pk):
        assert not WeightOverride.objects.filter(pk=added.pk).exists()
        assert WeightOverride.objects.filter(pk=reviews.override.pk).exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"target": "department", "department": "rnd", "okr_weight": "40", "kpi_weight": "60"},
     "department", "This department already has its shares; delete them first."),
    ({"target": "department", "okr_weight": "40", "kpi_weight": "60"}, "department",
     "Choose the department."),
    ({"target": "position", "okr_weight": "40", "kpi_weight": "60"}, "position",
     "Choose the position."),
    ({"target": "department", "department": "sales", "okr_weight": "45",
      "kpi_weight": "45"}, "okr_weight",
     "The OKR weight 0.45 and the KPI weight 0.45 must sum to 1, not 0.9."),
])
def test_an_invalid_override_is_refused_on_its_field(hr, org, data, field, message):
    if "department" in data:
        data["department"] = getattr(org, data["department"]).pk
    response = hr.post("/reviews/settings/overrides/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    with scope(company=org.company.pk):
        assert WeightOverride.objects.count() == 1


@pytest.mark.parametrize("role", ["finance", "lead", "staff", "peer"])
def test_only_people_admins_change_the_settings(client_as, org, reviews, role):
    client = client_as(org.users[role])
    assert client.post("/reviews/settings/", _data(okr_weight="50",
                                                   kpi_weight="50")).status_code == 403
    assert client.get("/reviews/settings/overrides/").status_code == 403
    assert _stored(org) is None
