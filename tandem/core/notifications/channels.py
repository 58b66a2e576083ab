"""Delivery channels. The in-app channel is the Notification row itself; every other channel
gets the rows that are for it once the sender's transaction has committed.

A channel says who it can reach and delivers a batch of rows. The webhook channels (DingTalk,
WeCom, Feishu), company-level routing and weekly digests of the next issue plug in here: a new
`Channel` choice, a class below and an entry in `CHANNELS`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from .models import Channel, Notification

logger = logging.getLogger(__name__)


class InAppChannel:
    key = Channel.IN_APP

    def reaches(self, employee) -> bool:
        return True

    def deliver(self, notifications: Sequence[Notification]) -> None:
        """Nothing to send: the row is what the bell and the list show."""


class EmailChannel:
    key = Channel.EMAIL

    def reaches(self, employee) -> bool:
        return bool(employee.email)

    def deliver(self, notifications: Sequence[Notification]) -> None:
        """One background task per email, so that Huey retries exactly the one that failed and
        a slow or failing mail server never holds up, or breaks, the sender."""
        from tandem.core.tasks import send_notification_email

        for notification in notifications:
            try:
                send_notification_email(notification.pk)
            except Exception:  # the queue itself is down: the in-app row still stands
                logger.exception("Could not queue the email of notification %s", notification.pk)


CHANNELS = {channel.key: channel for channel in (InAppChannel(), EmailChannel())}
# Channels that deliver after commit (all but in-app).
OUTBOUND = [channel for key, channel in CHANNELS.items() if key != Channel.IN_APP]
