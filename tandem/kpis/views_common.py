"""What several KPI pages share: the chosen cycle, who may see a team, and each assignment's
pace by today (kpis.pace) with its at-risk flag and reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.goals.policy import policy_for
from tandem.goals.views import _chosen_cycle as chosen_cycle  # noqa: F401 (shared helper)

from . import attainment as rules
from . import pace

ZERO = Decimal(0)
ONE = Decimal(1)


def may_see_a_team(request) -> bool:
    """Department leaders, HR and administrators."""
    actor = getattr(request, "actor", None)
    return bool(actor and (actor.is_admin or actor.is_hr or actor.managed_department_ids))


def manages_kpis(request) -> bool:
    """Who works with assignments: HR, administrators and department leaders."""
    return may_see_a_team(request)


def is_people_admin(request) -> bool:
    actor = getattr(request, "actor", None)
    return bool(actor and (actor.is_admin or actor.is_hr))


def run(form, service, **kwargs):
    """Calls a service; its ValidationError lands on the form's fields."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_service_errors(error)
        return None


def posted(request):
    return request.POST if request.method == "POST" else None


@dataclass
class Pace:
    expected: Decimal
    progress: Decimal
    at_risk: bool
    reasons: list[str] = field(default_factory=list)
    measured: bool = True


def pace_of(assignment, today: date, policy) -> Pace:
    """The assignment's progress towards its target (kpis.attainment.progress_towards)
    against its expected pace (kpis.pace: the owner's plan or linear over the cycle), judged
    by the same rule as the daily risk evaluation (kpis.pace.assess)."""
    cycle = assignment.cycle
    expected = pace.expected(cycle.start, cycle.end, today, plan=assignment.pace_plan)
    rule = assignment.rule_for(assignment.indicator)
    done = rules.progress_towards(assignment.actual, assignment.target, rule)
    assessment = pace.assess(
        progress=done, expected=expected, today=min(today, cycle.end),
        last_update=assignment.last_measured_on,
        policy=pace.Policy(risk_margin=policy.risk_margin,
                           low_confidence=policy.low_confidence,
                           stale_days=policy.stale_days),
        stale=pace.STALE_MEASUREMENT)
    reasons = [_(msgid) % params for msgid, params in assessment.reasons]
    return Pace(expected=expected, progress=done, at_risk=assessment.at_risk, reasons=reasons,
                measured=assignment.actual is not None)


def weighted(assignments) -> Decimal | None:
    return rules.weighted_score([rules.Weighted(a.weight, a.score) for a in assignments])


def company_policy(request):
    return policy_for(request.company)
