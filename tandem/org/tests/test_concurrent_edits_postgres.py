"""The proof with two real database connections: two threads load the same employee, both
edit different fields from the same version, and exactly one edit lands."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django_scopes import scope

from tandem.core.versioning import EditConflict
from tandem.org import services
from tandem.org.models import Employee, JobHistory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers on one file"),
]


def run_in_threads(*jobs, timeout=20):
    """Runs each job in its own thread (so on its own connection), returns what each returned
    or raised."""
    results = [None] * len(jobs)

    def run(index, job):
        try:
            results[index] = job()
        except Exception as error:  # noqa: BLE001 (reported to the test)
            results[index] = error
        finally:
            from django.db import connection as thread_connection
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a writer is stuck"
    return results


def editor(org, barrier, **changes):
    """Loads staff, waits until the other editor has loaded too, then saves its change."""

    def job():
        with scope(company=org.company.pk):
            employee = Employee.objects.get(pk=org.employees["staff"].pk)
            assert employee.version == 1
            barrier.wait()
            services.update_employee(employee=employee, by=org.users["hr"], **changes)
            return "saved"

    return job


def test_two_connections_editing_one_employee_one_wins_one_gets_the_conflict(org):
    barrier = threading.Barrier(2)
    phone = editor(org, barrier, phone="13800000000")
    transfer = editor(org, barrier, department=org.sales, manager=None,
                      effective_date=date(2026, 5, 1))

    results = run_in_threads(phone, transfer)

    assert sorted(type(r).__name__ for r in results) == ["EditConflict", "str"]
    with scope(company=org.company.pk):
        saved = Employee.objects.get(pk=org.employees["staff"].pk)
        history = JobHistory.objects.filter(employee=saved).count()
    assert saved.version == 2
    if results[0] == "saved":  # the phone edit won; the transfer left no trace
        assert (saved.phone, saved.department_id, history) == ("13800000000", org.platform.pk, 0)
    else:
        assert (saved.phone, saved.department_id, history) == ("", org.sales.pk, 1)


def test_the_second_writer_waits_for_the_first_then_sees_the_conflict(org):
    """The first edit holds its transaction open after claiming the row; the second one blocks
    on the row, and when the first commits it finds the version moved on."""
    loaded = threading.Barrier(2)
    first_claimed, second_started = threading.Event(), threading.Event()

    def first():
        with scope(company=org.company.pk), transaction.atomic():
            employee = Employee.objects.get(pk=org.employees["staff"].pk)
            loaded.wait()
            services.update_employee(employee=employee, phone="13800000000")
            first_claimed.set()
            second_started.wait(5)
            # Give the second writer time to reach the row lock before committing.
            threading.Event().wait(0.5)
        return "saved"

    def second():
        with scope(company=org.company.pk):
            employee = Employee.objects.get(pk=org.employees["staff"].pk)
            loaded.wait()
            first_claimed.wait(5)
            second_started.set()
            try:
                services.update_employee(employee=employee, english_name="Lin")
            except EditConflict as conflict:
                return ("conflict", conflict.expected, conflict.current)
            return "saved"

    results = run_in_threads(first, second)

    assert results == ["saved", ("conflict", 1, 2)]
    with scope(company=org.company.pk):
        saved = Employee.objects.get(pk=org.employees["staff"].pk)
    assert (saved.phone, saved.english_name, saved.version) == ("13800000000", "", 2)
