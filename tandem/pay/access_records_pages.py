"""Access table of the salary-data pages: profiles, declarations, attendance inputs, pay items
and year-to-date openings, with their Excel imports (see `core.access_table`).

Salary data is for HR, finance and the employee themself only (`pay.rules_records`): the
profile and declaration lists are everyone's (each sees only their own unless HR or finance),
a profile page its employee's, HR's and finance's; the month's inputs (attendance grid, pay
items, year-to-date figures) list everyone's figures, so HR and finance only. HR writes and
imports. Edits of a pay item of the fixture (November 2026, no run yet) are allowed."""

from tandem.core.access_table import EVERYONE

HR = frozenset({"hr"})
READERS = frozenset({"hr", "finance"})
READ_OWN = {"staff": frozenset({"hr", "finance", "staff"}),
            "peer": frozenset({"hr", "finance", "peer"})}
PROFILE = "pay.SalaryProfile"
DECLARATION = "pay.DeductionDeclaration"
ITEM = "pay.PayItem"


def _import(path: str) -> dict:
    return {f"/pay/{path}/import/": {"GET": HR, "POST": HR},
            f"/pay/{path}/import/template/": {"GET": HR}}


ACCESS: dict = {
    "/pay/salary-profiles/": {"GET": EVERYONE},
    "/pay/salary-profiles/new/": {"GET": HR, "POST": HR},
    "/pay/salary-profiles/<pk>/": {"model": PROFILE, "GET": READ_OWN},
    "/pay/salary-profiles/<pk>/edit/": {"model": PROFILE, "GET": HR, "POST": HR},
    "/pay/deductions/": {"GET": EVERYONE},
    "/pay/deductions/new/": {"GET": HR, "POST": HR},
    "/pay/deductions/<pk>/edit/": {"model": DECLARATION, "GET": HR, "POST": HR},
    "/pay/attendance/": {"GET": READERS, "POST": HR},
    "/pay/pay-items/": {"GET": READERS},
    "/pay/pay-items/new/": {"GET": HR, "POST": HR},
    "/pay/pay-items/<pk>/edit/": {"model": ITEM, "GET": HR, "POST": HR},
    "/pay/pay-items/<pk>/delete/": {"model": ITEM, "GET": HR, "POST": HR},
    "/pay/openings/": {"GET": READERS},
    **_import("salary-profiles"),
    **_import("deductions"),
    **_import("attendance"),
    **_import("pay-items"),
    **_import("openings"),
}
