"""Access table of the salary reports and finance exports (see `core.access_table`): HR and
finance only, like the run pages (salary data; the bank list has full account numbers). Not
the owner as such, not a manager, not an employee. The fixture run (2026-09) is approved, so
the exports start a job for them (`core.export_jobs`): a POST answers with its progress bar,
a GET redirects to the file."""

READERS = frozenset({"hr", "finance"})
RUN = "pay.PayrollRun"

ACCESS: dict = {
    "/pay/reports/": {"GET": READERS},
    "/pay/reports/trend/": {"GET": READERS},
    "/pay/reports/bonuses/": {"GET": READERS},
    "/pay/reports/runs/<pk>/bank-transfers/": {"model": RUN, "GET": READERS, "POST": READERS},
    "/pay/reports/runs/<pk>/accounting-summary/": {"model": RUN, "GET": READERS, "POST": READERS},
    "/pay/reports/runs/<pk>/iit-withholding/": {"model": RUN, "GET": READERS, "POST": READERS},
}
