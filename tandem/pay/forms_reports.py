"""The choices of the salary report pages (read from the query string): which run, among
the approved and paid ones (blank: the latest), and the cost report flat or rolled up to
each department with its sub-departments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .reports import report_runs


def run_label(run) -> str:
    return f"{run.month:%Y-%m} · {run.get_status_display()}"


class ReportForm(forms.Form):
    run = forms.TypedChoiceField(label=_("Payroll run"), coerce=int, required=False,
                                 empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once (one query): the select's choices, the validation and the default.
        self.runs = list(report_runs())
        self.fields["run"].choices = [("", _("Latest"))] + [
            (run.pk, run_label(run)) for run in self.runs]

    def chosen_run(self):
        """The chosen run, else the latest one (None without any approved or paid run)."""
        chosen = self.cleaned_data.get("run") if self.is_valid() else None
        for run in self.runs:
            if run.pk == chosen:
                return run
        return self.runs[0] if self.runs else None


class CostReportForm(ReportForm):
    view = forms.ChoiceField(
        label=_("Departments"), required=False,
        choices=[("flat", _("Each person in their own department")),
                 ("rollup", _("Each department with its sub-departments"))])

    @property
    def rollup(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("view") == "rollup"
