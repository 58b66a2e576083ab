"""Shared by the backup tests."""

from django.core.management import call_command
from django.db import connection


def empty_database():
    """Delete every row, as `migrate` on a new database would leave it. PostgreSQL refuses to
    truncate tables with foreign key checks still pending in the test's transaction: run them
    first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    # migrate installs Pay's shared reference data (migration pay.0002); flush removed it.
    from django.apps import apps

    from tandem.pay.seeds import seed_reference_data

    seed_reference_data(apps)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
