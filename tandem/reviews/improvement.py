"""Improvement plan: pure rules, no ORM. When review results are published, each measured KPI
and each key result of the person is matched against the company's editable rules; the first
matching rule (by priority, then key) turns it into one item: something to improve, with a
suggested action and course, or a strength to keep. The brief's worked example
(../shared/domain/okr-kpi.md, "The brief's worked example"): KPI "sales attainment" at 80 % and
KR "new customer development" at 120 % give "strengthen repeat-purchase skills" (training) and
"keep the new-customer pace".

Figures the rules compare:
- KPI: the attainment fraction (kpis.attainment), or the indicator's own floor for
  `below_floor`.
- Key result: progress relative to the objective's expectation, `progress / expectation`
  (committed 1.0, aspirational 0.7: okr-kpi.md, "Expectations"), so an aspirational KR at 0.7
  stands where a committed one at 1.0 does.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.kpis.attainment import percent

ACTION_MAX_LENGTH = 500
PLACEHOLDERS = ("name", "value")


class Subject:
    KPI = "kpi"
    KEY_RESULT = "key_result"
    ALL = (KPI, KEY_RESULT)


class ItemKind:
    IMPROVE = "improve"
    KEEP = "keep"
    ALL = (IMPROVE, KEEP)


class Comparison:
    BELOW = "below"  # value < threshold
    AT_LEAST = "at_least"  # value >= threshold
    BELOW_FLOOR = "below_floor"  # KPI only: attainment below the indicator's own floor
    ALL = (BELOW, AT_LEAST, BELOW_FLOOR)


@dataclass(frozen=True)
class RuleData:
    key: int | str
    subject: str
    comparison: str
    # KPI: an attainment fraction; key result: progress / expectation. Unused for below_floor.
    threshold: Decimal | None
    kind: str
    # May contain {name} (the KPI name or KR title) and {value} (its figure as a percentage).
    action: str
    match_category: str = ""  # KPI only, case-insensitive
    match_tag: str = ""  # KPI only, case-insensitive
    match_keyword: str = ""  # in the KPI name or KR title, case-insensitive
    priority: int = 100  # lower runs first
    course: str = ""  # free text until the training module exists


@dataclass(frozen=True)
class KpiFact:
    key: int | str
    name: str
    category: str
    tags: tuple[str, ...]
    attainment: Decimal | None  # None: not measured
    floor: Decimal | None
    code: str = ""


@dataclass(frozen=True)
class KeyResultFact:
    key: int | str
    title: str
    progress: Decimal
    expectation: Decimal  # the objective's: 1.0 committed, 0.7 aspirational


@dataclass(frozen=True)
class ItemDraft:
    kind: str
    subject: str
    subject_key: int | str
    title: str
    action: str
    course: str
    rule_key: int | str
    reason: str
    order: int


class RuleError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def default_rules() -> tuple[RuleData, ...]:
    """The rules a company starts with, in the active language. Specific rules (a category or a
    keyword) run at priority 50 and the shipped generic ones from 200, so a company's own rule
    at the default priority 100 also beats the generic ones. The floor rule runs before the
    generic "target not reached" rule so a KPI below its floor says so."""
    return (
        RuleData(
            key="kpi-sales-below-target", subject=Subject.KPI, comparison=Comparison.BELOW,
            threshold=Decimal("1.0"), kind=ItemKind.IMPROVE, match_category="sales", priority=50,
            action=_("Strengthen repeat-purchase skills: review lost repeat orders with your lead "
                     "and follow up existing customers every month."),
            course=_("Consultative selling and customer retention"),
        ),
        RuleData(
            key="kpi-below-floor", subject=Subject.KPI, comparison=Comparison.BELOW_FLOOR,
            threshold=None, kind=ItemKind.IMPROVE, priority=200,
            action=_("{name} is below its floor: agree a recovery plan with your lead and review "
                     "it every two weeks."),
        ),
        RuleData(
            key="kpi-below-target", subject=Subject.KPI, comparison=Comparison.BELOW,
            threshold=Decimal("1.0"), kind=ItemKind.IMPROVE, priority=210,
            action=_("{name} reached {value} of its target: find the main gap with your lead and "
                     "agree one concrete change."),
        ),
        RuleData(
            key="kpi-strength", subject=Subject.KPI, comparison=Comparison.AT_LEAST,
            threshold=Decimal("1.2"), kind=ItemKind.KEEP, priority=220,
            action=_("Keep doing what brought {name} to {value}."),
        ),
        RuleData(
            key="kr-far-behind", subject=Subject.KEY_RESULT, comparison=Comparison.BELOW,
            threshold=Decimal("0.5"), kind=ItemKind.IMPROVE, priority=200,
            action=_("{name} is far behind ({value}): split it into weekly steps and check in "
                     "every week."),
        ),
        RuleData(
            key="kr-strength", subject=Subject.KEY_RESULT, comparison=Comparison.AT_LEAST,
            threshold=Decimal("1.2"), kind=ItemKind.KEEP, priority=210,
            action=_("Keep the pace of {name} ({value})."),
        ),
    )


def validate_rule(rule: RuleData) -> None:
    """Raise RuleError(field, message) for the first invalid field of a rule."""
    if rule.subject not in Subject.ALL:
        raise RuleError("subject", _("Choose a KPI or a key result."))
    if rule.comparison not in Comparison.ALL:
        raise RuleError("comparison", _("Choose “below”, “at least” or “below the floor”."))
    if rule.kind not in ItemKind.ALL:
        raise RuleError("kind", _("Choose “improve” or “keep doing”."))
    if rule.comparison == Comparison.BELOW_FLOOR:
        if rule.subject != Subject.KPI:
            raise RuleError("comparison", _("Only a KPI has a floor."))
    else:
        _validate_threshold(rule.threshold)
    if rule.subject != Subject.KPI:
        if rule.match_category:
            raise RuleError("match_category", _("Only a KPI has a category."))
        if rule.match_tag:
            raise RuleError("match_tag", _("Only a KPI has tags."))
    _validate_action(rule.action)


def _validate_threshold(threshold: object) -> None:
    if threshold is None:
        raise RuleError("threshold", _("Enter a threshold."))
    if isinstance(threshold, bool) or not isinstance(threshold, Decimal | int):
        raise RuleError("threshold", _("Enter the threshold as a number."))
    threshold = Decimal(threshold)
    if not threshold.is_finite() or threshold < 0:
        raise RuleError("threshold", _("The threshold must be a number not below 0."))


def _validate_action(action: str) -> None:
    if not action.strip():
        raise RuleError("action", _("Enter a suggested action."))
    if len(action) > ACTION_MAX_LENGTH:
        raise RuleError("action", _("Keep the action within %(limit)s characters.") % {
            "limit": ACTION_MAX_LENGTH})
    try:
        fields = list(string.Formatter().parse(action))
    except ValueError:
        raise RuleError("action", _("Unbalanced braces: write {{ and }} for a literal brace.")) from None
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise RuleError("action", _(
                "Unknown placeholder {%(placeholder)s}: only {name} and {value} may be used."
            ) % {"placeholder": name})
        # A format spec could pad the text to any length; the placeholders take none.
        if spec or conversion:
            raise RuleError("action", _("Write placeholders plainly, as {name} or {value}."))


@dataclass(frozen=True)
class _Candidate:
    subject: str
    key: int | str
    name: str
    value: Decimal  # shown as {value}: attainment or progress
    figure: Decimal  # compared with thresholds and used to order items
    kpi: KpiFact | None
    expectation: Decimal | None
    index: int


def _candidates(kpis: Sequence[KpiFact],
                key_results: Sequence[KeyResultFact]) -> list[_Candidate]:
    candidates = []
    for index, kpi in enumerate(kpis):
        if kpi.attainment is None:
            continue
        attainment = Decimal(kpi.attainment)
        candidates.append(_Candidate(Subject.KPI, kpi.key, kpi.name, attainment, attainment,
                                     kpi, None, index))
    for index, kr in enumerate(key_results):
        expectation = Decimal(kr.expectation)
        if expectation <= 0:
            raise ValueError(f"Key result {kr.key!r}: the expectation must be above 0.")
        progress = Decimal(kr.progress)
        candidates.append(_Candidate(Subject.KEY_RESULT, kr.key, kr.title, progress,
                                     progress / expectation, None, expectation, index))
    return candidates


def _rule_order(rule: RuleData) -> tuple:
    # Keys of one company are all ints or all strings; ranking the type keeps a mix sortable.
    return (rule.priority, isinstance(rule.key, str), rule.key)


def _selected(candidate: _Candidate, rule: RuleData) -> bool:
    if rule.subject != candidate.subject:
        return False
    if rule.match_keyword and rule.match_keyword.casefold() not in candidate.name.casefold():
        return False
    kpi = candidate.kpi
    if rule.match_category and (
            kpi is None or kpi.category.casefold() != rule.match_category.casefold()):
        return False
    if rule.match_tag and (kpi is None or rule.match_tag.casefold() not in {
            tag.casefold() for tag in kpi.tags}):
        return False
    if rule.comparison == Comparison.BELOW_FLOOR:
        return kpi is not None and kpi.floor is not None and candidate.figure < kpi.floor
    if rule.comparison == Comparison.BELOW:
        return candidate.figure < rule.threshold
    return candidate.figure >= rule.threshold


def _reason(candidate: _Candidate, rule: RuleData) -> str:
    figures = {"value": percent(candidate.value)}
    if rule.comparison == Comparison.BELOW_FLOOR:
        return _("Attainment %(value)s is below the indicator's floor of "
                 "%(floor)s.") % {**figures, "floor": percent(candidate.kpi.floor)}
    figures["threshold"] = percent(Decimal(rule.threshold))
    if candidate.subject == Subject.KPI:
        if rule.comparison == Comparison.BELOW:
            return _("Attainment %(value)s is below %(threshold)s.") % figures
        return _("Attainment %(value)s is at least %(threshold)s.") % figures
    figures.update(relative=percent(candidate.figure),
                   expectation=percent(candidate.expectation))
    if rule.comparison == Comparison.BELOW:
        return _("Progress %(value)s is %(relative)s of the expected "
                 "%(expectation)s, below %(threshold)s.") % figures
    return _("Progress %(value)s is %(relative)s of the expected "
             "%(expectation)s, at least %(threshold)s.") % figures


def generate(kpis: Sequence[KpiFact], key_results: Sequence[KeyResultFact],
             rules: Sequence[RuleData]) -> list[ItemDraft]:
    """One item per KPI and key result that a rule matches, the first matching rule by
    (priority, key) deciding; unmeasured KPIs are skipped. Improve items come first, worst
    figure first; then keep items, strongest figure first; ties keep KPIs before key results
    and the input order. `order` numbers the items from 1. Raises RuleError for an invalid
    rule, since every stored rule was validated on save."""
    for rule in rules:
        validate_rule(rule)
    ordered_rules = sorted(rules, key=_rule_order)
    matched = []
    for candidate in _candidates(kpis, key_results):
        rule = next((rule for rule in ordered_rules if _selected(candidate, rule)), None)
        if rule is not None:
            matched.append((candidate, rule))

    def position(pair: tuple[_Candidate, RuleData]) -> tuple:
        candidate, rule = pair
        figure = candidate.figure if rule.kind == ItemKind.IMPROVE else -candidate.figure
        return (rule.kind != ItemKind.IMPROVE, figure,
                candidate.subject != Subject.KPI, candidate.index)

    items = []
    for order, (candidate, rule) in enumerate(sorted(matched, key=position), start=1):
        value = percent(candidate.value)
        items.append(ItemDraft(
            kind=rule.kind, subject=candidate.subject, subject_key=candidate.key,
            title=f"{candidate.name} {value}",
            action=rule.action.format(name=candidate.name, value=value),
            course=rule.course, rule_key=rule.key, reason=_reason(candidate, rule), order=order,
        ))
    return items
