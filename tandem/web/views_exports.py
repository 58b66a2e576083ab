"""Excel exports as background jobs (`core.export_jobs`): the answer to an export button, the
job's page, its progress bar (polled by htmx every 2 s) and its file. Who may open a job is
the export's own permission check, asked again on every request; anyone else, and anyone of
another company, gets a 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.core import export_jobs
from tandem.core.exports import xlsx_download
from tandem.core.models_exports import ExportJob, ExportStatus

from .decorators import member_required


def start(request, key: str, params: dict):
    """Starts the export `key` with `params` (already checked by the export's view) and
    answers: an htmx request gets the progress bar (finished already when Huey runs inline);
    any other request is redirected to the file when it is ready, else to the job's page."""
    job = export_jobs.start_export(actor=request.actor, key=key, params=params)
    if request.htmx:
        return render(request, "web/exports/_progress.html", _context(job))
    if job.status == ExportStatus.DONE:
        return redirect("exports:download", job.pk)
    return redirect("exports:job", job.pk)


def _job(request, pk: int) -> ExportJob:
    """The job if the caller may see it; expired, not theirs to see, another company's: 404."""
    job = get_object_or_404(
        ExportJob.objects.defer("content").filter(expires_at__gt=timezone.now()), pk=pk)
    if not export_jobs.may_read(request.actor, job):
        raise Http404
    return job


def _context(job: ExportJob) -> dict:
    try:
        label = export_jobs.export_kind(job.kind).label
    except export_jobs.UnknownExport:
        label = job.kind
    return {"job": job, "label": label}


@require_GET
@member_required
def job_page(request, pk):
    return render(request, "web/exports/job.html", _context(_job(request, pk)))


@require_GET
@member_required
def job_progress(request, pk):
    return render(request, "web/exports/_progress.html", _context(_job(request, pk)))


@require_GET
@member_required
def job_download(request, pk):
    """The file of a finished job; a job still running or failed shows its page (409)."""
    job = _job(request, pk)
    if job.status != ExportStatus.DONE:
        return render(request, "web/exports/job.html", _context(job), status=409)
    content = ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    return xlsx_download(bytes(content), job.filename, fallback_filename=job.ascii_filename)
