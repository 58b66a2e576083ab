"""Performance bonuses from a policy's formula: pure, no ORM (../shared/domain/okr-kpi.md,
"Bonus"). One formula, parsed once, evaluated for each person over their review figures;
then the policy's threshold, a floor at 0 and the per-person cap; amounts rounded half-up to
the fen; the total checked against the budget. One person's error (a missing figure, a
division by zero) is reported on their line and never stops the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formula import Formula, FormulaError, parse

ZERO = Decimal(0)
FEN = Decimal("0.01")
# Amounts are stored as DecimalField(max_digits=14, decimal_places=2): below 10¹².
AMOUNT_LIMIT = Decimal(10) ** 12

# The brief's thresholds ("KPI达标率超过100%,发放奖金;OKR完成率超过120%,给予额外奖励") on
# its formula kpi_rate × base_bonus + okr_rate × extra_bonus: each part is paid only when its
# rate is strictly above the threshold ("超过" is "above"), KPI 100 % and OKR 120 %.
DEMO_FORMULA = (
    "if(kpi_rate > 1, kpi_rate * base_bonus, 0) + if(okr_rate > 1.2, okr_rate * extra_bonus, 0)"
)


@dataclass(frozen=True)
class BonusPolicyData:
    formula: str
    base_bonus: Decimal
    extra_bonus: Decimal = ZERO
    # Below this final score: no bonus; None: no threshold.
    minimum_final_score: Decimal | None = None
    # Most one person may receive; None: no cap.
    cap: Decimal | None = None
    # Total available; None: no budget.
    budget: Decimal | None = None


@dataclass(frozen=True)
class PersonFigures:
    key: int | str
    name: str
    # The formula variables for this person; base_bonus and extra_bonus come from the policy
    # unless present here.
    values: Mapping[str, Decimal | str]


@dataclass(frozen=True)
class BonusLine:
    key: int | str
    name: str
    # The formula's result, to the fen.
    raw: Decimal
    # What is paid: after the threshold, the floor at 0 and the cap, to the fen.
    amount: Decimal
    explanation: list[str]
    # "" or why this person's bonus could not be computed.
    error: str = ""


@dataclass(frozen=True)
class Simulation:
    lines: tuple[BonusLine, ...]
    total: Decimal
    budget: Decimal | None
    over_budget: Decimal
    within_budget: bool
    error_count: int
    explanation: list[str]


def fen(value: Decimal) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def plain(value: object) -> str:
    """A figure without trailing zeros (10000, 0.8); text as it is."""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format(Decimal(value).normalize(), "f")
    return "?"


def compute_bonuses(policy: BonusPolicyData, people: Sequence[PersonFigures]) -> Simulation:
    """Every person's bonus under the policy. An invalid formula raises FormulaError."""
    formula = parse(policy.formula)
    lines = tuple(_bonus_line(formula, policy, person) for person in people)
    total = fen(sum((line.amount for line in lines), ZERO))
    error_count = sum(1 for line in lines if line.error)
    explanation = [
        _("Formula: %(formula)s") % {"formula": formula.source},
        ngettext("%(count)s person, total %(total)s.", "%(count)s people, total %(total)s.",
                 len(lines)) % {"count": len(lines), "total": total},
    ]
    over_budget = fen(ZERO)
    within_budget = True
    if policy.budget is not None:
        budget = fen(policy.budget)
        over_budget = fen(max(total - budget, ZERO))
        within_budget = total <= budget
        if within_budget:
            explanation.append(_("Budget %(budget)s: within it, %(left)s left.")
                               % {"budget": budget, "left": fen(budget - total)})
        else:
            explanation.append(_("Budget %(budget)s: over by %(over)s.")
                               % {"budget": budget, "over": over_budget})
    if error_count:
        explanation.append(ngettext(
            "%(count)s person could not be computed: see their line.",
            "%(count)s people could not be computed: see their lines.",
            error_count) % {"count": error_count})
    return Simulation(lines, total, policy.budget, over_budget, within_budget, error_count,
                      explanation)


def _bonus_line(formula: Formula, policy: BonusPolicyData, person: PersonFigures) -> BonusLine:
    values = {"base_bonus": policy.base_bonus, "extra_bonus": policy.extra_bonus,
              **person.values}
    try:
        result = formula.evaluate(values)
        if abs(result) >= AMOUNT_LIMIT:
            raise FormulaError(_("The result %(value)s is too large for an amount.")
                               % {"value": plain(result)})
        threshold = _threshold(policy.minimum_final_score, values.get("final_score"))
    except FormulaError as error:
        return BonusLine(person.key, person.name, fen(ZERO), fen(ZERO), [error.message],
                         error.message)
    raw = fen(result)
    explanation = [_formula_sentence(formula, values, raw)]
    amount = raw
    if threshold:
        explanation.append(threshold)
        amount = ZERO
    elif amount < ZERO:
        explanation.append(_("The result is negative: no bonus."))
        amount = ZERO
    if policy.cap is not None and amount > policy.cap:
        amount = policy.cap
        explanation.append(_("Capped at %(cap)s.") % {"cap": fen(policy.cap)})
    return BonusLine(person.key, person.name, raw, fen(amount), explanation)


def _threshold(minimum: Decimal | None, final_score: Decimal | str | None) -> str:
    """The sentence saying why there is no bonus, or "" when the threshold is passed."""
    if minimum is None:
        return ""
    if not isinstance(final_score, Decimal | int) or isinstance(final_score, bool):
        raise FormulaError(_("The threshold %(minimum)s needs a final score, and there is none.")
                           % {"minimum": plain(minimum)})
    if final_score >= minimum:
        return ""
    return _("Final score %(score)s is below the threshold %(minimum)s: no bonus.") % {
        "score": fen(final_score), "minimum": plain(minimum)}


def _formula_sentence(formula: Formula, values: Mapping[str, Decimal | str],
                      raw: Decimal) -> str:
    figures = ", ".join(f"{name} = {plain(values[name])}"
                        for name in formula.variables_in_order if name in values)
    if not figures:
        return _("Formula: %(formula)s → %(result)s") % {"formula": formula.source,
                                                          "result": raw}
    return _("Formula: %(formula)s; %(figures)s → %(result)s") % {
        "formula": formula.source, "figures": figures, "result": raw}
