"""Access table of the export job pages under /exports/ (see `core.access_table`). A job is
seen by whoever passes its export's permission check (`core.export_jobs`); everyone else gets
404, not told that it exists. The objects come from `make_export_jobs` (as `org.exports`): a
finished bank transfer list asked for by finance (salary data: HR and finance only) and a
finished synergy report asked for by the R&D leader over the departments they lead (HR, the
owner and that leader)."""

from django_scopes import scope

FIXTURE = {"exports": "tandem.web.access_exports.make_export_jobs"}

OBJECTS = {"core.ExportJob": {"salary": "exports.salary", "synergy": "exports.synergy"}}

JOB = "core.ExportJob"
READERS = {"salary": frozenset({"hr", "finance"}),
           "synergy": frozenset({"owner", "hr", "lead"})}

ACCESS: dict = {
    "/exports/<pk>/": {"model": JOB, "GET": READERS, "denied_as": 404},
    "/exports/<pk>/progress/": {"model": JOB, "GET": READERS, "denied_as": 404},
    "/exports/<pk>/download/": {"model": JOB, "GET": READERS, "denied_as": 404},
}


def make_export_jobs(org) -> dict:
    """Two finished export jobs of `org`'s company (needs `org.pay`, built before)."""
    from tandem.core.exports import Column, Sheet, workbook_bytes
    from tandem.core.models_exports import ExportJob, ExportStatus

    content = workbook_bytes([Sheet("S", [Column("A")], [("x",)])])
    with scope(company=org.company.pk):
        salary = ExportJob.objects.create(
            company=org.company, requested_by=org.users["finance"], kind="pay.bank-transfers",
            params={"run": org.pay.run.pk}, status=ExportStatus.DONE, content=content,
            filename="bank-transfers.xlsx")
        synergy = ExportJob.objects.create(
            company=org.company, requested_by=org.users["lead"], kind="insights.synergy",
            params={"cycle": None, "department": None,
                    "subtree": sorted([org.rnd.pk, org.platform.pk])},
            status=ExportStatus.DONE, content=content, filename="okr-kpi-synergy.xlsx")
    return {"salary": salary, "synergy": synergy}
