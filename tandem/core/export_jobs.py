"""Excel exports as background jobs (DESIGN.md: long work shows a progress bar polled by htmx
and never blocks the request). One facility for every export of the project:

- an app registers each export once, in its `export_jobs` module (found by
  `autodiscover_modules`, in the web processes and the Huey worker alike)::

      register_export("pay.bank-transfers", build_bank_transfers, may_read_run,
                      label=gettext_lazy("Bank transfer list"))

  A builder is ``(company, params, progress) -> (sheets, filename)``, or
  ``(sheets, filename, ascii_filename)`` when the ASCII name for old clients should not be
  derived from the file name; `sheets` are `core.exports.Sheet`s. It runs in the company's
  scope and the asker's language, and calls ``progress(done, total)`` a few times as it goes.
  The permission check is ``(actor, params) -> bool``;
- the export's own view checks the request, turns it into `params` (ids, a leader's
  departments) and calls `start_export`, which records an `ExportJob` and hands it to the
  Huey task `core.tasks.run_export_job` after the commit, or runs it at once when Huey is in
  immediate mode (tests, a demo without a worker);
- `core.tasks.run_export_job` builds the sheets, writes the workbook (`core.exports`) and
  stores it on the row; the pages under /exports/ show its progress and download it.

Who may see a job, its progress and its file: whoever passes the export's permission check
with the job's parameters, checked again on every request. The person who asked passes it
(they were checked when they asked), unless they have lost the right since; a colleague who
could have asked for the same export may open it too, since it shows them nothing they could
not export themselves; everyone else is told it does not exist (404), like another company's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from .exports import Sheet, safe_filename, workbook_bytes
from .models import Company
from .models_exports import EXPORT_LIFETIME, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Builder = Callable[[Company, dict, Progress], tuple]
PermissionCheck = Callable[[object, dict], bool]


@dataclass(frozen=True)
class ExportKind:
    key: str
    builder: Builder
    permission_check: PermissionCheck
    label: str


class UnknownExport(LookupError):
    """No export is registered under this key."""


_REGISTRY: dict[str, ExportKind] = {}
_discovered = False


def register_export(key: str, builder: Builder, permission_check: PermissionCheck, *,
                    label: str) -> ExportKind:
    """Makes an export available under `key` ("app.name"); `label` (lazy) names it on its
    progress page. Registering the same key again replaces it (a module reloaded)."""
    kind = ExportKind(key=key, builder=builder, permission_check=permission_check, label=label)
    _REGISTRY[key] = kind
    return kind


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("export_jobs")
        _discovered = True


def export_kind(key: str) -> ExportKind:
    _discover()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownExport(key) from None


def may_read(actor, job: ExportJob) -> bool:
    """Whether `actor` may see `job` and download its file (see the module's docstring). The
    job comes from a scoped query, so it is of the actor's company."""
    if actor is None or job.company_id != actor.company.pk:
        return False
    try:
        kind = export_kind(job.kind)
    except UnknownExport:
        return False
    return bool(kind.permission_check(actor, job.params))


def _runs_inline() -> bool:
    from huey.contrib.djhuey import HUEY

    return bool(HUEY.immediate)


def start_export(*, actor, key: str, params: dict) -> ExportJob:
    """Records the export `key` asked for by `actor` with `params` (JSON values) and starts it:
    in the background after the commit, or right now when Huey runs tasks inline, in which
    case the job returned is already finished. PermissionDenied when the export's check
    refuses the actor."""
    kind = export_kind(key)
    if not kind.permission_check(actor, params):
        raise PermissionDenied
    job = ExportJob.objects.create(
        company=actor.company, requested_by=actor.user, kind=key, params=params,
        language=translation.get_language() or settings.LANGUAGE_CODE)
    from .tasks import run_export_job

    if _runs_inline():
        run_export_job(job.pk)
        job = ExportJob.objects.defer("content").get(pk=job.pk)
    else:
        job_id = job.pk
        transaction.on_commit(lambda: run_export_job(job_id))
    return job


def progress_writer(write: Callable[[int, int], object]) -> Progress:
    """A progress callback that passes `(done, total)` on to `write` (an update of the job's
    row) only when the percentage moves, or a phase starts or ends: a builder may call it for
    every row without a query each time."""
    last = {"percent": -1}

    def progress(done: int, total: int) -> None:
        done, total = max(0, int(done)), max(0, int(total))
        percent = done * 100 // total if total else 0
        if percent == last["percent"] and done not in (0, total):
            return
        last["percent"] = percent
        write(done, total)

    return progress


def _unpack(result) -> tuple[Sequence[Sheet], str, str]:
    if len(result) == 3:
        sheets, filename, ascii_filename = result
    else:
        (sheets, filename), ascii_filename = result, ""
    return list(sheets), safe_filename(str(filename)), str(ascii_filename)


def failure_message(error: Exception) -> str:
    """What the person who asked reads when the export failed: the reason when the error
    carries one meant for people (a refusal's `message`, a validation error), otherwise a
    general sentence; the details go to the log."""
    message = getattr(error, "message", None)
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    if isinstance(message, str) and message:
        return message
    return _("The export failed because of an error on our side (%(error)s). Try again; if "
             "it fails again, tell your administrator.") % {"error": type(error).__name__}


def _build(job: ExportJob) -> tuple[bytes, str, str]:
    kind = export_kind(job.kind)
    progress = progress_writer(lambda done, total: ExportJob.objects.filter(pk=job.pk).update(
        progress_done=done, progress_total=total))
    sheets, filename, ascii_filename = _unpack(kind.builder(job.company, job.params, progress))
    return workbook_bytes(sheets), filename, ascii_filename


def run_export(job_id: int) -> str | None:
    """Builds a queued job's workbook in its company's scope and the asker's language and
    stores it, or records why it failed. Returns the final status, None when the job is gone
    or was taken already (a task delivered twice runs once)."""
    with scopes_disabled():
        job = (ExportJob.objects.select_related("company").defer("content")
               .filter(pk=job_id).first())
        if job is None or not ExportJob.objects.filter(
                pk=job_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING):
            return None
    with scope(company=job.company_id), translation.override(
            job.language or settings.LANGUAGE_CODE):
        try:
            if connection.in_atomic_block:
                # Run inline inside a request's or a test's transaction: a database error
                # rolls back to here and the failure can still be recorded.
                with transaction.atomic():
                    content, filename, ascii_filename = _build(job)
            else:
                content, filename, ascii_filename = _build(job)
        except Exception as error:
            logger.exception("Export job %s (%s) failed", job.pk, job.kind)
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.FAILED, error=failure_message(error),
                finished_at=timezone.now())
            return ExportStatus.FAILED
        now = timezone.now()
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE, content=content, filename=filename[:200],
            ascii_filename=ascii_filename[:200], finished_at=now,
            expires_at=now + EXPORT_LIFETIME)
    return ExportStatus.DONE


def purge_expired_exports(now: datetime | None = None) -> int:
    """Deletes every company's exports past their expiry (their files with them), finished
    or stuck. Returns how many."""
    with scopes_disabled():
        deleted, _details = ExportJob.objects.filter(
            expires_at__lte=now or timezone.now()).delete()
    return deleted
