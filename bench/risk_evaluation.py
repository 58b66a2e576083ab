"""Benchmark: the daily risk evaluation (`kpis.risk.evaluate`) of a 5,000-employee demo company
whose people each hold 4 KPI assignments in the current quarter (the demo's position KPIs,
topped up with bench indicators) and one key result linked to their first KPI, on top of the
demo OKRs. Prints, for the first run (every verdict new: the alerts, digests and their
notifications go out) and the second run (nothing changed: no alert, no write), the seconds,
the SQL queries, the items judged and what was sent; and the reading part alone (`collect`).
Target: under 10 s. With BENCH_RISK_DIR set, the seeded database is kept in that directory and
reused by the next run (the verdicts and alerts are cleared first), which saves the seeding."""

import os
import sys
import tempfile
import time
from pathlib import Path

EMPLOYEES = 5_000
KPIS_EACH = 4
TARGET_S = 10


def main() -> None:
    kept = os.environ.get("BENCH_RISK_DIR")
    data_dir = None if kept else tempfile.TemporaryDirectory(prefix="tandem-bench-")
    os.environ["TANDEM_DATA_DIR"] = kept or data_dir.name
    seeded = bool(kept) and (Path(kept) / "risk-bench-company").exists()
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "0"
    os.environ["TANDEM_INSECURE_HTTP"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from tandem.core.notifications.models import Notification
    from tandem.kpis.models import RiskState
    from tandem.kpis.risk import collect, evaluate, settings_by_company

    call_command("migrate", verbosity=0)
    if seeded:
        company_pk = int((Path(kept) / "risk-bench-company").read_text())
        with scopes_disabled():
            RiskState.objects.filter(company_id=company_pk).delete()
            Notification.objects.filter(company_id=company_pk, kind__startswith="kpis.").delete()
    else:
        company_pk = seed(EMPLOYEES)
        if kept:
            (Path(kept) / "risk-bench-company").write_text(str(company_pk))
    today = timezone.localdate()

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        with scopes_disabled():
            items = collect(today, settings_by_company([company_pk]), [company_pk])
        print(f"reading and judging alone (collect): {time.perf_counter() - started:.2f} s, "
              f"{queries[0]} queries, {len(items)} items")
        print(f"{'run':<19} {'total s':>7} {'judge s':>7} {'alert s':>7} {'write s':>7} "
              f"{'commit s':>8} {'queries':>7} {'at risk':>7} {'alerts':>6} {'digests':>7} "
              f"{'written':>7}")
        for name in ("first (all new)", "second (no change)"):
            queries[0] = 0
            started = time.perf_counter()
            summary = evaluate(today, company_ids=[company_pk])
            total = time.perf_counter() - started
            parts = summary.seconds
            commit = total - sum(parts.values())
            print(f"{name:<19} {total:7.2f} {parts['judging']:7.2f} {parts['alerting']:7.2f} "
                  f"{parts['writing']:7.2f} {commit:8.2f} {queries[0]:7d} {summary.at_risk:7d} "
                  f"{summary.alerts:6d} {summary.digests:7d} {summary.written:7d}")
    print(f"target: judging and writing under {TARGET_S} s; 'alert s' is the notifications' "
          "rows (all alerts in one notify_many), 'commit s' includes queueing their emails and "
          "robot messages (core.notifications, after the commit)")
    if data_dir is not None:
        data_dir.cleanup()


def seed(employees: int) -> int:
    """The demo company with 4 KPIs and one linked key result per person; returns its id."""
    import random
    from decimal import Decimal

    from django.utils import timezone
    from django_scopes import scope

    from tandem.goals import selectors
    from tandem.goals.models import KeyResult, Level, Objective, ObjectiveStatus
    from tandem.kpis.models import Assignment, Indicator, KeyResultLink
    from tandem.org.demo import seed_demo_company
    from tandem.org.models import Employee

    started = time.perf_counter()
    demo = seed_demo_company(employees=employees, payroll_runs=False)
    company = demo.company
    today = timezone.localdate()
    rng = random.Random(5)
    with scope(company=company.pk):
        cycle = selectors.current_cycle(today)
        extra = [Indicator.objects.create(company=company, code=f"BENCH{n}",
                                          name=f"基准指标{n}", name_en=f"Bench {n}")
                 for n in range(KPIS_EACH)]
        people = list(Employee.objects.order_by("pk").only("pk", "department_id"))
        held: dict[int, int] = {}
        for employee_id in Assignment.objects.filter(
                cycle=cycle, employee__isnull=False).values_list("employee_id", flat=True):
            held[employee_id] = held.get(employee_id, 0) + 1
        elapsed = (cycle.end - cycle.start).days or 1
        share = Decimal((today - cycle.start).days) / Decimal(elapsed)
        new = []
        for person in people:
            for indicator in extra[:max(0, KPIS_EACH - held.get(person.pk, 0))]:
                pace = Decimal(rng.choice(["0.4", "0.7", "0.9", "1.0", "1.2"]))
                target = Decimal(100)
                measured = rng.random() < 0.8
                new.append(Assignment(
                    company=company, cycle=cycle, indicator=indicator, employee_id=person.pk,
                    target=target, weight=Decimal("0.1"),
                    actual=(target * share * pace).quantize(Decimal("0.01")) if measured
                    else None,
                    last_measured_on=today - timezone.timedelta(days=rng.randint(0, 20))
                    if measured else None))
        Assignment.objects.bulk_create(new, batch_size=2000)
        objectives = [Objective(company=company, cycle=cycle, level=Level.INDIVIDUAL,
                                owner_employee_id=person.pk, title=f"Deliver {person.pk}",
                                status=ObjectiveStatus.APPROVED) for person in people]
        Objective.objects.bulk_create(objectives, batch_size=2000)
        krs = [KeyResult(company=company, objective=objective, title=f"KR of {objective.title}",
                         owner_id=objective.owner_employee_id, target_value=Decimal(100),
                         progress=(share * Decimal(rng.choice(["0.3", "0.8", "1.0", "1.1"])))
                         .quantize(Decimal("0.0001")))
                   for objective in objectives]
        KeyResult.objects.bulk_create(krs, batch_size=2000)
        first_kpi = {}
        for pk, employee_id in (Assignment.objects.filter(cycle=cycle, employee__isnull=False)
                                .order_by("pk").values_list("pk", "employee_id")):
            first_kpi.setdefault(employee_id, pk)
        KeyResultLink.objects.bulk_create([
            KeyResultLink(company=company, key_result=kr, assignment_id=first_kpi[kr.owner_id])
            for kr in krs if kr.owner_id in first_kpi], batch_size=2000)
        assignments = Assignment.objects.filter(cycle=cycle, employee__isnull=False).count()
    print(f"seeded {employees} employees, {assignments} employee KPI assignments, "
          f"{len(krs)} linked key results in {time.perf_counter() - started:.0f} s")

    return company.pk


if __name__ == "__main__":
    main()
