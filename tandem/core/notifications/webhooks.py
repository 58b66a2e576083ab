"""Group-robot channels (DingTalk, WeCom, Feishu): configuring them, the company's routing,
queueing one group message per `notify()` event, and sending one attempt of it.

The flow: `notify()` commits its rows; `channels.GroupRobotChannel.deliver_all` then calls
`queue_for_events`, which writes one `WebhookDelivery` per event and enabled channel that
receives the category (text in the company's language, mentions from the recipients' work
phones) and queues `core.tasks.send_webhook` for each. The task calls `attempt`, which signs
and posts (see `robots`) and records the result; Huey retries with backoff while attempts
remain. Nothing here raises into the write that notified, and nothing logs a secret or a
robot's address (it carries the robot's token)."""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from . import crypto, robots
from .email import absolute_url
from .models import (
    Channel,
    CompanyNotificationMute,
    DeliveryStatus,
    Notification,
    Platform,
    WebhookChannel,
    WebhookDelivery,
)

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# A robot may post about 20 messages a minute: DingTalk's and WeCom's custom robots are
# throttled for minutes beyond 20 a minute, Feishu's beyond 100 a minute (5 a second), as
# their robot documentation states. So one `notify_many()` call (a daily risk evaluation
# with thousands of alerts) never floods a group: beyond this many events of one kind a
# channel gets one summary message.
ROBOT_EVENTS_PER_CALL = 5
SUMMARY_LINES = 10
# A summary mentions its recipients only when they are this few.
SUMMARY_MENTIONS = 20
MAX_ANSWER_BYTES = 65536

ADDRESS_MESSAGES = {
    robots.ADDRESS_BLANK: gettext_lazy("Enter the robot's webhook address."),
    robots.ADDRESS_SCHEME: gettext_lazy("The address must start with https://."),
    robots.ADDRESS_HOST: gettext_lazy(
        "This is not an address of the platform's robots (%(hosts)s)."),
    robots.ADDRESS_PATH: gettext_lazy(
        "This is not a group robot's address: copy the whole webhook address from the "
        "robot's settings."),
    robots.ADDRESS_TOKEN: gettext_lazy(
        "The address lacks the robot's token: copy the whole webhook address."),
    robots.ADDRESS_CREDENTIALS: gettext_lazy("The address must not contain a user name or "
                                             "password."),
}


def allow_any_host() -> bool:
    """Tests (a local server) and companies that relay through a host of their own turn this
    on; by default only the platforms' own HTTPS hosts are accepted."""
    return bool(getattr(settings, "TANDEM_WEBHOOK_ALLOW_ANY_HOST", False))


# ---------------------------------------------------------------------------------------------
# Configuring channels


def address_error(platform: str, address: str) -> str | None:
    """What is wrong with `address` for `platform`, in the user's language; None if nothing."""
    problem = robots.address_problem(platform, address, allow_any_host=allow_any_host())
    if problem is None:
        return None
    return str(ADDRESS_MESSAGES[problem]) % {"hosts": ", ".join(robots.HOSTS.get(platform, ()))}


def _check(*, platform: str, address: str, secret: str, keyword: str) -> None:
    errors: dict[str, list[str]] = {}
    if platform not in Platform.values:
        errors["platform"] = [_("Choose DingTalk, WeCom or Feishu.")]
    else:
        problem = address_error(platform, address)
        if problem:
            errors["address"] = [problem]
    if platform == Platform.DINGTALK and secret and not secret.startswith("SEC"):
        errors["secret"] = [_("A DingTalk signing secret starts with SEC.")]
    if platform == Platform.WECOM and secret:
        errors["secret"] = [_("WeCom robots have no signing secret: their key is part of the "
                              "address.")]
    if keyword and platform != Platform.DINGTALK:
        errors["keyword"] = [_("Only DingTalk robots use a keyword.")]
    if errors:
        raise ValidationError(errors)


def _clean_categories(categories: Iterable[str]) -> list[str]:
    from .registry import categories_in_use

    known = [key for key, _label in categories_in_use()]
    wanted = set(categories)
    unknown = wanted - set(known)
    if unknown:
        raise ValidationError({"categories": [_("Unknown categories: %(categories)s") % {
            "categories": ", ".join(sorted(unknown))}]})
    return [key for key in known if key in wanted]


@transaction.atomic
def create_channel(*, company, name: str, platform: str, address: str, secret: str = "",
                   keyword: str = "", enabled: bool = True,
                   categories: Iterable[str] = ()) -> WebhookChannel:
    address, secret, keyword = address.strip(), secret.strip(), keyword.strip()
    _check(platform=platform, address=address, secret=secret, keyword=keyword)
    return WebhookChannel.objects.create(
        company=company, name=name.strip(), platform=platform, address=address,
        secret_sealed=crypto.seal(secret), keyword=keyword, enabled=enabled,
        categories=_clean_categories(categories),
    )


@transaction.atomic
def update_channel(*, channel: WebhookChannel, name: str, platform: str, address: str = "",
                   secret: str = "", clear_secret: bool = False, keyword: str = "",
                   enabled: bool = True, categories: Iterable[str] = ()) -> WebhookChannel:
    """Blank `address` and `secret` keep the stored ones (neither is ever shown again);
    `clear_secret` removes the secret (signing turned off on the robot)."""
    address = address.strip() or channel.address
    secret = secret.strip()
    _check(platform=platform, address=address, secret=secret, keyword=keyword.strip())
    channel.name, channel.platform, channel.address = name.strip(), platform, address
    if platform == Platform.WECOM or clear_secret:
        channel.secret_sealed = ""
    if secret:
        channel.secret_sealed = crypto.seal(secret)
    channel.keyword = keyword.strip()
    channel.enabled = enabled
    channel.categories = _clean_categories(categories)
    channel.save()
    return channel


def set_enabled(*, channel: WebhookChannel, enabled: bool) -> WebhookChannel:
    channel.enabled = enabled
    WebhookChannel.objects.filter(pk=channel.pk).update(enabled=enabled,
                                                         updated_at=timezone.now())
    return channel


def delete_channel(*, channel: WebhookChannel) -> None:
    """The channel goes with its delivery log."""
    channel.delete()


# ---------------------------------------------------------------------------------------------
# The company's routing


def email_off_categories(company) -> set[str]:
    return set(
        CompanyNotificationMute.objects.with_scope(company=company.pk)
        .filter(channel=Channel.EMAIL).values_list("category", flat=True)
    )


@transaction.atomic
def set_routing(*, company, email: Iterable[str],
                channels: dict[int, Iterable[str]]) -> None:
    """Email goes out for the categories in `email` only (company-wide, on top of each
    person's own choice); each channel (by id, of this company) receives its categories."""
    from .registry import categories_in_use

    known = [key for key, _label in categories_in_use()]
    off = set(known) - set(email)
    CompanyNotificationMute.objects.filter(channel=Channel.EMAIL).exclude(
        category__in=off).delete()
    existing = email_off_categories(company)
    CompanyNotificationMute.objects.bulk_create([
        CompanyNotificationMute(company=company, category=category, channel=Channel.EMAIL)
        for category in sorted(off - existing)
    ])
    for channel in WebhookChannel.objects.filter(pk__in=list(channels)):
        wanted = set(channels[channel.pk])
        categories = [key for key in known if key in wanted]
        if categories != channel.categories:
            channel.categories = categories
            channel.save(update_fields=["categories", "updated_at"])


def email_allowed(notification: Notification) -> bool:
    """False when the company has switched email off for the notification's category."""
    return not CompanyNotificationMute.objects.with_scope(
        company=notification.company_id
    ).filter(category=notification.category, channel=Channel.EMAIL).exists()


# ---------------------------------------------------------------------------------------------
# Queueing


def message_text(notification: Notification) -> str:
    """The group message of a notification, in the active language: company, title, body and
    an absolute link back (when the site's address is known: a path means nothing in a chat)."""
    parts = [f"[{notification.company}] {notification.title}", notification.body]
    link = absolute_url(notification.url) if notification.url else ""
    if link.startswith(("https://", "http://")):
        parts.append(_("Open: %(link)s") % {"link": link})
    return "\n".join(part for part in parts if part)


def summary_text(events: Sequence[Sequence[Notification]]) -> str:
    """One group message for many events of one kind: how many, the first `SUMMARY_LINES`
    titles, how many more, and a link to the notifications (each recipient has their own)."""
    first = events[0][0]
    lines = [_("[%(company)s] %(category)s: %(count)d notifications") % {
        "company": first.company, "category": first.category_label, "count": len(events)}]
    lines += [f"· {rows[0].title}" for rows in events[:SUMMARY_LINES]]
    if len(events) > SUMMARY_LINES:
        lines.append(_("… and %(count)d more") % {"count": len(events) - SUMMARY_LINES})
    link = absolute_url(reverse("notifications"))
    if link.startswith(("https://", "http://")):
        lines.append(_("Open: %(link)s") % {"link": link})
    return "\n".join(lines)


def _mobiles(rows: Iterable[Notification]) -> list[str]:
    return [mobile for mobile in dict.fromkeys(
        robots.normalize_mobile(row.recipient.phone) for row in rows) if mobile]


def queue_for_events(events: Sequence[Sequence[Notification]]) -> list[WebhookDelivery]:
    """For each event (the rows of one `notify()` call, or of one message of `notify_many`:
    one company, one kind, one text), one delivery per enabled channel of its company that
    receives its category, mentioning every recipient with a work phone. A channel that
    would get more than `ROBOT_EVENTS_PER_CALL` events of one kind gets one summary instead
    (`summary_text`), mentioning the recipients only when they are at most
    `SUMMARY_MENTIONS`. Runs after the sender's commit; two queries whatever the number of
    events and recipients (the enabled channels of the events' companies, the deliveries in
    one insert), then one task per delivery."""
    events = [rows for rows in events if rows]
    if not events:
        return []
    companies = sorted({rows[0].company_id for rows in events})
    enabled: dict[int, list[WebhookChannel]] = {}
    for channel in WebhookChannel.objects.with_scope(company=companies).filter(
            enabled=True).order_by("pk"):
        enabled.setdefault(channel.company_id, []).append(channel)
    # (channel, kind) → its events, in the order they came.
    grouped: dict[tuple[int, str], tuple[WebhookChannel, list]] = {}
    for rows in events:
        first = rows[0]
        for channel in enabled.get(first.company_id, ()):
            if channel.receives(first.category):
                grouped.setdefault((channel.pk, first.kind), (channel, []))[1].append(rows)
    deliveries = []
    with translation.override(settings.LANGUAGE_CODE):
        for channel, its_events in grouped.values():
            if len(its_events) > ROBOT_EVENTS_PER_CALL:
                everyone = [row for rows in its_events for row in rows]
                mobiles = _mobiles(everyone)
                made = [(its_events[0], summary_text(its_events), everyone,
                         mobiles if len(mobiles) <= SUMMARY_MENTIONS else [])]
            else:
                made = [(rows, message_text(rows[0]), rows, _mobiles(rows))
                        for rows in its_events]
            deliveries.extend(
                WebhookDelivery(
                    company_id=channel.company_id, channel=channel, kind=rows[0].kind,
                    notification_count=len(counted), text=text,
                    mentions=[] if channel.platform == Platform.FEISHU else mobiles)
                for rows, text, counted, mobiles in made)
    if not deliveries:
        return []
    with scopes_disabled():
        deliveries = WebhookDelivery.objects.bulk_create(deliveries, batch_size=500)
    for delivery in deliveries:
        enqueue(delivery.pk)
    return deliveries


def queue_test(*, channel: WebhookChannel) -> WebhookDelivery:
    """A test message to the channel's group (enabled or not), sent once the request commits;
    its result shows in the delivery log."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Test message from Tandem: notifications of %(company)s will arrive in this "
                 "group.") % {"company": channel.company}
        link = absolute_url(reverse("channels:list"))
        if link.startswith(("https://", "http://")):
            text += "\n" + _("Open: %(link)s") % {"link": link}
    delivery = WebhookDelivery.objects.create(
        company=channel.company, channel=channel, kind=WebhookDelivery.TEST_KIND, text=text)
    transaction.on_commit(partial(enqueue, delivery.pk), robust=True)
    return delivery


def enqueue(delivery_id: int) -> None:
    """Hand a delivery to the task queue; a queue that is down leaves it pending, logged."""
    from tandem.core.tasks import send_webhook

    try:
        send_webhook(delivery_id)
    except Exception:
        logger.exception("Could not queue group robot delivery %s", delivery_id)


# ---------------------------------------------------------------------------------------------
# Sending


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A robot never answers with a redirect; following one could lead anywhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, data: bytes) -> tuple[int, bytes]:
    """POST and return (status, the first bytes of the answer). The URL was checked by
    `robots.address_problem` (https to the platform's host unless the setting allows any)."""
    request = urllib.request.Request(  # noqa: S310 (scheme and host checked before)
        url, data=data, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Tandem"},
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(MAX_ANSWER_BYTES)


def _send(channel: WebhookChannel, delivery: WebhookDelivery) -> robots.Outcome:
    if robots.address_problem(channel.platform, channel.address,
                              allow_any_host=allow_any_host()):
        return robots.Outcome(ok=False, error_code="address")
    try:
        secret = crypto.unseal(channel.secret_sealed)
    except crypto.SecretUnreadable:
        return robots.Outcome(ok=False, error_code="secret")
    request = robots.build_request(
        channel.platform, channel.address, secret=secret, text=delivery.text,
        mobiles=delivery.mentions, keyword=channel.keyword, now=time.time())
    try:
        status, content = post_json(request.url, request.data())
    except TimeoutError:
        return robots.Outcome(ok=False, retry=True, error_code="timeout")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        code = "timeout" if isinstance(reason, TimeoutError) else "network"
        return robots.Outcome(ok=False, retry=True, error_code=code,
                              error_message=type(reason).__name__)
    return robots.read_response(channel.platform, status, content)


def attempt(delivery_id: int, *, final: bool) -> str | None:
    """One attempt at a pending delivery; returns its status after it (None: nothing to do,
    the row is gone or no longer pending). A failure that may mend stays pending unless this
    is the `final` attempt; one that cannot (a refused address, an unreadable secret, a 4xx,
    a channel disabled meanwhile) fails at once."""
    # A task knows the row only by id, before it knows the company: the one lookup that
    # spans companies, after which everything is the row's own.
    with scopes_disabled():
        delivery = (WebhookDelivery.objects.select_related("channel")
                    .filter(pk=delivery_id).first())
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    channel = delivery.channel
    if not channel.enabled and not delivery.is_test:
        outcome = robots.Outcome(ok=False, error_code="disabled")
    else:
        outcome = _send(channel, delivery)
    now = timezone.now()
    if outcome.ok:
        status = DeliveryStatus.SENT
    elif outcome.retry and not final:
        status = DeliveryStatus.PENDING
    else:
        status = DeliveryStatus.FAILED
    with scopes_disabled():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1, last_attempt_at=now, status=status,
            http_status=outcome.http_status, error_code=outcome.error_code[:40],
            error_message=outcome.error_message[:500],
            sent_at=now if outcome.ok else None,
        )
    if not outcome.ok:
        logger.warning(
            "Group robot delivery %s (channel %s, %s) failed: HTTP %s, error %s; now %s",
            delivery.pk, channel.pk, channel.platform, outcome.http_status,
            outcome.error_code or "-", status,
        )
    return status
