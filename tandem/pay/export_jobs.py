"""The finance exports of an approved or paid run as background jobs (`core.export_jobs`):
the bank transfer list, the accounting summary and the income tax withholding detail. The
sheets come from `pay.exports`; a run that is no longer approved or paid when the job runs
fails with the same reason the page gives."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tandem.core.export_jobs import register_export

from . import exports
from .models import PayrollRun

LABELS = {
    "bank-transfers": gettext_lazy("Bank transfer list"),
    "accounting-summary": gettext_lazy("Accounting summary"),
    "iit-withholding": gettext_lazy("Income tax withholding detail"),
}


def key_of(name: str) -> str:
    """The registry key of the export named `name` in the URL ("bank-transfers")."""
    return f"pay.{name}"


def may_export_run(actor, params: dict) -> bool:
    """Salary data: whoever may read the run (HR and finance), as on the run's pages."""
    run = PayrollRun.objects.filter(pk=params.get("run")).first()
    return run is not None and actor.user.has_perm("pay.view_payrollrun", run)


def _builder(name: str):
    build, filename, fallback = exports.EXPORTS[name]

    def build_run_export(company, params: dict, progress):
        progress(0, 1)
        run = PayrollRun.objects.get(pk=params["run"])
        sheets = build(run)
        progress(1, 1)
        return sheets, filename(run), f"{fallback}-{run.month:%Y-%m}.xlsx"

    return build_run_export


for _name in exports.EXPORTS:
    register_export(key_of(_name), _builder(_name), may_export_run, label=LABELS[_name])
