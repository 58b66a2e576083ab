"""Benchmark: a review cycle of a 2,000-employee demo company (`seed_demo_company`, which also
seeds the previous quarter's finished review and the current quarter's open one). A new
whole-company cycle over the current quarter is opened, every review rescored, the team list
page, the calibration board and the reviews API read (HR), the what-if of the company bonus
policy run, the cycle published (plans and bonus awards for everyone; the assessments are
marked submitted in bulk first) and its awards approved into pay items. Prints seconds and
SQL queries of each (targets: open and publish under 10 s, rescoring under 5 s, pages and API
under 500 ms, the what-if under 2 s; query counts that do not grow with the people)."""

import os
import sys
import tempfile
import time
from pathlib import Path

EMPLOYEES = 2_000
TARGETS_S = {"open_cycle": 10, "rescore": 5, "team page": 0.5, "calibration board": 0.5,
             "reviews API": 0.5, "what-if": 2, "publish": 10, "approve bonuses": 5}


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
    from django.utils import timezone
    from django_scopes import scope

    from tandem.core.actor import resolve_actor
    from tandem.core.models import Membership, Role
    from tandem.goals import selectors
    from tandem.org.demo import seed_demo_company
    from tandem.pay.models import PayrollRun
    from tandem.reviews import services, services_bonus
    from tandem.reviews.models import BonusPolicy, Review, Stage

    setup_test_environment(debug=False)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo = seed_demo_company(employees=EMPLOYEES, payroll_runs=False)
    seeded = time.perf_counter() - started
    company = demo.company
    hr_user = Membership.objects.filter(company=company, role=Role.HR).select_related(
        "user").first().user
    hr = resolve_actor(hr_user)
    rows = []

    def timed(name, call):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = call()
            elapsed = time.perf_counter() - began
        rows.append((name, elapsed, len(queries)))
        return result

    with scope(company=company.pk):
        quarter = selectors.current_cycle(timezone.localdate())
        cycle = services.save_cycle(actor=hr, company=company, name="Bench review",
                                    goal_cycles=[quarter], calibration=True)
        reviews = timed("open_cycle", lambda: services.open_cycle(actor=hr, cycle=cycle))
        timed("rescore", lambda: services.rescore(cycle, list(Review.objects.filter(
            cycle=cycle))))
        Review.objects.filter(cycle=cycle).update(stage=Stage.ASSESSED)
        cycle.refresh_from_db()
        cycle = services.start_calibration(actor=hr, cycle=cycle)
        policy = BonusPolicy.objects.filter(department__isnull=True,
                                            position__isnull=True).first()
        timed("what-if", lambda: services_bonus.simulate(actor=hr, policy=policy, cycle=cycle))

    client = Client()
    client.force_login(hr_user)
    for name, url in [("team page", f"/reviews/team/?cycle={cycle.pk}"),
                      ("calibration board", f"/reviews/cycles/{cycle.pk}/calibration/"),
                      ("reviews API", f"/api/v1/reviews/?cycle={cycle.pk}")]:
        client.get(url)  # warm
        response = timed(name, lambda url=url: client.get(url))
        assert response.status_code == 200, (url, response.status_code)

    with scope(company=company.pk):
        cycle = timed("publish", lambda: services.publish(actor=hr, cycle=cycle))
        locked = set(PayrollRun.objects.exclude(status="draft").values_list("month", flat=True))
        month = timezone.localdate().replace(day=1)
        while month in locked:
            month = (month.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
        items = timed("approve bonuses", lambda: services_bonus.approve_awards(
            actor=hr, cycle=cycle, month=month))

    print(f"review_cycle on SQLite {connection.Database.sqlite_version}: {len(reviews):,} "
          f"reviews in {cycle.name} over {quarter.name}; demo seeded in {seeded:.0f} s; "
          f"{len(items):,} bonus pay items")
    print(f"{'step':<20}{'seconds':>10}{'queries':>10}{'target s':>10}")
    for name, elapsed, queries in rows:
        print(f"{name:<20}{elapsed:>10.2f}{queries:>10}{TARGETS_S[name]:>10}")
    data_dir.cleanup()


if __name__ == "__main__":
    main()
