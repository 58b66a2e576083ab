"""Forced distribution: quotas by largest remainder, suggestions only, nobody is moved
(okr-kpi.md, "Final score, grades, distribution")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.kpis.attainment import percent, plain

from .policy import DEFAULT_DISTRIBUTION, ONE, ZERO, ScoringError, _blank, _number, _percent, _score


@dataclass(frozen=True)
class Suggestion:
    key: int | str
    current: str
    suggested: str
    reason: str


@dataclass(frozen=True)
class Distribution:
    # Headcount per grade by largest remainder; sums to the number of people.
    quotas: dict[str, int]
    # Headcount per grade now.
    actual: dict[str, int]
    # Only people whose grade differs from what ranking into the quotas gives.
    suggestions: tuple[Suggestion, ...]
    explanation: list[str]


def forced_distribution(people: Sequence[tuple[int | str, Decimal, str]],
                        shares: Sequence[tuple[str, Decimal]] = DEFAULT_DISTRIBUTION,
                        ) -> Distribution:
    """Domain: optional forced distribution (强制分布), headcounts by largest remainder,
    suggestions only, never a silent move. `people` are (key, final score, current grade);
    `shares` run from the best grade to the worst."""
    shares = _valid_shares(shares)
    scores = [_number(score, "people") for _key, score, _current in people]
    count = len(people)
    quotas, rounding = _quotas(shares, count)
    lines = [ngettext("%(count)s person in the distribution; quotas by largest remainder.",
                      "%(count)s people in the distribution; quotas by largest remainder.",
                      count) % {"count": count}]
    actual = dict.fromkeys(quotas, 0)
    for _key, _score_value, current in people:
        actual[current] = actual.get(current, 0) + 1
    for grade, share in shares:
        lines.append(_("%(grade)s: %(share)s × %(count)s = %(exact)s → quota %(quota)s, "
                       "%(actual)s now")
                     % {"grade": grade, "share": _percent(share), "count": count,
                        "exact": plain(share * count), "quota": quotas[grade],
                        "actual": actual[grade]})
    lines.extend(rounding)
    # sorted() is stable, with reverse=True too: equal scores keep the given order.
    ranking = sorted(range(count), key=lambda index: scores[index], reverse=True)
    slots = [grade for grade, quota in quotas.items() for _slot in range(quota)]
    suggestions = []
    for rank, index in enumerate(ranking, start=1):
        key, _score_value, current = people[index]
        suggested = slots[rank - 1]
        if current == suggested:
            continue
        figures = {"rank": rank, "count": count, "score": _score(scores[index]),
                   "suggested": suggested, "quota": quotas[suggested], "current": current}
        if _blank(current):
            reason = _("Ranked %(rank)s of %(count)s by final score %(score)s: the distribution "
                       "gives %(suggested)s (quota %(quota)s); there is no grade yet.") % figures
        else:
            reason = _("Ranked %(rank)s of %(count)s by final score %(score)s: the distribution "
                       "gives %(suggested)s (quota %(quota)s), the current grade is "
                       "%(current)s.") % figures
        suggestions.append(Suggestion(key, current, suggested, reason))
    if suggestions:
        lines.append(ngettext(
            "%(count)s person's grade differs from the distribution; nobody is moved until a "
            "reviewer decides.",
            "%(count)s people's grades differ from the distribution; nobody is moved until a "
            "reviewer decides.", len(suggestions)) % {"count": len(suggestions)})
    else:
        lines.append(_("Every grade already matches the distribution."))
    return Distribution(quotas, actual, tuple(suggestions), lines)


def _valid_shares(shares: Sequence[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    if not shares:
        raise ScoringError("shares", _("Give the share of at least one grade."))
    valid = []
    for grade, share in shares:
        value = _number(share, "shares")
        if _blank(grade):
            raise ScoringError("shares", _("Every grade needs a name."))
        if grade in (name for name, _share in valid):
            raise ScoringError("shares", _("The grade “%(grade)s” appears twice.")
                               % {"grade": grade})
        if not ZERO <= value <= ONE:
            raise ScoringError("shares", _("The share %(share)s of grade %(grade)s must be "
                                           "between 0 and 1.")
                               % {"share": plain(value), "grade": grade})
        valid.append((grade, value))
    total = sum((value for _grade, value in valid), ZERO)
    if total != ONE:
        raise ScoringError("shares", _("The grade shares must sum to %(whole)s, not "
                                       "%(total)s.")
                           % {"whole": percent(ONE), "total": _percent(total)})
    return valid


def _quotas(shares: Sequence[tuple[str, Decimal]], count: int) -> tuple[dict[str, int],
                                                                         list[str]]:
    """Largest remainder: everyone gets the rounded-down share × count, the people left over
    go one each to the largest remainders, the better grade first on ties."""
    exact = [share * count for _grade, share in shares]
    floors = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    left = count - sum(floors)
    order = sorted(range(len(shares)), key=lambda index: (-(exact[index] - floors[index]), index))
    favoured = set(order[:left])
    quotas = {grade: floors[index] + (1 if index in favoured else 0)
              for index, (grade, _share) in enumerate(shares)}
    lines = []
    if left:
        lines.append(_("Rounded down the quotas hold %(floors)s; the %(left)s left over go to "
                       "the largest remainders, the better grade first on ties: %(grades)s.")
                     % {"floors": sum(floors), "left": left,
                        "grades": ", ".join(shares[index][0] for index in sorted(favoured))})
    return quotas, lines
