"""Reading a person's notifications. Every function takes the employee whose notifications
they are: nobody reads another's."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification, NotificationMute


def notifications_for(employee, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The employee's in-app notifications, newest first; none for a member without an
    employee record."""
    if employee is None:
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient=employee, shown_in_app=True)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.select_related("actor").order_by("-created_at", "-pk")


def unread_count(employee) -> int:
    if employee is None:
        return 0
    return Notification.objects.filter(
        recipient=employee, shown_in_app=True, read_at__isnull=True
    ).count()


def unread_count_of_user(user, company) -> int:
    """The bell's count in one query, straight from the signed-in user (no employee lookup
    first): 0 for a member without an employee record."""
    return Notification.objects.filter(
        company=company, recipient__user=user, shown_in_app=True, read_at__isnull=True
    ).count()


def muted_pairs(employee) -> set[tuple[str, str]]:
    """(category, channel) pairs the employee has muted."""
    if employee is None:
        return set()
    return set(
        NotificationMute.objects.filter(employee=employee).values_list("category", "channel")
    )

