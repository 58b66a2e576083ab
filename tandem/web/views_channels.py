"""The company's notification channel pages (owners, administrators and HR): group robots
(list, add, edit, enable/disable, delete, send a test message), the delivery log and the
routing of topics to email and to each robot. Thin: `core.notifications.webhooks` writes and
sends, `core.notifications.permissions` says who may."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.notifications import permissions as _permissions  # noqa: F401 (the rules)
from tandem.core.notifications import webhooks
from tandem.core.notifications.models import WebhookChannel, WebhookDelivery
from tandem.core.notifications.registry import categories_in_use

from .decorators import member_required, require_perm
from .forms_channels import ChannelForm, initial_of

PERMISSION = "core.manage_notification_channels"
LOG_PAGE_SIZE = 50


def _channel(request, pk: int) -> WebhookChannel:
    """Another company's robot is a 404 for everyone, before any permission check."""
    channel = get_object_or_404(WebhookChannel.objects, pk=pk)
    require_perm(request, PERMISSION, channel)
    return channel


@require_GET
@member_required
def channel_list(request):
    require_perm(request, PERMISSION)
    labels = dict(categories_in_use())
    channels = [
        {"channel": channel,
         "topics": [labels.get(key, key) for key in channel.categories or []]}
        for channel in WebhookChannel.objects.order_by("name", "pk")
    ]
    return render(request, "web/channels.html", {"channels": channels})


def _save(request, form: ChannelForm, channel: WebhookChannel | None):
    if not form.is_valid():
        return None
    try:
        if channel is None:
            return webhooks.create_channel(company=request.company, **form.service_fields())
        return webhooks.update_channel(channel=channel, **form.service_fields())
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@member_required
def channel_add(request):
    require_perm(request, PERMISSION)
    form = ChannelForm(request.POST if request.method == "POST" else None,
                       initial={"enabled": True})
    if request.method == "POST" and _save(request, form, None) is not None:
        messages.success(request, _("The channel is saved. Send a test message to check it."))
        return redirect("channels:list")
    return render(request, "web/channels_form.html", {"form": form, "channel": None})


@member_required
def channel_edit(request, pk: int):
    channel = _channel(request, pk)
    form = ChannelForm(request.POST if request.method == "POST" else None,
                       initial=initial_of(channel), channel=channel)
    if request.method == "POST" and _save(request, form, channel) is not None:
        messages.success(request, _("The channel is saved."))
        return redirect("channels:list")
    return render(request, "web/channels_form.html", {"form": form, "channel": channel})


@require_POST
@member_required
def channel_toggle(request, pk: int):
    channel = _channel(request, pk)
    webhooks.set_enabled(channel=channel, enabled=not channel.enabled)
    if channel.enabled:
        messages.success(request, _("“%(name)s” is enabled.") % {"name": channel.name})
    else:
        messages.success(request, _("“%(name)s” is disabled.") % {"name": channel.name})
    return redirect("channels:list")


@require_POST
@member_required
def channel_test(request, pk: int):
    channel = _channel(request, pk)
    webhooks.queue_test(channel=channel)
    messages.success(request, _("A test message is on its way; its result shows below."))
    return redirect(f"{reverse('channels:log')}?channel={channel.pk}")


@member_required
def channel_delete(request, pk: int):
    """Confirmation on GET, deletion (with the channel's delivery log) on POST."""
    channel = _channel(request, pk)
    if request.method == "POST":
        webhooks.delete_channel(channel=channel)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": channel.name})
        return redirect("channels:list")
    return render(request, "web/channels_delete.html", {"channel": channel})


@require_GET
@member_required
def delivery_log(request):
    """Every message to the company's robots, newest first, 50 a page; `?channel=` narrows
    it to one robot. Three queries whatever the page holds."""
    require_perm(request, PERMISSION)
    channels = list(WebhookChannel.objects.order_by("name", "pk"))
    rows = WebhookDelivery.objects.select_related("channel").order_by("-created_at", "-pk")
    chosen = next((c for c in channels if str(c.pk) == request.GET.get("channel", "")), None)
    if chosen is not None:
        rows = rows.filter(channel=chosen)
    page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/channels_log.html", {
        "page_obj": page, "deliveries": page.object_list, "channels": channels,
        "chosen": chosen,
    })


@member_required
def routing(request):
    """Topics × (email, each robot): which topic goes where, company-wide. A person's own
    mutes (Notifications → Settings) still apply on top."""
    require_perm(request, PERMISSION)
    categories = categories_in_use()
    channels = list(WebhookChannel.objects.order_by("name", "pk"))
    if request.method == "POST":
        webhooks.set_routing(
            company=request.company, email=request.POST.getlist("email"),
            channels={channel.pk: request.POST.getlist(f"channel-{channel.pk}")
                      for channel in channels})
        messages.success(request, _("The routing is saved."))
        return redirect("channels:routing")
    email_off = webhooks.email_off_categories(request.company)
    rows = [
        {"key": key, "label": label, "email": key not in email_off,
         "channels": [{"name": f"channel-{channel.pk}", "label": channel.name,
                       "on": channel.receives(key)} for channel in channels]}
        for key, label in categories
    ]
    return render(request, "web/channels_routing.html", {"rows": rows, "channels": channels})
