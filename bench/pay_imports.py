"""Benchmark: the salary-data Excel imports (`tandem.pay.imports`, on `core.imports`) with
2,000 rows each, the size the task asks to work in one request in a few seconds. Seeds a
2,000-employee demo company (`seed_demo_company`, without its payroll history) into a
throw-away SQLite database, builds each workbook in memory and times the whole import: opening
the upload, reading, one serializer validation and one service call per row, all in one
transaction. Prints, per import: rows, created/updated, seconds, ms per row and SQL queries,
and the process's CPU time (SQLite runs in-process, so on a busy machine it is the fairer
figure), against the target of a few seconds (TARGET_SECONDS) for 2,000 rows."""

import io
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROWS = 2_000
TARGET_SECONDS = 5


def setup() -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()


def workbook(rows) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.size = len(out.getvalue())
    return out


def files(numbers, month, next_month):
    """name → (import function name, rows) for 2,000 employees."""
    attendance = [["Employee number", "Month", "Paid days", "Absence days",
                   "Overtime hours on workdays"]]
    attendance += [[n, f"{next_month:%Y-%m}", 21.75, i % 3, (i % 5) * 1.5]
                   for i, n in enumerate(numbers)]
    items = [["Employee number", "Month", "Kind", "Name", "Amount", "Taxable"]]
    items += [[n, f"{next_month:%Y-%m}", "Bonus" if i % 2 else "allowance", "绩效奖",
               1000 + i, "yes"] for i, n in enumerate(numbers)]
    profiles = [["Employee number", "Effective from", "Base monthly wage",
                 "Social insurance city", "Social insurance base", "Housing fund rate",
                 "Bank", "Bank account"]]
    profiles += [[n, f"{next_month:%Y-%m}-01", 12000 + i, "上海", 12000 + i, "7%", "招商银行",
                  f"62258801{i:08d}"] for i, n in enumerate(numbers)]
    openings = [["Employee number", "Tax year", "Through month", "Income to date",
                 "Special deductions to date", "Tax withheld to date"]]
    openings += [[n, next_month.year + 1, 6, 60000 + i, 9000, 900]
                 for i, n in enumerate(numbers)]
    return [
        ("import_attendance", "attendance (new month)", attendance),
        ("import_attendance", "attendance (same file again: updates)", attendance),
        ("import_pay_items", "pay items", items),
        ("import_salary_profiles", "salary profiles (new terms)", profiles),
        ("import_openings", "year-to-date openings", openings),
    ]


def _counter(queries: list):
    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    return count


def main() -> None:
    data_dir = tempfile.TemporaryDirectory(prefix="tandem-bench-")
    os.environ["TANDEM_DATA_DIR"] = data_dir.name
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scope

    from tandem.core.models import Membership
    from tandem.org.demo import seed_demo_company
    from tandem.org.models import Employee
    from tandem.pay import imports

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    # Some demo employees have left: seed more so that ROWS are on the books.
    company = seed_demo_company(employees=ROWS * 11 // 10, payroll_runs=False).company
    print(f"seeded {ROWS * 11 // 10:,} employees in {time.perf_counter() - started:.1f} s")
    hr = Membership.objects.filter(company=company, role="hr").select_related("user").first()
    by = hr.user if hr else None
    today = timezone.localdate()
    month = today.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    with scope(company=company.pk):
        numbers = list(Employee.objects.filter(leave_date__isnull=True)
                       .order_by("employee_number")
                       .values_list("employee_number", flat=True)[:ROWS])
    print(f"{'import':<40} {'rows':>6} {'created':>8} {'updated':>8} {'s':>6} "
          f"{'cpu s':>6} {'ms/row':>7} {'queries':>8}  errors")
    for function, label, rows in files(numbers, month, next_month):
        upload = workbook(rows)
        queries = []
        with scope(company=company.pk), connection.execute_wrapper(_counter(queries)):
            began, cpu = time.perf_counter(), time.process_time()
            result = getattr(imports, function)(upload, company=company, by=by)
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        first = f"{result.errors[0].row}: {result.errors[0].message}" if result.errors else ""
        print(f"{label:<40} {result.rows:>6} {result.created:>8} {result.updated:>8} "
              f"{seconds:>6.2f} {cpu:>6.2f} {seconds * 1000 / max(result.rows, 1):>7.2f} "
              f"{len(queries):>8}  {len(result.errors)} {first}")
    print(f"target: {ROWS:,} rows in under {TARGET_SECONDS} s per import (cpu s: the "
          f"process's CPU time, SQLite included; wall time grows with the machine's load, "
          f"{os.getloadavg()[0]:.1f} now)")


if __name__ == "__main__":
    main()
