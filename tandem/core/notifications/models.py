"""Notifications and the categories people have muted, per channel."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyScoped

from .registry import category_label, find_kind


class Channel(models.TextChoices):
    """Where a notification is delivered. Webhook channels (DingTalk, WeCom, Feishu) join here."""

    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")


class Notification(CompanyScoped):
    """One event told to one person. The text is not stored: `kind` and `params` are, and the
    kind's title and body are rendered in the reader's language when it is read."""

    recipient = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=80)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        "org.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    # False when the recipient had muted the category in the app when it was sent: the row
    # still exists for the other channels (email now, webhooks and digests later).
    shown_in_app = models.BooleanField(_("shown in the app"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A person's list, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The bell: unread of a recipient, on every page.
            models.Index(
                fields=["recipient"], name="notification_unread",
                condition=models.Q(read_at__isnull=True, shown_in_app=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def category(self) -> str:
        kind = find_kind(self.kind)
        return kind.category if kind else ""

    @property
    def category_label(self) -> str:
        return category_label(self.category) if self.category else ""

    @property
    def title(self) -> str:
        kind = find_kind(self.kind)
        return kind.render_title(self.params) if kind else self.kind

    @property
    def body(self) -> str:
        kind = find_kind(self.kind)
        return kind.render_body(self.params) if kind else ""

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationMute(CompanyScoped):
    """A person does not want a category on a channel. No row means delivered."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, related_name="notification_mutes",
        verbose_name=_("employee"),
    )
    category = models.CharField(_("category"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)

    class Meta:
        verbose_name = _("muted notification category")
        verbose_name_plural = _("muted notification categories")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "category", "channel"], name="notification_mute_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.category}/{self.channel}"
