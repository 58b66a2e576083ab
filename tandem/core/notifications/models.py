"""Notifications, the categories people have muted per channel, the company's group-robot
channels (DingTalk, WeCom, Feishu) with their delivery log, and the company's own routing."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyScoped

from .registry import category_label, find_kind


class Channel(models.TextChoices):
    """Where a notification is delivered. A person mutes a category per channel; muting the
    group chat means not being @-mentioned in (nor the reason for) a group-robot message."""

    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Group chat")


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


class Platform(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk")
    WECOM = "wecom", _("WeCom")
    FEISHU = "feishu", _("Feishu / Lark")


class WebhookChannel(CompanyScoped):
    """A group robot of the company: every notification of the chosen categories is posted to
    the group, once per event, mentioning the people concerned where the platform can. The
    address is a credential too (it carries the robot's token) and is shown masked; the secret
    is write-only (`crypto`)."""

    name = models.CharField(_("name"), max_length=80)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    address = models.CharField(_("webhook address"), max_length=500)
    secret_sealed = models.TextField(_("secret (sealed)"), blank=True, editable=False)
    keyword = models.CharField(_("keyword"), max_length=40, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("group robot channel")
        verbose_name_plural = _("group robot channels")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_sealed)

    @property
    def masked_address(self) -> str:
        from .robots import masked_address

        return masked_address(self.address)

    def receives(self, category: str) -> bool:
        return category in (self.categories or [])


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# What went wrong on Tandem's side, by the code stored in `error_code` (platform codes are
# stored as the platform gives them, with its message).
LOCAL_ERRORS = {
    "address": _("The address is not a robot address Tandem may post to."),
    "secret": _("The secret cannot be read on this server: enter it again."),
    "network": _("Could not reach the platform."),
    "timeout": _("The platform did not answer in time."),
    "response": _("The platform's answer could not be read."),
    "disabled": _("The channel was disabled before the message went out."),
}


class WebhookDelivery(CompanyScoped):
    """One message to one group robot: a notification event (all the rows one `notify()`
    call made) or a test. Each attempt updates it: pending while attempts remain, then sent
    or failed. The text is kept as sent, in the company's language."""

    TEST_KIND = "test"

    channel = models.ForeignKey(WebhookChannel, on_delete=models.CASCADE,
                                related_name="deliveries", verbose_name=_("channel"))
    kind = models.CharField(_("kind"), max_length=80)
    notification_count = models.PositiveIntegerField(_("notifications"), default=0)
    text = models.TextField(_("text"), blank=True)
    mentions = models.JSONField(_("mentioned mobiles"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_message = models.CharField(_("error message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group robot delivery")
        verbose_name_plural = _("group robot deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["channel", "-created_at"], name="webhook_delivery_log")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.channel_id} ({self.status})"

    @property
    def is_test(self) -> bool:
        return self.kind == self.TEST_KIND

    @property
    def error_text(self) -> str:
        """The error in the reader's language where it is Tandem's own, else the platform's
        code and message."""
        local = LOCAL_ERRORS.get(self.error_code)
        if local is not None:
            return f"{local} {self.error_message}".strip()
        if self.error_code:
            return f"{self.error_code}: {self.error_message}".strip()
        return self.error_message


class CompanyNotificationMute(CompanyScoped):
    """The company does not send a category on a channel (today: email), whatever people
    chose for themselves. No row means sent."""

    category = models.CharField(_("category"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)

    class Meta:
        verbose_name = _("company-wide muted category")
        verbose_name_plural = _("company-wide muted categories")
        constraints = [
            models.UniqueConstraint(fields=["company", "category", "channel"],
                                    name="company_notification_mute_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.category}/{self.channel}"
