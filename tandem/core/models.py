"""Tenancy: companies, who belongs to them in which role, and the base of every business model."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Company(models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return bilingual(self.name, self.name_en)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    HR = "hr", _("HR")
    FINANCE = "finance", _("Finance")
    EMPLOYEE = "employee", _("Employee")


class Membership(models.Model):
    """A user's seat in a company. Department leadership (the manager role) is derived from the
    org chart, not stored here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_unique_user_company")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.get_role_display()})"


class CompanyScoped(models.Model):
    """Base of every company-owned model. Its default manager refuses to query outside
    `django_scopes.scope(company=...)`, and filters to that company inside it."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="+", editable=False,
        verbose_name=_("company"),
    )

    objects = ScopedManager(company="company")

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Optimistic versioning: `version` counts the saved edits of a row. An edit says which
    version it started from, and `core.versioning.claim_version` lands it only if nobody saved
    the row since (see that module)."""

    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Goes up by one with every saved edit."),
    )

    class Meta:
        abstract = True


def bilingual(name: str, name_en: str) -> str:
    """The name to show in the active language: the English one when English is active and one
    was given, the Chinese (primary) one otherwise."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name


# Notifications live in their own package, export jobs in their own module; Django finds their
# models through this module.
from tandem.core.models_exports import ExportJob  # noqa: E402, F401
from tandem.core.notifications.models import Notification, NotificationMute  # noqa: E402, F401
