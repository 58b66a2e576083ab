"""Notifications: in the app (the bell), by email and to group robots (DingTalk, WeCom, Feishu).

    from tandem.core.notifications import NotificationKind, register, notify
    from tandem.core.notifications import Message, notify_many   # many events, one write
"""

from .registry import NotificationKind, register, register_category
from .services import Message, notify, notify_many

__all__ = ["Message", "NotificationKind", "notify", "notify_many", "register",
           "register_category"]
