"""The alerts of the risk evaluation, with the nudge limits: at most `weekly_alert_cap` alerts
per person in any 7 days (counted from the notifications already sent); the alerts beyond it
go into one digest per person per evaluation. Escalations go to the next leader above the lead,
once per stretch at risk, and count towards that leader's cap like any alert.

All alerts and digests of an evaluation are one `notify_many()`: the mutes in one query, the
rows in one insert per batch (about 99 rows on SQLite); the channels queue emails and robot
messages after the commit. Everything else is a constant number of queries too (the counts of
the last 7 days, the people, the companies)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from tandem.core.models import Company
from tandem.core.notifications import Message, notify_many
from tandem.core.notifications.models import Notification
from tandem.org.models import Employee

from . import notifications as kinds
from .models_tracking import ItemKind
from .pace import percent

DIGEST_ITEMS = 10


@dataclass
class Sent:
    alerts: int = 0
    digests: int = 0
    escalated: int = 0


@dataclass
class Alert:
    company_id: int
    kind: str
    recipients: tuple[int, ...]
    params: dict
    url: str
    label: str


def _change_alert(item, state, today: date) -> Alert:
    if item.kind == ItemKind.KEY_RESULT:
        kind = kinds.KEY_RESULT_AT_RISK if state.at_risk else kinds.KEY_RESULT_ON_TRACK
    else:
        kind = kinds.KPI_AT_RISK if state.at_risk else kinds.KPI_ON_TRACK
    recipients = tuple(pk for pk in (item.owner_id, item.lead_id) if pk is not None)
    return Alert(company_id=item.company_id, kind=kind.key, recipients=recipients,
                 params={"item": item.title, "owner": item.owner_name,
                         "progress": percent(item.progress), "expected": percent(item.expected),
                         "day": today.isoformat()},
                 url=item.url, label=f"{item.title} ({item.owner_name})")


def _escalation(item, state, days: int, names: dict[int, str]) -> Alert:
    recipients = (item.escalation_id,) if item.escalation_id is not None else ()
    return Alert(company_id=item.company_id, kind=kinds.ESCALATED.key, recipients=recipients,
                 params={"item": item.title, "owner": item.owner_name,
                         "since": state.since.isoformat(), "days": str(days),
                         "lead": names.get(item.lead_id, "")},
                 url=item.url, label=f"{item.title} ({item.owner_name})")


def sent_this_week(company_ids, now) -> dict[int, int]:
    """How many capped alerts each person received in the last 7 days: one query."""
    rows = (Notification.objects.filter(company_id__in=list(company_ids), kind__in=kinds.CAPPED,
                                        created_at__gte=now - timedelta(days=7))
            .values("recipient_id").annotate(n=Count("pk")).values_list("recipient_id", "n"))
    return dict(rows)


def send(*, changes, escalations, settings, today: date) -> Sent:
    """`changes`: (item, state) whose verdict changed; `escalations`: (item, state) due for
    escalation. Marks the states (`last_alerted_at`, `escalated_at`); the caller saves them."""
    from .risk import DEFAULT_SETTINGS

    sent = Sent()
    if not changes and not escalations:
        return sent
    now = timezone.now()
    company_ids = {item.company_id for item, _state in [*changes, *escalations]}
    people = {person.pk: person
              for person in Employee.objects.filter(company_id__in=company_ids)}
    companies = Company.objects.in_bulk(company_ids)
    names = {pk: person.name for pk, person in people.items()}
    alerts = []
    # Into risk first, then escalations, then back on track: what matters most uses the cap.
    ordered = sorted(changes, key=lambda pair: not pair[1].at_risk)
    for item, state in ordered:
        state.last_alerted_at = now
        alerts.append(_change_alert(item, state, today))
    for item, state in escalations:
        state.escalated_at = now
        grace = settings.get(item.company_id, DEFAULT_SETTINGS).escalation_grace_days
        alerts.append(_escalation(item, state, grace, names))
        sent.escalated += 1
    used = defaultdict(int, sent_this_week(company_ids, now))
    digest: dict[int, list[str]] = defaultdict(list)
    messages: list[Message] = []
    for alert in alerts:
        cap = settings.get(alert.company_id, DEFAULT_SETTINGS).weekly_alert_cap
        now_told = []
        for pk in dict.fromkeys(alert.recipients):
            if pk not in people:
                continue
            if used[pk] < cap:
                used[pk] += 1
                now_told.append(people[pk])
            else:
                digest[pk].append(alert.label)
        if now_told:
            messages.append(Message(company=companies[alert.company_id], recipients=now_told,
                                    kind=alert.kind, params=alert.params, url=alert.url))
            sent.alerts += 1
    for pk, labels in digest.items():
        person = people[pk]
        shown = labels[:DIGEST_ITEMS] + (["…"] if len(labels) > DIGEST_ITEMS else [])
        messages.append(Message(company=companies[person.company_id], recipients=[person],
                                kind=kinds.DIGEST.key,
                                params={"count": str(len(labels)), "items": "; ".join(shown)},
                                url="/kpis/tracking/risks/"))
        sent.digests += 1
    notify_many(messages)
    return sent
