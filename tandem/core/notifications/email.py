"""The email channel's message: plain text and simple HTML, in the recipient's language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .models import Notification

logger = logging.getLogger(__name__)


def recipient_language(employee) -> str:
    """The language a person reads email in. The language switch is a browser cookie only (no
    stored preference), so email is in the company default: Chinese."""
    return settings.LANGUAGE_CODE


def absolute_url(url: str) -> str:
    """A link that works from a mail client: prefixed with the site's address (the `SITE_URL`
    setting) when the link is a path and that address is known; as given otherwise."""
    site = getattr(settings, "SITE_URL", "") or ""
    if url.startswith("/") and not url.startswith("//") and site:
        return site.rstrip("/") + url
    return url


def send_email(notification_id: int) -> bool:
    """Send the email of one notification; False when there is nothing to send (deleted, sent
    already, no work email). A mail server error is logged and raised, for the task to retry."""
    # A task knows the row only by id, before it knows the company: the one lookup that
    # spans companies, after which everything is the row's own.
    with scopes_disabled():
        notification = (
            Notification.objects.select_related("recipient", "actor", "company")
            .filter(pk=notification_id).first()
        )
    if notification is None or notification.emailed_at is not None:
        return False
    address = notification.recipient.email
    if not address:
        return False
    with translation.override(recipient_language(notification.recipient)):
        message = build_message(notification, address)
    try:
        message.send()
    except Exception:
        logger.exception("Email of notification %s to %s failed", notification_id, address)
        raise
    with scopes_disabled():
        Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def build_message(notification: Notification, address: str) -> EmailMultiAlternatives:
    title = notification.title
    body = notification.body
    link = absolute_url(notification.url)
    company = str(notification.company)
    subject = " ".join(f"[{company}] {title}".split())  # a header: no line breaks
    text_parts = [title, body]
    if link:
        text_parts.append(_("Open: %(link)s") % {"link": link})
    text_parts.append(_("You can mute notifications like this one in Tandem, under "
                        "Notifications → Settings."))
    text = "\n\n".join(part for part in text_parts if part)
    html = format_html(
        "<p><strong>{}</strong></p>{}{}<p><small>{}</small></p>",
        title,
        linebreaks(body, autoescape=True) if body else "",
        format_html('<p><a href="{}">{}</a></p>', link, _("Open in Tandem")) if link else "",
        _("You can mute notifications like this one in Tandem, under "
          "Notifications → Settings."),
    )
    message = EmailMultiAlternatives(subject, text, to=[address])
    message.attach_alternative(html, "text/html")
    return message
