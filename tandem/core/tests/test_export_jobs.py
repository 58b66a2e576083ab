"""Excel exports as background jobs (`core.export_jobs`, pages in `web.views_exports`): a job
runs and its file downloads under its name, progress is reported and shown, a failure is
recorded and shown, a salary export stays with those who may read salaries, another company's
job is a 404, and expired jobs are cleaned up."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tandem.core import export_jobs
from tandem.core.exports import MONEY, TEXT, Column, Sheet
from tandem.core.models_exports import EXPORT_LIFETIME, ExportJob, ExportStatus
from tandem.core.tasks import purge_expired_exports, run_export_job

PROGRESS_SEEN: list[tuple[int, int]] = []


def _build_salaries(company, params, progress):
    progress(0, 4)
    rows = []
    for step, name in enumerate(params["names"], start=1):
        rows.append((name, Decimal("1000.005") * step))
        progress(step, 4)
        # What a poll would read now: the row already says how far the builder got.
        PROGRESS_SEEN.append(tuple(ExportJob.objects.filter(company=company).values_list(
            "progress_done", "progress_total").get()))
    return ([Sheet("工资", [Column("Name", TEXT), Column("Net pay", MONEY)], rows)],
            f"工资-{company.pk}.xlsx", "salaries.xlsx")


class Refused(Exception):
    def __init__(self):
        self.message = "The month is closed again: nothing to export."
        super().__init__(self.message)


def _build_refused(company, params, progress):
    progress(0, 1)
    raise Refused


def _build_broken(company, params, progress):
    return {}["missing"], "never.xlsx"


def _finance_only(actor, params):
    return actor.is_finance or actor.is_hr


export_jobs.register_export("test.salaries", _build_salaries, _finance_only, label="Salaries")
export_jobs.register_export("test.refused", _build_refused, _finance_only, label="Refused")
export_jobs.register_export("test.broken", _build_broken, _finance_only, label="Broken")


@pytest.fixture(autouse=True)
def _clear_progress():
    PROGRESS_SEEN.clear()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _start(actor, key="test.salaries", names=("Li Lei", "Han Meimei", "=SUM(A1)")):
    with scope(company=actor.company.pk):
        return export_jobs.start_export(actor=actor, key=key, params={"names": list(names)})


# --- a job runs --------------------------------------------------------------------------------


def test_a_job_runs_inline_and_its_file_downloads_with_its_name_and_content(
        org, actor_of_role, client_as):
    job = _start(actor_of_role("finance"))

    assert job.status == ExportStatus.DONE
    assert (job.progress_done, job.progress_total) == (3, 4)
    assert job.requested_by == org.users["finance"] and job.filename == f"工资-{org.company.pk}.xlsx"
    assert job.expires_at - job.finished_at == EXPORT_LIFETIME
    response = client_as(org.users["finance"]).get(f"/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="salaries.xlsx"; '
        f"filename*=utf-8''%E5%B7%A5%E8%B5%84-{org.company.pk}.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["工资"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Name", "Net pay"), ("Li Lei", 1000.01), ("Han Meimei", 2000.01),
        ("=SUM(A1)", 3000.02)]
    assert sheet["A4"].data_type == "s"


def test_progress_is_written_as_the_builder_goes_and_shown_while_it_runs(
        org, actor_of_role, client_as):
    _start(actor_of_role("finance"))
    assert PROGRESS_SEEN == [(1, 4), (2, 4), (3, 4)]

    with scope(company=org.company.pk):
        running = ExportJob.objects.create(
            company=org.company, requested_by=org.users["finance"], kind="test.salaries",
            status=ExportStatus.RUNNING, progress_done=1, progress_total=4)
    html = english(client_as(org.users["finance"])).get(
        f"/exports/{running.pk}/progress/").content.decode()
    assert "Salaries: step 1 of 4" in html
    assert f'hx-get="/exports/{running.pk}/progress/" hx-trigger="every 2s"' in html
    assert 'max="100" value="25"' in html
    page = english(client_as(org.users["finance"])).get(f"/exports/{running.pk}/")
    assert page.status_code == 200 and "Salaries: step 1 of 4" in page.content.decode()
    # Not ready yet: the download shows the page, with a 409.
    assert client_as(org.users["finance"]).get(
        f"/exports/{running.pk}/download/").status_code == 409


def test_a_finished_job_stops_polling_and_offers_its_file(org, actor_of_role, client_as):
    job = _start(actor_of_role("finance"))
    html = english(client_as(org.users["finance"])).get(
        f"/exports/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in html
    assert f'href="/exports/{job.pk}/download/"' in html and f"Download 工资-{org.company.pk}" in html


def test_a_job_left_waiting_for_an_hour_stops_polling_and_says_why(org, client_as):
    with scope(company=org.company.pk):
        job = ExportJob.objects.create(company=org.company, requested_by=org.users["hr"],
                                       kind="test.salaries")
        ExportJob.objects.filter(pk=job.pk).update(
            created_at=timezone.now() - timedelta(hours=2))
    html = english(client_as(org.users["hr"])).get(
        f"/exports/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in html and "the background worker may not be running" in html


# --- the background path -------------------------------------------------------------------------


def test_with_a_worker_the_job_is_queued_and_handed_over_after_the_commit(
        org, actor_of_role, client_as, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(export_jobs, "_runs_inline", lambda: False)
    with django_capture_on_commit_callbacks() as callbacks:
        job = _start(actor_of_role("hr"))
    assert job.status == ExportStatus.QUEUED and len(callbacks) == 1
    html = english(client_as(org.users["hr"])).get(
        f"/exports/{job.pk}/progress/").content.decode()
    assert "Salaries: waiting to start" in html and 'hx-trigger="every 2s"' in html

    callbacks[0]()  # what the worker runs (inline here: Huey is immediate under test)

    with scope(company=org.company.pk):
        job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert client_as(org.users["hr"]).get(f"/exports/{job.pk}/download/").status_code == 200


def test_a_task_delivered_twice_builds_once(org, actor_of_role):
    job = _start(actor_of_role("hr"))
    assert run_export_job.call_local(job.pk) is None
    assert PROGRESS_SEEN == [(1, 4), (2, 4), (3, 4)]


def test_the_workbook_is_written_in_the_askers_language(org, actor_of_role):
    from django.utils import translation

    with translation.override("en"):
        job = _start(actor_of_role("hr"))
    assert job.language == "en"
    with translation.override("zh-hans"):
        assert _start(actor_of_role("hr")).language == "zh-hans"


# --- failures --------------------------------------------------------------------------------


def test_a_failure_is_recorded_with_its_message_and_shown(org, actor_of_role, client_as):
    job = _start(actor_of_role("finance"), key="test.refused")

    assert job.status == ExportStatus.FAILED and job.finished_at is not None
    assert job.error == "The month is closed again: nothing to export."
    client = english(client_as(org.users["finance"]))
    html = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert "Refused: the export failed." in html
    assert "The month is closed again: nothing to export." in html
    assert "hx-trigger" not in html and "/download/" not in html
    assert client.get(f"/exports/{job.pk}/download/").status_code == 409


def test_an_unexpected_error_is_recorded_without_its_internals(org, actor_of_role):
    with translation.override("en"):  # the job speaks the language of who asked
        job = _start(actor_of_role("finance"), key="test.broken")
    assert job.status == ExportStatus.FAILED
    assert "(KeyError)" in job.error and "tell your administrator" in job.error
    assert "missing" not in job.error


def test_an_export_the_asker_may_not_have_is_refused_before_any_job(org, actor_of_role):
    with pytest.raises(PermissionDenied):
        _start(actor_of_role("staff"))
    with scopes_disabled():
        assert not ExportJob.objects.exists()


def test_an_unknown_export_key_is_refused(org, actor_of_role):
    with pytest.raises(export_jobs.UnknownExport):
        _start(actor_of_role("hr"), key="test.nothing")


# --- who may see a job ---------------------------------------------------------------------------


@pytest.fixture
def pay(org):
    from tandem.pay.testing import make_pay

    return make_pay(org)


def _salary_job(org, client_as, pay):
    """Finance starts the bank transfer list of the approved run with the button (htmx)."""
    response = client_as(org.users["finance"]).post(
        f"/pay/reports/runs/{pay.run.pk}/bank-transfers/", headers={"hx-request": "true"})
    assert response.status_code == 200
    with scope(company=org.company.pk):
        job = ExportJob.objects.get()
    # Huey runs inline under test: the button's answer is the finished state.
    assert f'href="/exports/{job.pk}/download/"' in response.content.decode()
    return job


@pytest.mark.parametrize("role", ["owner", "lead", "staff", "peer"])
def test_a_salary_export_is_a_404_for_those_who_may_not_read_salaries(
        org, pay, client_as, role):
    job = _salary_job(org, client_as, pay)
    client = client_as(org.users[role])
    for url in (f"/exports/{job.pk}/", f"/exports/{job.pk}/progress/",
                f"/exports/{job.pk}/download/"):
        assert client.get(url).status_code == 404, url


def test_hr_may_download_the_salary_export_finance_asked_for(org, pay, client_as):
    job = _salary_job(org, client_as, pay)
    for role in ("finance", "hr"):
        response = client_as(org.users[role]).get(f"/exports/{job.pk}/download/")
        assert response.status_code == 200
        assert "bank-transfers-2026-09.xlsx" in response["Content-Disposition"]


def test_the_asker_who_lost_the_right_can_no_longer_download(org, pay, client_as):
    job = _salary_job(org, client_as, pay)
    membership = org.users["finance"].memberships.get()
    membership.role = "employee"
    membership.save()
    assert client_as(org.users["finance"]).get(
        f"/exports/{job.pk}/download/").status_code == 404


def test_another_companys_job_is_a_404_for_everyone(org, other_org, client_as, actor_of_role):
    job = _start(actor_of_role("hr"))
    for role in ("owner", "hr", "finance"):
        client = client_as(other_org.users[role])
        for url in (f"/exports/{job.pk}/", f"/exports/{job.pk}/progress/",
                    f"/exports/{job.pk}/download/"):
            assert client.get(url).status_code == 404, (role, url)


def test_a_visitor_is_sent_to_sign_in(org, actor_of_role, client):
    job = _start(actor_of_role("hr"))
    response = client.get(f"/exports/{job.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- expiry ----------------------------------------------------------------------------------------


def test_expired_jobs_of_every_company_are_cleaned_up_and_fresh_ones_kept(
        org, other_org, actor_of_role, client_as):
    old = _start(actor_of_role("hr"))
    fresh = _start(actor_of_role("finance"))
    with scope(company=other_org.company.pk):
        theirs = ExportJob.objects.create(company=other_org.company, kind="test.salaries")
    with scopes_disabled():
        ExportJob.objects.filter(pk__in=[old.pk, theirs.pk]).update(
            expires_at=timezone.now() - timedelta(minutes=1))
    # Past its expiry the file is gone for the reader even before the clean-up runs.
    assert client_as(org.users["hr"]).get(f"/exports/{old.pk}/download/").status_code == 404

    assert purge_expired_exports.call_local() == 2

    with scopes_disabled():
        assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_the_clean_up_spares_a_job_until_its_24_hours_are_over(org, actor_of_role):
    job = _start(actor_of_role("hr"))
    assert export_jobs.purge_expired_exports(job.finished_at + EXPORT_LIFETIME
                                             - timedelta(seconds=1)) == 0
    assert export_jobs.purge_expired_exports(job.finished_at + EXPORT_LIFETIME) == 1


# --- the progress callback ---------------------------------------------------------------------


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), max_size=40))
def test_the_progress_callback_writes_only_when_the_percentage_moves(calls):
    writes = []
    progress = export_jobs.progress_writer(lambda done, total: writes.append((done, total)))
    for done, total in calls:
        progress(done, total)

    assert len(writes) <= len(calls)
    # A call that starts or ends a phase always lands.
    assert [c for c in calls if c[0] in (0, c[1])] == [w for w in writes if w[0] in (0, w[1])]
    # Between those, a write only when the percentage moved since the previous write.
    percents = [done * 100 // total if total else 0 for done, total in writes]
    for index in range(1, len(writes)):
        done, total = writes[index]
        assert percents[index] != percents[index - 1] or done in (0, total)
    # A call left unwritten changed nothing a reader would see: its percentage was written.
    for done, total in calls:
        percent = done * 100 // total if total else 0
        assert percent in percents
