"""Delivery channels. The in-app channel is the Notification row itself; every other channel
gets the rows that are for it once the sender's transaction has committed.

A channel says who it can reach and delivers batches of rows (`deliver_all`, once per
`notify_many()` call): each batch the rows of one event when the channel is `per_event` (one
group message per event), else those of one company and category, which may come from many
events. Per-person mutes are applied before
(`services.notify_many`); company-wide routing here: the company may switch email off per
category, and each group robot receives the categories it was given. Weekly digests of a later issue plug in the same way: a new `Channel` choice, a
class below and an entry in `CHANNELS`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from .models import Channel, Notification

logger = logging.getLogger(__name__)


class InAppChannel:
    key = Channel.IN_APP
    per_event = False

    def reaches(self, employee) -> bool:
        return True

    def deliver_all(self, batches: Sequence[Sequence[Notification]]) -> None:
        """Nothing to send: the row is what the bell and the list show."""


class EmailChannel:
    key = Channel.EMAIL
    # Emails go in batches (core.tasks.EMAILS_PER_TASK) sharing the routing check.
    per_event = False

    def reaches(self, employee) -> bool:
        return bool(employee.email)

    def deliver_all(self, batches: Sequence[Sequence[Notification]]) -> None:
        """Each batch (one company and category) as `_deliver`: the routing asked per batch."""
        for batch in batches:
            self._deliver(batch)

    def _deliver(self, notifications: Sequence[Notification]) -> None:
        """Rows of one company and category, queued `EMAILS_PER_TASK` to a background task:
        a slow or failing mail server never holds up, or breaks, the sender, and a retry
        resends only the rows not emailed yet. Nothing when the company has switched email
        off for the category."""
        from tandem.core.tasks import EMAILS_PER_TASK, send_notification_emails

        from .webhooks import email_allowed

        if not notifications or not email_allowed(notifications[0]):
            return
        ids = [notification.pk for notification in notifications]
        for start in range(0, len(ids), EMAILS_PER_TASK):
            batch = ids[start:start + EMAILS_PER_TASK]
            try:
                send_notification_emails(batch)
            except Exception:  # the queue itself is down: the in-app rows still stand
                logger.exception("Could not queue the emails of notifications %s", batch)


class GroupRobotChannel:
    """DingTalk, WeCom and Feishu group robots (`webhooks`): one group message per event and
    channel, not one per person; everyone not muting the group chat is mentioned by phone."""

    key = Channel.WEBHOOK
    per_event = True

    def reaches(self, employee) -> bool:
        return True

    def deliver_all(self, events: Sequence[Sequence[Notification]]) -> None:
        """Every event of one `notify_many()` call at once: the companies' robots are read
        once, not once per event."""
        from .webhooks import queue_for_events

        try:
            queue_for_events(events)
        except Exception:  # the write that notified has committed: log, never raise
            logger.exception("Could not queue the group robot messages of %d events",
                             len(events))


CHANNELS = {channel.key: channel
            for channel in (InAppChannel(), EmailChannel(), GroupRobotChannel())}
# Channels that deliver after commit (all but in-app).
OUTBOUND = [channel for key, channel in CHANNELS.items() if key != Channel.IN_APP]
