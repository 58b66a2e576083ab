"""Sending notifications and what people do with them: read them, mute categories."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from .channels import CHANNELS, OUTBOUND
from .models import Channel, Notification, NotificationMute
from .registry import get_kind


def notify(*, company, recipients: Iterable, kind: str, params: dict[str, str], url: str = "",
           actor=None) -> list[Notification]:
    """Tell `recipients` (employees of `company`) that `kind` happened. Returns the rows
    created, one per recipient, the actor excepted: nobody is told of their own action.

    Constant cost whatever the number of recipients: the mutes in one query, the rows in one
    insert. Call it inside the write it reports; emails go out only once that commits, through
    the task queue, so a failing mail server never undoes or breaks the write."""
    notification_kind = get_kind(kind)
    params = {str(key): str(value) for key, value in (params or {}).items()}
    people = _distinct_recipients(company, recipients, actor)
    if not people:
        return []
    muted = _muted_channels(company, people, notification_kind.category)
    rows = [
        Notification(
            company=company, recipient=person, kind=kind, params=params, url=url, actor=actor,
            shown_in_app=(person.pk, Channel.IN_APP) not in muted,
        )
        for person in people
    ]
    Notification.objects.bulk_create(rows)
    for channel in OUTBOUND:
        due = [row for row in rows
               if (row.recipient_id, channel.key) not in muted and channel.reaches(row.recipient)]
        if due:
            # robust: an error while queueing is logged by Django, never raised into the
            # request whose write has already committed.
            transaction.on_commit(partial(channel.deliver, due), robust=True)
    return rows


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


def _muted_channels(company, people: list, category: str) -> set[tuple[int, str]]:
    return set(
        NotificationMute.objects.with_scope(company=company.pk)
        .filter(employee__in=[person.pk for person in people], category=category)
        .values_list("employee_id", "channel")
    )


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
