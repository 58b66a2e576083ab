"""Notifications: in the app (the bell), by email and to group robots (DingTalk, WeCom, Feishu).

    from tandem.core.notifications import NotificationKind, register, notify
"""

from .registry import NotificationKind, register, register_category
from .services import notify

__all__ = ["NotificationKind", "notify", "register", "register_category"]
