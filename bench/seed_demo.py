"""Benchmark: seed demo companies of 1,000 and 5,000 employees into a throw-away SQLite database
and print the wall time, rows written per second and the number of queries of each run."""

import os
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1_000, 5_000)


def main() -> None:
    data_dir = tempfile.TemporaryDirectory(prefix="tandem-bench-")
    # Before Django reads its settings: a fresh data dir, and never the configured database.
    os.environ["TANDEM_DATA_DIR"] = data_dir.name
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scope

    from tandem.org.demo import seed_demo_company
    from tandem.org.models import Department, Employee, JobHistory, Position

    call_command("migrate", verbosity=0)
    tables = (Employee, Employee.history.model, JobHistory, Department, Department.history.model,
              Position, Position.history.model)

    print(f"seed_demo on SQLite {connection.Database.sqlite_version}, data dir {data_dir.name}")
    print(f"{'employees':>9}  {'seconds':>7}  {'rows':>6}  {'rows/s':>7}  {'queries':>7}")
    for size in SIZES:
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            demo = seed_demo_company(employees=size)
        elapsed = time.perf_counter() - started
        with scope(company=demo.company.pk):
            rows = sum(model.objects.filter(company=demo.company).count() for model in tables)
        print(f"{size:>9,}  {elapsed:>7.2f}  {rows:>6,}  {rows / elapsed:>7,.0f}  {queries:>7}")
    data_dir.cleanup()


if __name__ == "__main__":
    main()
