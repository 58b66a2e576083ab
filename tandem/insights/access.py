"""Access table of the reports (see `core.access_table`).

The OKR–KPI synergy report shows every person's KPI attainment and whether their key results
carry their KPIs. It follows who may read a person's KPI assignment (`kpis.rules`):

- HR and administrators (owner): the whole company;
- department leaders (lead): the departments they lead and those below them, never the rest
  (a department outside their subtree is refused, 403);
- finance: no. Finance reads payroll, not people's KPI assignments (kpis.rules gives finance
  no access to a person's assignment); the bonus figures reach finance through the review and
  payroll, not through this report;
- employees: no. They read their own KPIs and OKRs on their own pages; the report is about
  teams.

The explanation panel (htmx) and the Excel export follow the page. The export starts a
background job (`core.export_jobs`): the button's htmx POST answers with its progress bar, a
GET redirects to the file (Huey runs inline under test, so the job is finished at once)."""

from tandem.core.access_table import PEOPLE_ADMINS

READERS = PEOPLE_ADMINS | {"lead"}

ACCESS: dict = {
    # Pages answer GET only (a POST is a 405).
    "/insights/synergy/": {"GET": READERS},
    "/insights/synergy/explain/": {"GET": READERS},
    "/insights/synergy/export/": {"GET": READERS, "POST": READERS},
    "/api/v1/reports/synergy/": {"GET": READERS},
}
