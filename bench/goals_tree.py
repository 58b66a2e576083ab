"""Benchmark: the alignment tree of a 5,000-employee company (3 objectives × 3 key results for
every employee on top of the demo OKRs), as the API (GET /api/v1/objectives/tree/?cycle=), as
the page (/goals/tree/: company and department levels) with its htmx fragments (the first
page of individual objectives under the objective that has the most, the second page of the
objectives aligned to nothing), and one check-in with its full roll-up to the company
objective.
Prints the median server time of N runs and the number of SQL queries of each; with
BENCH_PROFILE=1 in the environment, also the top of a cProfile of one run of each."""

import gc
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

EMPLOYEES = 5_000
RUNS = 7
TARGETS_MS = {"tree API": 300, "tree page": 300, "tree node fragment": 100,
              "tree orphans fragment": 100, "check-in + roll-up": 50}


def main() -> None:
    data_dir = tempfile.TemporaryDirectory(prefix="tandem-bench-")
    os.environ["TANDEM_DATA_DIR"] = data_dir.name
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "0"
    os.environ["TANDEM_INSECURE_HTTP"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django_scopes import scope

    from tandem.core.actor import resolve_actor
    from tandem.goals import selectors, services
    from tandem.goals.models import KeyResult, Level, Objective, ObjectiveStatus
    from tandem.org.demo import seed_demo_company
    from tandem.org.models import Employee

    setup_test_environment(debug=False)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo = seed_demo_company(employees=EMPLOYEES, payroll_runs=False)
    company = demo.company
    owner = next(s for s in demo.sign_ins if s.role == "owner")
    with scope(company=company.pk):
        from django.utils import timezone

        cycle = selectors.current_cycle(timezone.localdate())
        company_objective = (Objective.objects.filter(cycle=cycle, level=Level.COMPANY)
                             .order_by("pk").first())
        by_department = {}
        for objective in Objective.objects.filter(cycle=cycle, level=Level.DEPARTMENT,
                                                  parent__isnull=False).order_by("pk"):
            by_department.setdefault(objective.owner_department_id, objective)
        people = list(Employee.objects.order_by("pk").only("pk", "department_id"))
        objectives = [
            Objective(company=company, cycle=cycle, level=Level.INDIVIDUAL, owner_employee=person,
                      title=f"Objective {n + 1} of person {person.pk}",
                      status=ObjectiveStatus.APPROVED,
                      parent=by_department.get(person.department_id, company_objective))
            for person in people for n in range(3)]
        Objective.objects.bulk_create(objectives, batch_size=2000)
        KeyResult.objects.bulk_create([
            KeyResult(company=company, objective=objective, title=f"Key result {n + 1}",
                      owner_id=objective.owner_employee_id, target_value=Decimal(100))
            for objective in objectives for n in range(3)], batch_size=2000)
        # The chain a check-in rolls up through: a person's objective drives a key result of
        # their department's objective, and so on up to a company objective.
        person_objective = next(o for o in objectives if o.parent_id != company_objective.pk)
        child = person_objective
        while child.level != Level.COMPANY:
            parent = Objective.objects.get(pk=child.parent_id)
            services.create_key_result(objective=parent, title="From the objective below",
                                       driven_by_objective=child)
            child = parent
        company_objective = child
        kr = KeyResult.objects.select_related("objective").filter(
            objective=person_objective).order_by("pk").first()
        from django.db.models import Count

        busiest = (Objective.objects.filter(cycle=cycle, level=Level.INDIVIDUAL)
                   .values("parent_id").annotate(n=Count("pk")).order_by("-n").first())
        counts = (Objective.objects.filter(cycle=cycle).count(),
                  KeyResult.objects.filter(objective__cycle=cycle).count())
    print(f"goals_tree on SQLite {connection.Database.sqlite_version}: {EMPLOYEES:,} employees, "
          f"{counts[0]:,} objectives and {counts[1]:,} key results in {cycle.name}, "
          f"seeded in {time.perf_counter() - started:.0f} s; median of {RUNS} runs")

    # A web process does not hold the 60,000 model instances the seeding made: let them go, or
    # every full garbage collection during the timed requests walks them (it doubled the API's
    # time in a run where they were kept).
    del objectives, people, by_department, person_objective, child
    gc.collect()

    client = Client()
    client.force_login(_user(owner.username))

    # Full garbage collections walk every object of the process: count them, they were most of
    # the tree API's time when it built an object per objective.
    full_collections = []
    gc.callbacks.append(lambda phase, info: full_collections.append(1)
                        if phase == "start" and info["generation"] == 2 else None)

    def timed(label, call):
        times, queries = [], 0
        full_collections.clear()
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                call()
                times.append((time.perf_counter() - began) * 1000)
            queries = len(captured.captured_queries)
        median = statistics.median(times)
        collections = len(full_collections)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(call)
            pstats.Stats(profile).sort_stats("tottime").print_stats(12)
        verdict = "ok" if median < TARGETS_MS[label] else "MISSED"
        print(f"{label:<20} {median:>8.1f} ms  {queries:>4} queries  "
              f"(target < {TARGETS_MS[label]} ms: {verdict}; full GCs in {RUNS} runs: "
              f"{collections})")

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return call

    print(f"{'':<20} {'median':>11}  {'SQL':>12}")
    timed("tree API", get(f"/api/v1/objectives/tree/?cycle={cycle.pk}"))
    timed("tree page", get(f"/goals/tree/?cycle={cycle.pk}"))
    print(f"  (the node fragment: {busiest['n']:,} individual objectives under objective "
          f"{busiest['parent_id']}, the first page)")
    timed("tree node fragment", get(f"/goals/tree/objectives/{busiest['parent_id']}/individuals/"))
    timed("tree orphans fragment", get(f"/goals/tree/orphans/?cycle={cycle.pk}&page=2"))

    # Where the time goes: the parts of the two requests on their own.
    from rest_framework.renderers import JSONRenderer

    from tandem.goals import alignment
    from tandem.goals.api.alignment import tree_body

    def part(label, call):
        times = []
        for _ in range(RUNS):
            with scope(company=company.pk):
                began = time.perf_counter()
                call()
                times.append((time.perf_counter() - began) * 1000)
        print(f"  {label:<34} {statistics.median(times):>8.1f} ms")

    with scope(company=company.pk):
        body = tree_body(cycle)
    part("selectors.alignment_tree_rows (API)", lambda: selectors.alignment_tree_rows(cycle))
    part("api.alignment.tree_body (API)", lambda: tree_body(cycle))
    part("JSONRenderer().render (API)", lambda: JSONRenderer().render(body))
    part("selectors.alignment_tree (charts)", lambda: selectors.alignment_tree(cycle))
    part("alignment.coverage", lambda: alignment.coverage(cycle))
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        with scope(company=company.pk):
            profile.runcall(alignment.coverage, cycle)
        pstats.Stats(profile).sort_stats("tottime").print_stats(8)

    user = _user(owner.username)
    actor = resolve_actor(user)
    values = iter(range(1, 1000))

    def check_in():
        with scope(company=company.pk):
            services.check_in(key_result=kr, value=Decimal(next(values)), confidence=7,
                              by=user, actor=actor)

    timed("check-in + roll-up", check_in)
    with scope(company=company.pk):
        top = Objective.objects.get(pk=company_objective.pk)
    print(f"company objective progress after the check-ins: {top.progress}")
    data_dir.cleanup()


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


if __name__ == "__main__":
    main()
