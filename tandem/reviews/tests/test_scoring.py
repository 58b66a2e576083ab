"""Review scoring (`reviews.scoring`): ../shared/domain/okr-kpi.md, "OKR score in a review",
"KPI attainment and score", "Final score, grades, distribution"."""

from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tandem.reviews.scoring import (
    DEFAULT_DISTRIBUTION,
    DEFAULT_GRADES,
    GradeBand,
    KpiInput,
    ObjectiveInput,
    ScoringError,
    ScoringPolicy,
    final_score,
    forced_distribution,
    grade_for,
    kpi_score,
    okr_score,
    validate_adjustment,
    validate_difficulty,
    validate_grades,
    validate_weights,
)

POLICY = ScoringPolicy()
progresses = st.decimals(min_value=D(0), max_value=D(3), places=4)
difficulties = st.decimals(min_value=D("0.8"), max_value=D("1.3"), places=2)
weights = st.decimals(min_value=D("0.1"), max_value=D(10), places=1)


@pytest.fixture(autouse=True, scope="module")
def english():
    with translation.override("en"):
        yield


def objective(kind, progress, difficulty=D(1), weight=D(1), title="Grow", reason=""):
    if difficulty != D(1) and not reason:
        reason = "harder market"
    return ObjectiveInput(key=title, title=title, kind=kind, progress=D(progress),
                          weight=D(weight), difficulty=D(difficulty), difficulty_reason=reason)


def one_score(kind, progress, difficulty=D(1)):
    return okr_score([objective(kind, progress, difficulty)]).objectives[0].score


# OKR score ---------------------------------------------------------------------------------

def test_aspirational_at_70_percent_scores_100_and_committed_70():
    aspirational = okr_score([objective("aspirational", "0.7", title="Enter Wuhan")])
    committed = okr_score([objective("committed", "0.7", title="Close Q3 books")])
    assert aspirational.score == D("100.00")
    assert committed.score == D("70.00")
    item = aspirational.objectives[0]
    assert (item.expectation, item.ratio, item.capped) == (D("0.7"), D("1.0000"), False)
    assert item.explanation == [
        "Aspirational objective “Enter Wuhan”: progress 70.0 % against the expected 70.0 % "
        "→ 100.0 % × 100 × difficulty 1.0 = 100.00"]
    assert committed.objectives[0].explanation == [
        "Committed objective “Close Q3 books”: progress 70.0 % against the expected 100.0 % "
        "→ 70.0 % × 100 × difficulty 1.0 = 70.00"]


def test_progress_beyond_the_expectation_is_capped_at_okr_score_cap():
    result = okr_score([objective("committed", "1.5", title="Ship")])
    item = result.objectives[0]
    assert (item.ratio, item.capped, item.score) == (D("1.5000"), True, D("120.00"))
    assert item.explanation == [
        "Committed objective “Ship”: progress 150.0 % against the expected 100.0 % is "
        "150.0 %, capped at 120.0 % (okr_score_cap) → 120.0 % × 100 × difficulty 1.0 = 120.00"]
    # 0.84 / 0.7 is exactly the cap: counted in full, not marked capped.
    exact = okr_score([objective("aspirational", "0.84")]).objectives[0]
    assert (exact.ratio, exact.capped, exact.score) == (D("1.2000"), False, D("120.00"))
    assert one_score("aspirational", "0.9") == D("120.00")
    looser = ScoringPolicy(okr_score_cap=D("1.5"))
    assert okr_score([objective("committed", "1.5")], looser).score == D("150.00")


def test_difficulty_multiplies_the_score_and_its_reason_is_shown():
    result = okr_score([objective("committed", "0.8", D("1.3"), title="Open Chengdu",
                                  reason="new city, no team yet")])
    item = result.objectives[0]
    # 0.8 / 1.0 × 100 × 1.3 = 104
    assert (item.difficulty, item.score) == (D("1.3"), D("104.00"))
    assert item.explanation[1] == "Difficulty 1.3 because: new city, no team yet"
    # The cap applies before the difficulty: 1.2 × 100 × 0.8 = 96.
    assert one_score("committed", "1.5", D("0.8")) == D("96.00")


def test_ratio_is_kept_to_four_places_and_the_score_to_two():
    # 0.5 / 0.7 = 0.714285… → 0.7143; × 100 × 1.3 = 92.859 → 92.86
    item = okr_score([objective("aspirational", "0.5", D("1.3"))]).objectives[0]
    assert (item.ratio, item.score) == (D("0.7143"), D("92.86"))
    assert "→ 71.43 % × 100 × difficulty 1.3 = 92.86" in item.explanation[0]


def test_person_score_is_the_weighted_mean_by_objective_weight():
    result = okr_score([objective("aspirational", "0.7", weight=1, title="A"),
                        objective("committed", "0.7", weight=3, title="B")])
    # (1 × 100 + 3 × 70) / 4 = 77.5
    assert result.score == D("77.50")
    assert result.explanation[-1] == (
        "OKR score = weighted mean of the objective scores = (1 × 100.00 + 3 × 70.00) / 4 "
        "= 77.50")
    assert len(result.explanation) == 3


def test_no_objectives_or_only_weightless_ones_give_no_okr_score():
    assert okr_score([]).score is None
    assert okr_score([]).explanation == ["No objectives in this review: there is no OKR score."]
    weightless = okr_score([objective("committed", "0.5", weight=0)])
    assert weightless.score is None
    assert len(weightless.objectives) == 1
    assert weightless.explanation[-1] == "Every objective weighs 0: there is no OKR score."


def test_invalid_objectives_are_refused_naming_the_objective():
    with pytest.raises(ScoringError) as error:
        okr_score([objective("committed", "0.5", D("1.4"), title="Hire 5")])
    assert error.value.field == "difficulty"
    assert error.value.message.startswith("Objective “Hire 5”: The difficulty 1.4")
    with pytest.raises(ScoringError) as error:
        okr_score([ObjectiveInput(1, "Hire 5", "committed", D("0.5"), difficulty=D("1.1"))])
    assert error.value.field == "reason"
    with pytest.raises(ScoringError) as error:
        okr_score([objective("stretch", "0.5")])
    assert error.value.field == "kind"
    with pytest.raises(ScoringError) as error:
        okr_score([objective("committed", "0.5", weight=-1)])
    assert error.value.field == "weight"


@given(progresses, difficulties)
def test_for_equal_progress_aspirational_scores_at_least_committed(progress, difficulty):
    assert one_score("aspirational", progress, difficulty) >= one_score(
        "committed", progress, difficulty)


@given(st.sampled_from(["committed", "aspirational"]), progresses, progresses, difficulties)
def test_score_never_falls_as_progress_rises(kind, first, second, difficulty):
    low, high = sorted([first, second])
    assert one_score(kind, low, difficulty) <= one_score(kind, high, difficulty)


@given(st.lists(st.tuples(st.sampled_from(["committed", "aspirational"]), progresses,
                          difficulties, weights), min_size=1, max_size=8))
def test_person_score_lies_between_the_lowest_and_highest_objective(rows):
    result = okr_score([objective(kind, progress, difficulty, weight, title=str(index))
                        for index, (kind, progress, difficulty, weight) in enumerate(rows)])
    scores = [item.score for item in result.objectives]
    assert min(scores) <= result.score <= max(scores)


# Validators --------------------------------------------------------------------------------

@pytest.mark.parametrize("difficulty", [D("0.79"), D("1.31"), D(0), D(-1), D(2)])
def test_difficulty_outside_its_range_is_refused(difficulty):
    with pytest.raises(ScoringError) as error:
        validate_difficulty(difficulty, "reason given", POLICY)
    assert error.value.field == "difficulty"
    assert isinstance(error.value, ValueError)


def test_difficulty_other_than_one_needs_a_reason():
    validate_difficulty(D("0.8"), "easier than planned", POLICY)
    validate_difficulty(D("1.3"), "new market", POLICY)
    validate_difficulty(D("1.0"), "", POLICY)
    for blank in ("", "   ", None):
        with pytest.raises(ScoringError) as error:
            validate_difficulty(D("1.1"), blank, POLICY)
        assert error.value.field == "reason"
    assert error.value.message == "Give the reason for a difficulty of 1.1 instead of 1.0."


@pytest.mark.parametrize("adjustment", [D("10.01"), D("-10.01"), D(11), D(-50)])
def test_adjustment_beyond_the_limit_is_refused(adjustment):
    with pytest.raises(ScoringError) as error:
        validate_adjustment(adjustment, "exceptional year", POLICY)
    assert error.value.field == "adjustment"


def test_adjustment_needs_a_reason_unless_zero():
    validate_adjustment(D(10), "led the migration", POLICY)
    validate_adjustment(D(-10), "missed compliance training", POLICY)
    validate_adjustment(D(0), "", POLICY)
    with pytest.raises(ScoringError) as error:
        validate_adjustment(D(5), " ", POLICY)
    assert error.value.field == "reason"
    validate_adjustment(D(15), "wider limit", ScoringPolicy(adjustment_limit=D(20)))


@pytest.mark.parametrize(("okr", "kpi"), [
    (D("0.5"), D("0.6")), (D("0.3"), D("0.6")), (D("1.2"), D("-0.2")), (D("-0.1"), D("1.1")),
    (D(1), D(1)),
])
def test_weights_must_be_fractions_summing_to_one(okr, kpi):
    with pytest.raises(ScoringError) as error:
        validate_weights(okr, kpi)
    assert error.value.field == "okr_weight"


@given(st.decimals(min_value=D(0), max_value=D(1), places=4))
def test_any_pair_of_fractions_summing_to_one_passes(okr):
    validate_weights(okr, D(1) - okr)


@pytest.mark.parametrize("bands", [
    (),
    (GradeBand("", D(0)),),
    (GradeBand("EXCELLENT", D(100)), GradeBand("D", D(0))),
    (GradeBand("A", D(100)), GradeBand("A", D(0))),
    (GradeBand("B", D(85)), GradeBand("A", D(100)), GradeBand("D", D(0))),
    (GradeBand("A", D(100)), GradeBand("B", D(100)), GradeBand("D", D(0))),
    (GradeBand("A", D(100)), GradeBand("B", D(50))),
])
def test_invalid_grade_tables_are_refused(bands):
    with pytest.raises(ScoringError) as error:
        validate_grades(bands)
    assert error.value.field == "grades"


def test_default_and_custom_grade_tables_pass():
    validate_grades(DEFAULT_GRADES)
    validate_grades((GradeBand("优秀", D(90)), GradeBand("合格", D(60)), GradeBand("待改进", D(0))))


# KPI score ---------------------------------------------------------------------------------

def test_kpi_score_with_weights_summing_to_one():
    result = kpi_score([
        KpiInput(1, "Sales attainment", D("0.6"), D("80.00"), attainment=D("0.8000"),
                 actual=D("800000"), target=D("1000000"),
                 rule_explanation=("Attainment = actual / target = 80.0 %",)),
        KpiInput(2, "Repeat purchase", D("0.4"), D("100.00")),
    ])
    # 0.6 × 80 + 0.4 × 100 = 88
    assert (result.score, result.weight_total) == (D("88.00"), D("1.0"))
    assert [part.contribution for part in result.parts] == [D("48.00"), D("40.00")]
    assert result.parts[0].explanation == [
        "KPI “Sales attainment”: actual 800000 against the target 1000000, attainment 80.0 %, "
        "score 80.00.",
        "Attainment = actual / target = 80.0 %",
        "KPI “Sales attainment”: weight 60.0 % × score 80.00 = 48.00",
    ]
    assert result.explanation[-1] == "KPI score = (0.6 × 80.00 + 0.4 × 100.00) / 1 = 88.00"
    assert not any("sum to" in line for line in result.explanation)


def test_kpi_weights_not_summing_to_one_are_normalised_by_their_sum():
    result = kpi_score([KpiInput(1, "Sales", D("0.3"), D("100")),
                        KpiInput(2, "Margin", D("0.6"), D("70"))])
    # (0.3 × 100 + 0.6 × 70) / 0.9 = 72 / 0.9 = 80
    assert (result.score, result.weight_total) == (D("80.00"), D("0.9"))
    assert [part.contribution for part in result.parts] == [D("33.33"), D("46.67")]
    assert ("The KPI weights sum to 90.0 %, not 100.0 %: each KPI counts by its weight "
            "divided by that sum.") in result.explanation
    assert result.parts[1].explanation == [
        "KPI “Margin”: weight 60.0 % × score 70.00 / total weight 90.0 % = 46.67"]


def test_an_unmeasured_kpi_counts_zero_and_is_named():
    result = kpi_score([KpiInput(1, "Sales", D("0.5"), D("90.00")),
                        KpiInput(2, "Churn", D("0.5"), None)])
    assert result.score == D("45.00")
    churn = result.parts[1]
    assert (churn.measured, churn.score, churn.contribution) == (False, D("0.00"), D("0.00"))
    assert churn.explanation[0] == (
        "KPI “Churn” has no figures at review time: a missed result, scored 0.")
    assert ("Scored 0 because they had no figures at review time (a missed result): "
            "“Churn”.") in result.explanation
    assert result.parts[0].measured is True


def test_no_kpis_or_weightless_ones_give_no_kpi_score():
    assert kpi_score([]).score is None
    assert kpi_score([]).explanation == ["No KPIs assigned: there is no KPI score."]
    assert kpi_score([KpiInput(1, "Sales", D(0), D(90))]).score is None
    with pytest.raises(ScoringError) as error:
        kpi_score([KpiInput(1, "Sales", D("-0.5"), D(90))])
    assert error.value.field == "weight"


@given(st.lists(st.tuples(weights, st.none() | st.decimals(min_value=D(0), max_value=D(150),
                                                           places=2)),
                min_size=1, max_size=6))
def test_kpi_score_lies_between_the_lowest_and_highest_counted_score(rows):
    result = kpi_score([KpiInput(index, str(index), weight, score)
                        for index, (weight, score) in enumerate(rows)])
    counted = [part.score for part in result.parts]
    assert min(counted) <= result.score <= max(counted)


# Final score and grade ---------------------------------------------------------------------

def test_final_score_with_the_defaults():
    result = final_score(D(100), D(80))
    # 0.4 × 100 + 0.6 × 80 = 40 + 48 = 88, grade B (85 ≤ 88 < 100)
    assert (result.score, result.grade) == (D("88.00"), "B")
    assert (result.okr_weight, result.kpi_weight, result.adjustment) == (D("0.4"), D("0.6"), 0)
    assert result.explanation == [
        "Final score = 0.4 × OKR score 100.00 + 0.6 × KPI score 80.00 = 88.00",
        "Grade B: 88.00 is at least 85.",
    ]


def test_a_missing_side_leaves_the_whole_weight_to_the_other():
    no_kpi = final_score(D("95.5"), None)
    assert (no_kpi.score, no_kpi.okr_weight, no_kpi.kpi_weight) == (D("95.50"), 1, 0)
    assert no_kpi.explanation[0] == (
        "No KPI score: the OKR score carries the whole weight instead of 40.0 %.")
    no_okr = final_score(None, D(72))
    assert (no_okr.score, no_okr.grade, no_okr.okr_weight, no_okr.kpi_weight) == (
        D("72.00"), "C", 0, 1)
    assert no_okr.explanation[0] == (
        "No OKR score: the KPI score carries the whole weight instead of 60.0 %.")
    nothing = final_score(None, None)
    assert (nothing.score, nothing.grade) == (None, "")


def test_adjustment_is_added_validated_and_floored_at_zero():
    raised = final_score(D(100), D(80), adjustment=D(5), adjustment_reason="led the migration")
    assert (raised.score, raised.grade) == (D("93.00"), "B")
    assert raised.explanation[:2] == [
        "Final score = 0.4 × OKR score 100.00 + 0.6 × KPI score 80.00 + adjustment 5 = 93.00",
        "Adjustment 5 because: led the migration",
    ]
    # 0.4 × 5 + 0.6 × 0 − 10 = −8 → 0
    floored = final_score(D(5), D(0), adjustment=D(-10), adjustment_reason="absent")
    assert (floored.score, floored.grade) == (D("0.00"), "D")
    assert "-8.00 is below 0: the final score is floored at 0.00." in floored.explanation
    with pytest.raises(ScoringError) as error:
        final_score(D(100), D(80), adjustment=D(12), adjustment_reason="too generous")
    assert error.value.field == "adjustment"
    with pytest.raises(ScoringError) as error:
        final_score(D(100), D(80), adjustment=D(3))
    assert error.value.field == "reason"


def test_final_score_uses_the_policy_weights_and_refuses_bad_ones():
    even = ScoringPolicy(okr_weight=D("0.5"), kpi_weight=D("0.5"))
    assert final_score(D(120), D(100), even).score == D("110.00")
    assert final_score(D(120), D(100), even).grade == "S"
    with pytest.raises(ScoringError) as error:
        final_score(D(100), D(80), ScoringPolicy(okr_weight=D("0.5")))
    assert error.value.field == "okr_weight"


@pytest.mark.parametrize(("score", "grade"), [
    (D("130"), "S"), (D("110"), "S"), (D("109.99"), "A"), (D("100"), "A"),
    (D("99.99"), "B"), (D("85"), "B"), (D("84.99"), "C"), (D("70"), "C"), (D("69.99"), "D"),
    (D("0"), "D"),
])
def test_grade_boundaries(score, grade):
    assert grade_for(score) == grade
    assert grade_for(score, DEFAULT_GRADES) == grade


def test_grade_for_custom_bands():
    bands = (GradeBand("优秀", D(90)), GradeBand("合格", D(60)), GradeBand("待改进", D(0)))
    assert [grade_for(D(s), bands) for s in ("90", "89.99", "60", "59.99")] == [
        "优秀", "合格", "合格", "待改进"]


# Forced distribution -----------------------------------------------------------------------

def test_largest_remainder_quotas_for_seven_people():
    # 7 × (0.10, 0.20, 0.50, 0.15, 0.05) = 0.7, 1.4, 3.5, 1.05, 0.35; rounded down 0, 1, 3, 1,
    # 0 = 5 people, 2 left; the largest remainders are S (0.7) and B (0.5): S1 A1 B4 C1 D0.
    people = [(index, D(100 - index), "B") for index in range(7)]
    result = forced_distribution(people)
    assert result.quotas == {"S": 1, "A": 1, "B": 4, "C": 1, "D": 0}
    assert list(result.quotas) == ["S", "A", "B", "C", "D"]
    assert result.actual == {"S": 0, "A": 0, "B": 7, "C": 0, "D": 0}
    assert result.explanation[:3] == [
        "7 people in the distribution; quotas by largest remainder.",
        "S: 10.0 % × 7 = 0.7 → quota 1, 0 now",
        "A: 20.0 % × 7 = 1.4 → quota 1, 0 now",
    ]
    assert ("Rounded down the quotas hold 5; the 2 left over go to the largest remainders, "
            "the better grade first on ties: S, B.") in result.explanation


def test_equal_remainders_go_to_the_better_grade():
    # 10 people: 1, 2, 5, 1.5, 0.5 → rounded down 9, one left; C and D both have 0.5: C wins.
    quotas = forced_distribution([(i, D(80), "B") for i in range(10)]).quotas
    assert quotas == {"S": 1, "A": 2, "B": 5, "C": 2, "D": 0}


def test_suggestions_only_for_people_whose_grade_differs():
    people = [("wang", D("96"), "B"), ("li", D("118"), "S"), ("zhao", D("71"), "C"),
              ("chen", D("104"), "B"), ("liu", D("90"), "B"), ("sun", D("88"), "A"),
              ("zhou", D("93"), "B")]
    result = forced_distribution(people)
    # Ranking: li 118 (S), chen 104 (A), wang 96, zhou 93, liu 90, sun 88 (B ×4), zhao 71 (C).
    assert [(s.key, s.current, s.suggested) for s in result.suggestions] == [
        ("chen", "B", "A"), ("sun", "A", "B")]
    assert result.suggestions[0].reason == (
        "Ranked 2 of 7 by final score 104.00: the distribution gives A (quota 1), the current "
        "grade is B.")
    assert result.actual == {"S": 1, "A": 1, "B": 4, "C": 1, "D": 0}
    assert result.explanation[-1] == (
        "2 people's grades differ from the distribution; nobody is moved until a reviewer "
        "decides.")


def test_no_suggestions_when_the_grades_already_follow_the_ranking():
    people = [(1, D(118), "S"), (2, D(104), "A"), (3, D(96), "B"), (4, D(93), "B"),
              (5, D(90), "B"), (6, D(88), "B"), (7, D(71), "C")]
    result = forced_distribution(people)
    assert result.suggestions == ()
    assert result.explanation[-1] == "Every grade already matches the distribution."


def test_equal_scores_keep_the_given_order():
    people = [("first", D(90), "A"), ("second", D(90), "A")]
    shares = (("A", D("0.5")), ("B", D("0.5")))
    result = forced_distribution(people, shares)
    assert [(s.key, s.suggested) for s in result.suggestions] == [("second", "B")]


def test_shares_must_sum_to_one():
    with pytest.raises(ScoringError) as error:
        forced_distribution([], (("A", D("0.5")), ("B", D("0.4"))))
    assert error.value.field == "shares"
    with pytest.raises(ScoringError) as error:
        forced_distribution([], (("A", D("1.5")), ("B", D("-0.5"))))
    assert error.value.field == "shares"
    with pytest.raises(ScoringError):
        forced_distribution([], ())
    empty = forced_distribution([])
    assert empty.quotas == dict.fromkeys("SABCD", 0)
    assert empty.suggestions == ()


parts = st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=6).filter(
    lambda values: sum(values) > 0)


@given(st.integers(min_value=0, max_value=300), st.none() | parts)
def test_quotas_sum_to_headcount_and_stay_within_one_of_the_share(count, raw):
    if raw is None:
        shares = DEFAULT_DISTRIBUTION
    else:
        # Whole percents summing to 100, the remainder on the last grade.
        total = sum(raw)
        percents = [value * 100 // total for value in raw]
        percents[-1] += 100 - sum(percents)
        shares = tuple((f"G{index}", D(p) / 100) for index, p in enumerate(percents))
    result = forced_distribution([(i, D(count - i), "") for i in range(count)], shares)
    assert sum(result.quotas.values()) == count
    for grade, share in shares:
        assert abs(result.quotas[grade] - share * count) < 1


@given(st.lists(st.tuples(st.decimals(min_value=D(0), max_value=D(130), places=2),
                          st.sampled_from("SABCD")), max_size=40))
def test_taking_every_suggestion_gives_exactly_the_quotas(rows):
    people = [(index, score, grade) for index, (score, grade) in enumerate(rows)]
    result = forced_distribution(people)
    suggested = {s.key: s.suggested for s in result.suggestions}
    assert all(people[s.key][2] != s.suggested for s in result.suggestions)
    after = dict.fromkeys("SABCD", 0)
    for key, _score, grade in people:
        after[suggested.get(key, grade)] += 1
    assert after == result.quotas
