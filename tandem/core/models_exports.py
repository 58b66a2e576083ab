"""An Excel export built in the background (`core.export_jobs`): who asked for which export
with which parameters, how far it got, and the finished file for 24 hours.

The file is kept in the database (a BinaryField), not under MEDIA_ROOT: salary exports must
never sit in a directory that the web server may serve as it is (/media/), several web and
worker machines see the same row without a shared file store (DESIGN.md: no local files that
others need), and the nightly clean-up deletes file and row in one statement, leaving no
orphan files. A workbook of a few thousand people is a few megabytes and lives one day."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyScoped

# How long a finished export can be downloaded; the periodic clean-up deletes it afterwards.
EXPORT_LIFETIME = timedelta(hours=24)
# An export still queued or running after this long has lost its worker (a restart, no worker
# at all): the page stops waiting and says so.
STALE_AFTER = timedelta(hours=1)


def _expiry():
    return timezone.now() + EXPORT_LIFETIME


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportJob(CompanyScoped):
    """One export asked for by one person. `kind` is a key of the export registry; `params`
    are what its builder needs, already checked against who asked (a leader's departments, a
    run id)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=80)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The language the workbook's headers and file name are written in: the asker's.
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    ascii_filename = models.CharField(_("ASCII file name"), max_length=200, blank=True)
    error = models.TextField(_("error message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=_expiry, db_index=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def stale(self) -> bool:
        return not self.finished and self.created_at < timezone.now() - STALE_AFTER

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
