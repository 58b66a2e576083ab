"""What the reports write: the synergy trend's recorded weeks (`TrendWeek`), so that the report
reads the weeks gone by instead of rebuilding them from every check-in and measurement on
each request (`insights.synergy_trend`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django_scopes import scope

from tandem.core.models import Company
from tandem.goals.models import Cycle

from . import synergy
from .models import TrendWeek


def _text(figure) -> str | None:
    return None if figure is None else str(figure)


@transaction.atomic
def record_trend_weeks(cycle: Cycle, today: date) -> int:
    """Records each week of `cycle` that ended before `today` and is not recorded yet, with
    the whole company's figures as the report has them today (rebuilt, for those weeks);
    returns how many. Call it inside the cycle's company scope."""
    report = synergy.build(cycle, today=today)
    have = set(TrendWeek.objects.filter(cycle=cycle).values_list("week_end", flat=True))
    rows = [
        TrendWeek(company_id=cycle.company_id, cycle=cycle, week_end=week.end,
                  completion={str(pk): str(figure) for pk, figure in week.completion.items()},
                  kpi_attainment={str(pk): _text(figure)
                                  for pk, figure in week.kpi_attainment.items()})
        for week in report.weeks if week.end < today and week.end not in have]
    TrendWeek.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def record_all_trend_weeks(today: date) -> int:
    """`record_trend_weeks` for every cycle of every company with a week that ended before
    `today` and not more than a week ago (the nightly task; a week missed stays rebuilt on
    each request until the cycle's next week is recorded)."""
    recorded = 0
    for company_id in Company.objects.order_by("pk").values_list("pk", flat=True):
        with scope(company=company_id):
            for cycle in Cycle.objects.filter(start__lte=today - timedelta(days=7),
                                              end__gte=today - timedelta(days=7)
                                              ).order_by("pk"):
                recorded += record_trend_weeks(cycle, today)
    return recorded
