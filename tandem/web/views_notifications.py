"""Notification pages: the list behind the bell, opening one (marks it read, then follows its
link), marking all read, the bell's badge for polling, and per-category mute settings. Thin:
`core.notifications.services` writes, `core.notifications.selectors` reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.notifications import registry, selectors, services
from tandem.core.notifications.channels import CHANNELS
from tandem.core.notifications.models import Channel

from .decorators import member_required

NOTIFICATIONS_PER_PAGE = 20


def _employee(request):
    return request.actor.employee


@member_required
@require_GET
def notification_list(request):
    employee = _employee(request)
    page = Paginator(selectors.notifications_for(employee), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "web/notifications.html", {
        "page_obj": page, "has_employee": employee is not None,
    })


@member_required
@require_POST
def notification_open(request, pk: int):
    """Opening a notification marks it read and follows its link (a link of this site only:
    the stored link comes from code, but a redirect must never lead elsewhere)."""
    notification = get_object_or_404(selectors.notifications_for(_employee(request)), pk=pk)
    services.mark_read(notification=notification, by=_employee(request))
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications")


@member_required
@require_POST
def notification_read_all(request):
    employee = _employee(request)
    if employee is not None:
        services.mark_all_read(by=employee)
    return redirect("notifications")


@member_required
@require_GET
def notification_badge(request):
    """The bell alone, polled by htmx every minute."""
    return render(request, "web/_bell.html")


@member_required
def notification_settings(request):
    employee = _employee(request)
    categories = registry.categories_in_use()
    channels = [Channel(key) for key in CHANNELS]
    if request.method == "POST" and employee is not None:
        delivered = set(request.POST.getlist("deliver"))
        muted = [(category, channel) for category, _label in categories for channel in channels
                 if f"{category}:{channel}" not in delivered]
        services.set_mutes(employee=employee, muted=muted)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    if request.method == "POST":
        return redirect("notification_settings")
    muted = selectors.muted_pairs(employee)
    rows = [
        {"key": category, "label": label,
         "channels": [{"key": f"{category}:{channel}", "label": channel.label,
                       "delivered": (category, channel.value) not in muted}
                      for channel in channels]}
        for category, label in categories
    ]
    return render(request, "web/notifications_settings.html", {
        "rows": rows, "channels": channels, "has_employee": employee is not None,
    })
