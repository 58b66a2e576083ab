"""Sending notifications and what people do with them: read them, mute categories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from .channels import CHANNELS, OUTBOUND
from .models import Channel, Notification, NotificationMute
from .registry import get_kind

# Rows per INSERT. SQLite's 999-parameter limit is applied by Django on top (about 99 rows of
# a notification); this bounds one statement on PostgreSQL.
BATCH = 1000
# Up to this many people the mutes query names them; beyond, it reads the mutes of their
# companies for the categories (few rows: people rarely mute), not an IN list that outgrows
# SQLite's parameter limit.
NAMED_PEOPLE_LIMIT = 500


@dataclass(frozen=True)
class Message:
    """One event for `notify_many`: what one `notify()` call takes."""

    company: Any
    recipients: Sequence
    kind: str
    params: Mapping[str, object]
    url: str = ""
    actor: Any = None


def notify(*, company, recipients: Iterable, kind: str, params: dict[str, str], url: str = "",
           actor=None) -> list[Notification]:
    """Tell `recipients` (employees of `company`) that `kind` happened. Returns the rows
    created, one per recipient, the actor excepted: nobody is told of their own action.

    Constant cost whatever the number of recipients: the mutes in one query, the rows in one
    insert. Call it inside the write it reports; emails go out only once that commits, through
    the task queue, so a failing mail server never undoes or breaks the write."""
    [rows] = notify_many([Message(company=company, recipients=list(recipients), kind=kind,
                                  params=params or {}, url=url, actor=actor)])
    return rows


def notify_many(messages: Sequence[Message]) -> list[list[Notification]]:
    """`notify()` for many events at once, of one company or several: the rows created for each
    message, in order (an empty list where nobody is left to tell). Same rules; every message
    is checked (kind, recipients' company) before anything is written.

    Constant cost whatever the number of messages: the mutes of all of them in one query, the
    rows in one insert per `BATCH` (per about 99 rows on SQLite). After the commit the group
    robots get one batch per message (one group message per event), their channels read once
    for all; email gets one batch per company and category (the company's routing is asked
    once per batch)."""
    prepared = [_prepare(message) for message in messages]
    people = {person.pk: person for _, _, _, persons in prepared for person in persons}
    if not people:
        return [[] for _ in messages]
    muted = _muted_channels(
        {message.company.pk for message, _, _, persons in prepared if persons},
        list(people.values()),
        {kind.category for _, kind, _, persons in prepared if persons},
    )
    per_message = [
        [
            Notification(
                company=message.company, recipient=person, kind=message.kind, params=params,
                url=message.url, actor=message.actor,
                shown_in_app=(person.pk, kind.category, Channel.IN_APP) not in muted,
            )
            for person in persons
        ]
        for message, kind, params, persons in prepared
    ]
    Notification.objects.bulk_create([row for rows in per_message for row in rows],
                                      batch_size=BATCH)
    categories = [kind.category for _, kind, _, _ in prepared]
    for channel in OUTBOUND:
        batches = _batches(channel, per_message, categories, muted)
        if batches:
            # robust: an error while queueing is logged by Django, never raised into the
            # request whose write has already committed.
            transaction.on_commit(partial(channel.deliver_all, batches), robust=True)
    return per_message


def _prepare(message: Message) -> tuple:
    kind = get_kind(message.kind)
    params = {str(key): str(value) for key, value in (message.params or {}).items()}
    people = _distinct_recipients(message.company, message.recipients, message.actor)
    return message, kind, params, people


def _batches(channel, per_message: list[list[Notification]], categories: list[str],
             muted: set[tuple[int, str, str]]) -> list[list[Notification]]:
    """The rows each `channel.deliver` call gets: per message for a channel that sends one
    message per event, else per company and category, first come first."""
    groups: dict[object, list[Notification]] = {}
    for index, (rows, category) in enumerate(zip(per_message, categories, strict=True)):
        due = [row for row in rows if (row.recipient_id, category, channel.key) not in muted
               and channel.reaches(row.recipient)]
        if due:
            key = index if channel.per_event else (due[0].company_id, category)
            groups.setdefault(key, []).extend(due)
    return list(groups.values())


def _distinct_recipients(company, recipients: Iterable, actor) -> list:
    people, seen = [], set()
    for person in recipients:
        if person.company_id != company.pk:
            raise ValueError(f"Employee {person.pk} does not belong to company {company.pk}.")
        if person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        people.append(person)
    return people


def _muted_channels(company_ids: set[int], people: list,
                    categories: set[str]) -> set[tuple[int, str, str]]:
    """(employee, category, channel) muted, in one query. Scoped to the messages' companies
    (a list scope: `company IN (...)`), so it needs no open scope and leaks nothing else."""
    mutes = NotificationMute.objects.with_scope(company=sorted(company_ids)).filter(
        category__in=sorted(categories))
    if len(people) <= NAMED_PEOPLE_LIMIT:
        mutes = mutes.filter(employee__in=[person.pk for person in people])
    return set(mutes.values_list("employee_id", "category", "channel"))


def mark_read(*, notification: Notification, by) -> Notification:
    """`by` is the employee reading it; only the recipient can (others get a ValueError:
    views find the row among the reader's own first, so they answer 404 before this)."""
    if notification.recipient_id != by.pk:
        raise ValueError("Only the recipient can mark a notification read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, by) -> int:
    """Marks every unread notification of employee `by` read; returns how many."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_mutes(*, employee, muted: Iterable[tuple[str, str]]) -> None:
    """Replace the employee's muted (category, channel) pairs with `muted`."""
    wanted = {(category, channel) for category, channel in muted}
    unknown = {channel for _, channel in wanted} - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown channels: {sorted(unknown)}")
    existing = {
        (mute.category, mute.channel): mute.pk
        for mute in NotificationMute.objects.filter(employee=employee)
    }
    stale = [pk for pair, pk in existing.items() if pair not in wanted]
    if stale:
        NotificationMute.objects.filter(pk__in=stale).delete()
    NotificationMute.objects.bulk_create([
        NotificationMute(company_id=employee.company_id, employee=employee,
                         category=category, channel=channel)
        for category, channel in sorted(wanted - set(existing))
    ])
