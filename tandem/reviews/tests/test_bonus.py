"""Bonus simulation from a policy formula (../shared/domain/okr-kpi.md, "Bonus"): the brief's
example, threshold, floor, cap, rounding to the fen, budget and per-person errors."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tandem.reviews.bonus import (
    DEMO_FORMULA,
    BonusLine,
    BonusPolicyData,
    PersonFigures,
    compute_bonuses,
)
from tandem.reviews.formula import FormulaError

D = Decimal
BRIEF = "kpi_rate * base_bonus + okr_rate * extra_bonus"
DEMO = BonusPolicyData(formula=DEMO_FORMULA, base_bonus=D(10000), extra_bonus=D(5000))


@pytest.fixture(autouse=True, scope="module")
def english():
    with translation.override("en"):
        yield


def person(key=1, name="Li Lei", **values):
    return PersonFigures(key=key, name=name, values=values)


def only_line(policy, **values):
    simulation = compute_bonuses(policy, [person(**values)])
    assert len(simulation.lines) == 1
    return simulation.lines[0]


def test_the_brief_example_kpi_80_percent_earns_no_base_bonus():
    line = only_line(DEMO, kpi_rate=D("0.8"), okr_rate=D("1.2"))
    assert (line.raw, line.amount, line.error) == (D("0.00"), D("0.00"), "")
    assert line.explanation == [
        f"Formula: {DEMO_FORMULA}; kpi_rate = 0.8, base_bonus = 10000, okr_rate = 1.2, "
        "extra_bonus = 5000 → 0.00"]


def test_the_brief_example_kpi_105_and_okr_125_percent_earn_both_parts():
    line = only_line(DEMO, kpi_rate=D("1.05"), okr_rate=D("1.25"))
    assert (line.raw, line.amount) == (D("10500.00") + D("6250.00"), D("16750.00"))


@pytest.mark.parametrize(("kpi_rate", "okr_rate", "amount"), [
    (D("1.00"), D("1.30"), D("6500.00")),   # exactly 100 %: not above, no base part
    (D("1.01"), D("1.20"), D("10100.00")),  # exactly 120 %: not above, no extra part
    (D("1.01"), D("1.21"), D("16150.00")),
])
def test_the_demo_thresholds_are_strictly_above(kpi_rate, okr_rate, amount):
    assert only_line(DEMO, kpi_rate=kpi_rate, okr_rate=okr_rate).amount == amount


def test_the_brief_formula_explains_its_figures():
    policy = BonusPolicyData(formula="kpi_rate * base_bonus", base_bonus=D(10000))
    line = only_line(policy, kpi_rate=D("0.80"))
    assert line == BonusLine(
        key=1, name="Li Lei", raw=D("8000.00"), amount=D("8000.00"),
        explanation=["Formula: kpi_rate * base_bonus; kpi_rate = 0.8, base_bonus = 10000 "
                     "→ 8000.00"], error="")


def test_a_formula_without_variables():
    line = only_line(BonusPolicyData(formula="500", base_bonus=D(0)))
    assert (line.amount, line.explanation) == (D("500.00"), ["Formula: 500 → 500.00"])


def test_figures_in_the_persons_values_win_over_the_policy():
    policy = BonusPolicyData(formula=BRIEF, base_bonus=D(10000), extra_bonus=D(5000))
    line = only_line(policy, kpi_rate=D(1), okr_rate=D(1), base_bonus=D(20000))
    assert line.amount == D("25000.00")


def test_grade_text_reaches_the_formula():
    policy = BonusPolicyData(formula='if(grade == "S", base_bonus * 2, base_bonus)',
                             base_bonus=D(3000))
    assert only_line(policy, grade="S").amount == D("6000.00")
    assert only_line(policy, grade="B").explanation == [
        'Formula: if(grade == "S", base_bonus * 2, base_bonus); grade = B, base_bonus = 3000 '
        "→ 3000.00"]


THRESHOLD = BonusPolicyData(formula=BRIEF, base_bonus=D(10000),
                            minimum_final_score=D("70.00"))


def test_below_the_threshold_no_bonus():
    line = only_line(THRESHOLD, kpi_rate=D("0.8"), okr_rate=D("0.5"), final_score=D(62))
    assert (line.raw, line.amount) == (D("8000.00"), D("0.00"))
    assert line.explanation[1] == "Final score 62.00 is below the threshold 70: no bonus."


def test_at_the_threshold_the_bonus_is_paid():
    line = only_line(THRESHOLD, kpi_rate=D("0.8"), okr_rate=D("0.5"), final_score=D("70"))
    assert (line.amount, len(line.explanation)) == (D("8000.00"), 1)


def test_a_threshold_without_a_final_score_is_an_error_on_that_line():
    line = only_line(THRESHOLD, kpi_rate=D("0.8"), okr_rate=D("0.5"))
    message = "The threshold 70 needs a final score, and there is none."
    assert (line.amount, line.error, line.explanation) == (D("0.00"), message, [message])


def test_a_negative_result_pays_nothing():
    policy = BonusPolicyData(formula="(kpi_rate - 1) * base_bonus", base_bonus=D(10000))
    line = only_line(policy, kpi_rate=D("0.5"))
    assert (line.raw, line.amount) == (D("-5000.00"), D("0.00"))
    assert line.explanation[1] == "The result is negative: no bonus."


def test_cap_per_person():
    policy = BonusPolicyData(formula=BRIEF, base_bonus=D(20000), extra_bonus=D(10000),
                             cap=D(20000))
    line = only_line(policy, kpi_rate=D("1.1"), okr_rate=D("0.5"))
    assert (line.raw, line.amount) == (D("27000.00"), D("20000.00"))
    assert line.explanation[1] == "Capped at 20000.00."
    under = only_line(policy, kpi_rate=D("0.5"), okr_rate=D("0.5"))
    assert (under.amount, len(under.explanation)) == (D("15000.00"), 1)


@pytest.mark.parametrize(("formula", "raw"), [
    ("1234.565", D("1234.57")), ("1234.564", D("1234.56")), ("0.005", D("0.01")),
    ("base_bonus * kpi_rate / 3", D("3333.33")), ("2000 / 3", D("666.67")),
    ("-1234.565", D("-1234.57")),
])
def test_rounding_half_up_to_the_fen(formula, raw):
    line = only_line(BonusPolicyData(formula=formula, base_bonus=D(10000)), kpi_rate=D(1))
    assert line.raw == raw
    assert line.amount == max(raw, D("0.00"))
    assert line.amount.as_tuple().exponent == -2


def test_a_cap_with_more_decimals_is_paid_to_the_fen():
    policy = BonusPolicyData(formula="base_bonus", base_bonus=D(100), cap=D("99.995"))
    line = only_line(policy)
    assert (line.amount, line.explanation[1]) == (D("100.00"), "Capped at 100.00.")


def team(*rates):
    return [person(key=index, name=f"P{index}", kpi_rate=D(rate), okr_rate=D(0))
            for index, rate in enumerate(rates, start=1)]


def test_total_and_budget_over():
    policy = BonusPolicyData(formula=BRIEF, base_bonus=D(10000), budget=D(15000))
    simulation = compute_bonuses(policy, team("0.8", "1.1"))
    assert [line.amount for line in simulation.lines] == [D("8000.00"), D("11000.00")]
    assert (simulation.total, simulation.budget, simulation.over_budget,
            simulation.within_budget, simulation.error_count) == (
        D("19000.00"), D(15000), D("4000.00"), False, 0)
    assert simulation.explanation == [f"Formula: {BRIEF}", "2 people, total 19000.00.",
                                      "Budget 15000.00: over by 4000.00."]


def test_total_and_budget_within():
    policy = BonusPolicyData(formula=BRIEF, base_bonus=D(10000), budget=D(20000))
    simulation = compute_bonuses(policy, team("0.8", "1.1"))
    assert (simulation.over_budget, simulation.within_budget) == (D("0.00"), True)
    assert simulation.explanation[2] == "Budget 20000.00: within it, 1000.00 left."


def test_a_total_equal_to_the_budget_is_within_it():
    policy = BonusPolicyData(formula=BRIEF, base_bonus=D(10000), budget=D(19000))
    simulation = compute_bonuses(policy, team("0.8", "1.1"))
    assert (simulation.over_budget, simulation.within_budget) == (D("0.00"), True)


def test_without_a_budget():
    policy = BonusPolicyData(formula=BRIEF, base_bonus=D(10000))
    simulation = compute_bonuses(policy, team("0.8"))
    assert (simulation.budget, simulation.over_budget, simulation.within_budget) == (
        None, D("0.00"), True)
    assert simulation.explanation == [f"Formula: {BRIEF}", "1 person, total 8000.00."]


def test_nobody():
    simulation = compute_bonuses(DEMO, [])
    assert (simulation.lines, simulation.total, simulation.error_count) == ((), D("0.00"), 0)


def test_one_persons_division_by_zero_does_not_stop_the_others():
    policy = BonusPolicyData(formula="base_bonus / months_in_cycle * 3", base_bonus=D(1200),
                             budget=D(10000))
    people = [
        PersonFigures(1, "Li Lei", {"months_in_cycle": D(3)}),
        PersonFigures(2, "Han Meimei", {"months_in_cycle": D(0)}),
        PersonFigures(3, "Wang Fang", {}),
        PersonFigures(4, "Zhang Wei", {"months_in_cycle": D(2)}),
    ]
    simulation = compute_bonuses(policy, people)
    assert [(line.key, line.amount, line.error) for line in simulation.lines] == [
        (1, D("1200.00"), ""),
        (2, D("0.00"), "Division by zero: the value after this “/” is 0."),
        (3, D("0.00"), "No value for “months_in_cycle”."),
        (4, D("1800.00"), ""),
    ]
    assert simulation.lines[1].explanation == [
        "Division by zero: the value after this “/” is 0."]
    assert (simulation.total, simulation.error_count) == (D("3000.00"), 2)
    assert simulation.explanation[-1] == "2 people could not be computed: see their lines."


def test_a_result_too_large_for_an_amount_is_an_error_on_that_line():
    policy = BonusPolicyData(formula="base_bonus * 1000000000000", base_bonus=D(5))
    line = only_line(policy)
    assert (line.amount, line.error) == (
        D("0.00"), "The result 5000000000000 is too large for an amount.")


def test_an_invalid_formula_stops_the_simulation():
    with pytest.raises(FormulaError) as raised:
        compute_bonuses(BonusPolicyData(formula="kpi_rat * 2", base_bonus=D(0)), team("1"))
    assert (raised.value.position, raised.value.message) == (
        0, "Unknown variable “kpi_rat”. Did you mean “kpi_rate”?")


money = st.decimals(min_value=D(0), max_value=D(100000), places=2)
rates = st.decimals(min_value=D(-1), max_value=D(3), places=4)


@given(st.lists(st.tuples(rates, rates), max_size=8), money, money,
       st.one_of(st.none(), money), st.one_of(st.none(), money))
def test_amounts_are_fen_within_the_cap_and_add_up(figures, base, extra, cap, budget):
    policy = BonusPolicyData(formula=BRIEF, base_bonus=base, extra_bonus=extra, cap=cap,
                             budget=budget)
    people = [person(key=index, kpi_rate=kpi, okr_rate=okr)
              for index, (kpi, okr) in enumerate(figures)]
    simulation = compute_bonuses(policy, people)
    for line, (kpi, okr) in zip(simulation.lines, figures, strict=True):
        raw = (kpi * base + okr * extra).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert line.raw == raw
        assert line.amount == (max(raw, D(0)) if cap is None else min(max(raw, D(0)), cap))
        assert line.amount.as_tuple().exponent == -2
    assert simulation.total == sum((line.amount for line in simulation.lines), D("0.00"))
    if budget is None:
        assert (simulation.over_budget, simulation.within_budget) == (D("0.00"), True)
    else:
        assert simulation.over_budget == max(simulation.total - budget, D(0))
        assert simulation.within_budget == (simulation.total <= budget)
