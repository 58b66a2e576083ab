"""Improvement plan rules (reviews.improvement): the brief's worked example of
../shared/domain/okr-kpi.md, rule matching and priorities, ordering, and rule validation."""

import dataclasses
import string
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.reviews.improvement import (
    Comparison,
    ItemDraft,
    ItemKind,
    KeyResultFact,
    KpiFact,
    RuleData,
    RuleError,
    Subject,
    default_rules,
    generate,
    validate_rule,
)

D = Decimal
REPEAT_PURCHASE = ("Strengthen repeat-purchase skills: review lost repeat orders with your lead "
                   "and follow up existing customers every month.")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def kpi(key=1, name="Sales attainment", attainment="0.8", floor="0.6", category="sales",
        tags=()):
    return KpiFact(key=key, name=name, category=category, tags=tuple(tags),
                   attainment=None if attainment is None else D(attainment),
                   floor=None if floor is None else D(floor))


def kr(key=1, title="New customer development", progress="1.2", expectation="1.0"):
    return KeyResultFact(key=key, title=title, progress=D(progress), expectation=D(expectation))


def rule(key=1, subject=Subject.KPI, comparison=Comparison.BELOW, threshold="1.0",
         kind=ItemKind.IMPROVE, action="Work on {name}.", **extra):
    return RuleData(key=key, subject=subject, comparison=comparison,
                    threshold=None if threshold is None else D(threshold), kind=kind,
                    action=action, **extra)


def test_the_brief_worked_example_gives_exactly_two_items():
    items = generate([kpi()], [kr()], default_rules())
    assert items == [
        ItemDraft(
            kind=ItemKind.IMPROVE, subject=Subject.KPI, subject_key=1,
            title="Sales attainment 80.0 %", action=REPEAT_PURCHASE,
            course="Consultative selling and customer retention",
            rule_key="kpi-sales-below-target",
            reason="Attainment 80.0 % is below 100.0 %.", order=1,
        ),
        ItemDraft(
            kind=ItemKind.KEEP, subject=Subject.KEY_RESULT, subject_key=1,
            title="New customer development 120.0 %",
            action="Keep the pace of New customer development (120.0 %).", course="",
            rule_key="kr-strength",
            reason=("Progress 120.0 % is 120.0 % of the expected 100.0 %, "
                    "at least 120.0 %."),
            order=2,
        ),
    ]


def placeholders(text):
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_default_rules_stay_valid_in_every_language(language):
    english_rules = {default.key: default for default in default_rules()}
    with translation.override(language):
        translated = default_rules()
    for default in translated:
        validate_rule(default)
        assert placeholders(default.action) == placeholders(english_rules[default.key].action)
    assert [default.key for default in translated] == list(english_rules)


def test_below_floor_beats_the_generic_target_not_reached_rule():
    [item] = generate([kpi(name="Defect rate", category="quality", attainment="0.5")], [],
                      default_rules())
    assert (item.kind, item.rule_key) == (ItemKind.IMPROVE, "kpi-below-floor")
    assert item.action == ("Defect rate is below its floor: agree a recovery plan with your lead "
                           "and review it every two weeks.")
    assert item.reason == ("Attainment 50.0 % is below the indicator's "
                           "floor of 60.0 %.")


def test_target_not_reached_above_the_floor_or_without_one():
    above = kpi(key=1, name="Defect rate", category="quality", attainment="0.7")
    no_floor = kpi(key=2, name="Uptime", category="ops", attainment="0.3", floor=None)
    items = generate([above, no_floor], [], default_rules())
    assert [(item.subject_key, item.rule_key, item.action) for item in items] == [
        (2, "kpi-below-target", "Uptime reached 30.0 % of its target: find the main gap with "
                                "your lead and agree one concrete change."),
        (1, "kpi-below-target", "Defect rate reached 70.0 % of its target: find the main gap "
                                "with your lead and agree one concrete change."),
    ]


def test_kpi_strength_and_the_band_between_gives_nothing():
    items = generate([kpi(key=1, category="quality", name="Quality", attainment="1.2"),
                      kpi(key=2, category="quality", name="On time", attainment="1.1999"),
                      kpi(key=3, category="sales", name="Sales", attainment="1.0")],
                     [], default_rules())
    assert [(item.subject_key, item.kind, item.action) for item in items] == [
        (1, ItemKind.KEEP, "Keep doing what brought Quality to 120.0 %."),
    ]


def test_aspirational_key_result_at_its_expectation_gives_nothing():
    assert generate([], [kr(progress="0.7", expectation="0.7")], default_rules()) == []


def test_aspirational_key_result_is_a_strength_relative_to_its_expectation():
    # 0.84 / 0.7 = 1.2: at least the 1.2 keep threshold although progress is below 1.0.
    [item] = generate([], [kr(progress="0.84", expectation="0.7")], default_rules())
    assert (item.kind, item.action) == (
        ItemKind.KEEP, "Keep the pace of New customer development (84.0 %).")


def test_key_result_far_behind_a_committed_expectation():
    [item] = generate([], [kr(title="Launch the app", progress="0.3")], default_rules())
    assert (item.kind, item.rule_key, item.title) == (
        ItemKind.IMPROVE, "kr-far-behind", "Launch the app 30.0 %")
    assert item.action == ("Launch the app is far behind (30.0 %): split it into weekly steps "
                           "and check in every week.")
    assert item.reason == ("Progress 30.0 % is 30.0 % of the expected "
                           "100.0 %, below 50.0 %.")
    assert generate([], [kr(progress="0.5")], default_rules()) == []


def test_category_match_is_case_insensitive():
    items = generate([kpi(category="Sales")], [], default_rules())
    assert [item.rule_key for item in items] == ["kpi-sales-below-target"]
    items = generate([kpi(category="salesforce")], [], default_rules())
    assert [item.rule_key for item in items] == ["kpi-below-target"]


def test_keyword_match_on_kpi_name_and_key_result_title():
    rules = [
        rule(key="refund", match_keyword="REFUND", priority=10, action="Refunds: {value}."),
        rule(key="any", action="Any: {name}."),
        rule(key="kr-client", subject=Subject.KEY_RESULT, threshold="2", match_keyword="client",
             action="Clients: {name} {value}."),
    ]
    kpis = [kpi(key=1, name="Refund rate", attainment="0.9"),
            kpi(key=2, name="Sales", attainment="0.95")]
    krs = [kr(key=7, title="Win Client accounts", progress="1.5"),
           kr(key=8, title="Hire two engineers", progress="0.1")]
    items = generate(kpis, krs, rules)
    assert [(item.subject_key, item.rule_key, item.action) for item in items] == [
        (1, "refund", "Refunds: 90.0 %."),
        (2, "any", "Any: Sales."),
        (7, "kr-client", "Clients: Win Client accounts 150.0 %."),
    ]


def test_tag_match():
    rules = [rule(key="tagged", match_tag="Prospecting", priority=10, action="Tagged."),
             rule(key="plain", action="Plain.")]
    items = generate([kpi(key=1, tags=("客户开发", "prospecting")),
                      kpi(key=2, tags=("prospect",))], [], rules)
    assert [(item.subject_key, item.rule_key) for item in items] == [(1, "tagged"), (2, "plain")]


def test_priority_then_key_decides_not_the_order_given():
    rules = [rule(key=3, priority=5, action="Three."), rule(key=2, priority=5, action="Two."),
             rule(key=1, priority=9, action="One.")]
    [item] = generate([kpi()], [], rules)
    assert (item.rule_key, item.action) == (2, "Two.")
    [item] = generate([kpi()], [], list(reversed(rules)))
    assert item.rule_key == 2


def test_a_company_rule_at_the_default_priority_beats_the_generic_defaults():
    own = rule(key="own", action="Own plan for {name}.")
    [item] = generate([kpi(category="quality", attainment="0.5")], [], (*default_rules(), own))
    assert (item.rule_key, item.action) == ("own", "Own plan for Sales attainment.")


def test_a_rule_only_applies_to_its_subject():
    kr_rule = rule(key="kr", subject=Subject.KEY_RESULT, threshold="5")
    assert generate([kpi()], [], [kr_rule]) == []
    assert [item.subject for item in generate([], [kr()], [kr_rule])] == [Subject.KEY_RESULT]


def test_unmeasured_kpi_is_skipped():
    assert generate([kpi(attainment=None, floor="0.6")], [], default_rules()) == []


def test_improve_items_worst_first_then_keep_items_strongest_first():
    kpis = [kpi(key="a", name="A", category="ops", attainment="0.9"),
            kpi(key="b", name="B", category="ops", attainment="1.25"),
            kpi(key="c", name="C", category="ops", attainment="0.4")]
    krs = [kr(key="x", title="X", progress="0.2"), kr(key="y", title="Y", progress="1.5"),
           kr(key="z", title="Z", progress="1.3")]
    items = generate(kpis, krs, default_rules())
    assert [(item.subject_key, item.kind, item.order) for item in items] == [
        ("x", ItemKind.IMPROVE, 1), ("c", ItemKind.IMPROVE, 2), ("a", ItemKind.IMPROVE, 3),
        ("y", ItemKind.KEEP, 4), ("z", ItemKind.KEEP, 5), ("b", ItemKind.KEEP, 6),
    ]


def test_equal_figures_keep_kpis_first_then_input_order():
    kpis = [kpi(key=2, category="ops", attainment="0.4", floor=None),
            kpi(key=1, category="ops", attainment="0.4", floor=None)]
    items = generate(kpis, [kr(key=9, progress="0.4")], default_rules())
    assert [(item.subject, item.subject_key) for item in items] == [
        (Subject.KPI, 2), (Subject.KPI, 1), (Subject.KEY_RESULT, 9)]


def test_key_result_needs_a_positive_expectation():
    with pytest.raises(ValueError, match="expectation"):
        generate([], [kr(expectation="0")], default_rules())


def test_generate_refuses_an_invalid_rule():
    with pytest.raises(RuleError) as error:
        generate([kpi()], [], [rule(action="{owner}")])
    assert error.value.field == "action"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"subject": "team"}, "subject", "Choose a KPI or a key result."),
    ({"comparison": "above"}, "comparison", "Choose “below”, “at least” or “below the floor”."),
    ({"kind": "praise"}, "kind", "Choose “improve” or “keep doing”."),
    ({"threshold": None}, "threshold", "Enter a threshold."),
    ({"threshold": 0.5}, "threshold", "Enter the threshold as a number."),
    ({"threshold": True}, "threshold", "Enter the threshold as a number."),
    ({"threshold": D("-0.1")}, "threshold", "The threshold must be a number not below 0."),
    ({"threshold": D("NaN")}, "threshold", "The threshold must be a number not below 0."),
    ({"subject": Subject.KEY_RESULT, "comparison": Comparison.BELOW_FLOOR}, "comparison",
     "Only a KPI has a floor."),
    ({"subject": Subject.KEY_RESULT, "match_category": "sales"}, "match_category",
     "Only a KPI has a category."),
    ({"subject": Subject.KEY_RESULT, "match_tag": "sales"}, "match_tag", "Only a KPI has tags."),
    ({"action": "  \n"}, "action", "Enter a suggested action."),
    ({"action": "x" * 501}, "action", "Keep the action within 500 characters."),
    ({"action": "Talk to {lead}."}, "action",
     "Unknown placeholder {lead}: only {name} and {value} may be used."),
    ({"action": "Talk about {}."}, "action",
     "Unknown placeholder {}: only {name} and {value} may be used."),
    ({"action": "Talk about {name.upper}."}, "action",
     "Unknown placeholder {name.upper}: only {name} and {value} may be used."),
    ({"action": "Pad {name:>999999}."}, "action",
     "Write placeholders plainly, as {name} or {value}."),
    ({"action": "Shout {name!r}."}, "action", "Write placeholders plainly, as {name} or {value}."),
    ({"action": "Open { brace"}, "action",
     "Unbalanced braces: write {{ and }} for a literal brace."),
])
def test_validation_errors(changes, field, message):
    bad = dataclasses.replace(rule(), **changes)
    with pytest.raises(RuleError) as error:
        validate_rule(bad)
    assert (error.value.field, error.value.message) == (field, message)
    assert str(error.value) == f"{field}: {message}"


def test_valid_rules_pass_validation():
    validate_rule(rule(action="x" * 500))
    validate_rule(rule(threshold="0"))
    validate_rule(rule(comparison=Comparison.BELOW_FLOOR, threshold=None,
                       action="{name} {value} {{literal}}", match_tag="t", match_category="c"))
    validate_rule(dataclasses.replace(rule(), threshold=1))
    [item] = generate([kpi()], [], [rule(action="{{ {name} }}")])
    assert item.action == "{ Sales attainment }"


fractions = st.decimals(min_value=D("0"), max_value=D("2"), places=2)
kpi_facts = st.builds(
    KpiFact, key=st.just(0), name=st.sampled_from(["Sales", "Refund rate", "Uptime"]),
    category=st.sampled_from(["sales", "SALES", "ops", ""]),
    tags=st.lists(st.sampled_from(["sales", "cost"]), max_size=2).map(tuple),
    attainment=st.none() | fractions, floor=st.none() | fractions,
)
kr_facts = st.builds(
    KeyResultFact, key=st.just(0), title=st.sampled_from(["Win clients", "Ship v2"]),
    progress=fractions, expectation=st.sampled_from([D("1.0"), D("0.7")]),
)
kpi_rules = st.builds(
    RuleData, key=st.just(0), subject=st.just(Subject.KPI),
    comparison=st.sampled_from(Comparison.ALL), threshold=fractions,
    kind=st.sampled_from(ItemKind.ALL), action=st.sampled_from(["{name} {value}", "Act."]),
    match_category=st.sampled_from(["", "sales"]), match_tag=st.sampled_from(["", "cost"]),
    match_keyword=st.sampled_from(["", "rate", "win"]), priority=st.integers(0, 3),
)
kr_rules = st.builds(
    RuleData, key=st.just(0), subject=st.just(Subject.KEY_RESULT),
    comparison=st.sampled_from([Comparison.BELOW, Comparison.AT_LEAST]), threshold=fractions,
    kind=st.sampled_from(ItemKind.ALL), action=st.sampled_from(["{name} {value}", "Act."]),
    match_keyword=st.sampled_from(["", "rate", "win"]), priority=st.integers(0, 3),
)


def keyed(facts):
    return [dataclasses.replace(fact, key=index) for index, fact in enumerate(facts)]


@settings(max_examples=200, deadline=None)
@given(kpis=st.lists(kpi_facts, max_size=6), krs=st.lists(kr_facts, max_size=6),
       extra=st.lists(kpi_rules | kr_rules, max_size=6), data=st.data())
def test_at_most_one_item_per_fact_deterministic_and_ordered(kpis, krs, extra, data):
    kpis, krs = keyed(kpis), keyed(krs)
    rules = [*default_rules(), *keyed(extra)]
    items = generate(kpis, krs, rules)
    subjects = [(item.subject, item.subject_key) for item in items]
    assert len(subjects) == len(set(subjects))
    assert all(fact.attainment is not None for fact in kpis
               if (Subject.KPI, fact.key) in subjects)
    assert [item.order for item in items] == list(range(1, len(items) + 1))
    kinds = [item.kind for item in items]
    assert kinds == sorted(kinds, key=lambda kind: kind != ItemKind.IMPROVE)
    assert generate(kpis, krs, rules) == items
    assert generate(kpis, krs, data.draw(st.permutations(rules))) == items
