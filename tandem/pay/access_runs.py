"""Access table of the payroll run pages: HR and finance read (salary data, DESIGN.md); HR
creates, calculates and deletes, finance approves, either marks paid (`pay.rules_payroll`).
Nobody else: not the owner as such, not a manager. The fixture run (`org.pay.run`, 2026-09) is
approved, so the writes on it answer 409 (refused by the data) for the roles allowed."""

READERS = frozenset({"hr", "finance"})
HR = frozenset({"hr"})
RUN = "pay.PayrollRun"

ACCESS: dict = {
    "/pay/runs/": {"GET": READERS, "POST": HR},
    "/pay/runs/<pk>/": {"model": RUN, "GET": READERS},
    "/pay/runs/<pk>/progress/": {"model": RUN, "GET": READERS},
    "/pay/runs/<pk>/calculate/": {"model": RUN, "POST": HR},
    "/pay/runs/<pk>/approve/": {"model": RUN, "POST": frozenset({"finance"})},
    "/pay/runs/<pk>/mark-paid/": {"model": RUN, "POST": READERS},
    "/pay/runs/<pk>/delete/": {"model": RUN, "GET": HR, "POST": HR},
}
