"""The Excel import of KPI figures (HR and department leaders), on `core.imports`.

One row per figure: the employee number of a person *or* the name of a department, the
indicator's code, the date, the value and an optional note. For the chosen cycle each row is
matched with the assignment of that indicator to that person (their own or inherited from
their position) or department; it is then checked exactly like a figure sent to the API
(`kpis.api.serializers.KpiMeasurementInputSerializer`, then `services.record_measurements`:
date inside the cycle, cycle open, value a number) and the caller must be allowed to record
figures on that assignment (`kpis.add_measurement`). All or nothing: one bad row and nothing
is written; every error names its row as Excel shows it.

    result = import_measurements(company=request.company, cycle=cycle,
                                 uploaded_file=request.FILES["file"],
                                 actor=request.actor, by=request.user)
    if result.ok: result.created                # figures recorded (source "import")
    else: result.errors                         # [RowError(row=5, column="Value", message=...)]

`template_response()` is the downloadable workbook with the same columns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError as DRFValidationError

from tandem.core.imports import (
    DATE,
    DECIMAL,
    Column,
    ImportResult,
    ImportRow,
    Lookup,
    RowError,
    run_import,
)
from tandem.core.imports import template_response as _template_response
from tandem.org.models import Department, Employee

from . import services
from .models import Assignment, Indicator, MeasurementSource


def _employees():
    return Employee.objects.all()


def _departments():
    return Department.objects.all()


def _indicators():
    return Indicator.objects.all()


def measurement_columns() -> list[Column]:
    return [
        Column("employee", gettext_lazy("Employee number"), required=False,
               lookup=Lookup(_employees, "employee_number"), example="E00001",
               help=gettext_lazy("The person whose KPI this figure is for; leave empty for a "
                                 "department's KPI.")),
        Column("department", gettext_lazy("Department"), required=False,
               lookup=Lookup(_departments, "name"),
               help=gettext_lazy("The department whose KPI this figure is for (its name); "
                                 "leave empty for a person's KPI.")),
        Column("indicator", gettext_lazy("Indicator code"),
               lookup=Lookup(_indicators, "code"), example="SALES",
               help=gettext_lazy("The code of the indicator in the KPI library.")),
        Column("date", gettext_lazy("Date"), kind=DATE, example="2026-10-31",
               help=gettext_lazy("The day the figure is for, inside the cycle.")),
        Column("value", gettext_lazy("Value"), kind=DECIMAL, example="120000",
               help=gettext_lazy("In the indicator's unit.")),
        Column("note", gettext_lazy("Note"), required=False),
    ]


def template_response(filename: str = "kpi-figures.xlsx"):
    """The import template as a download (headers in the active language, an example row and
    the explanation sheet)."""
    return _template_response(measurement_columns(), filename, title=_("KPI figures"))


def _label(field: str) -> str:
    return next((str(c.label) for c in measurement_columns() if c.field == field), field)


class _Rows:
    """Resolves rows to assignments of the cycle (one query) and checks each like the API."""

    def __init__(self, cycle, actor):
        self.cycle = cycle
        self.actor = actor
        assignments = (Assignment.objects.filter(cycle=cycle, position__isnull=True)
                       .select_related("cycle", "company", "indicator", "employee",
                                       "department"))
        self.by_key = {
            (a.indicator_id, "employee" if a.employee_id else "department",
             a.employee_id or a.department_id): a for a in assignments}
        self.valid: list[ImportRow] = []

    def validate(self, data: dict) -> dict:
        from .api.serializers import KpiMeasurementInputSerializer

        employee, department = data.get("employee"), data.get("department")
        if (employee is None) == (department is None):
            raise ValidationError(_("Give an employee number or a department, not both."))
        kind, holder = ("employee", employee) if employee is not None else (
            "department", department)
        assignment = self.by_key.get((data["indicator"], kind, holder))
        if assignment is None:
            raise ValidationError({"indicator": [_(
                "This indicator is not assigned to this person or department in %(cycle)s.")
                % {"cycle": self.cycle.name}]})
        if self.actor is not None and not self.actor.user.has_perm("kpis.add_measurement",
                                                                   assignment):
            raise ValidationError(_("You may not record figures on this KPI."))
        figure = KpiMeasurementInputSerializer(data={
            name: data[name] for name in ("date", "value", "note") if name in data})
        if not figure.is_valid():
            raise DRFValidationError(figure.errors)
        data = figure.validated_data
        # What `services.record_measurements` checks per figure (date in the cycle, cycle
        # open), now, so that every row's errors come in one pass.
        errors = services.check_measurement(assignment, data["date"], data["value"])
        if errors:
            raise ValidationError(errors)
        return {"assignment": assignment, **data}

    def save(self, row: ImportRow) -> str:
        self.valid.append(row)  # written together by `import_measurements`
        return "created"


def import_measurements(*, company, cycle, uploaded_file, actor, by) -> ImportResult:
    """Reads `uploaded_file` (.xlsx) and records its figures on the assignments of `cycle`
    with source "import", all or nothing. `actor` (core.actor.Actor, or None for a trusted
    caller) must be allowed to record figures on every row's assignment; `by` (a user) is
    kept as who recorded them. Call inside the company's scope. Returns the
    `core.imports.ImportResult`: `ok`, `created` (figures written), `rows`, `errors`."""
    if cycle.company_id != company.pk:
        raise ValueError("The cycle is another company's.")
    rows = _Rows(cycle, actor)
    result = run_import(uploaded_file, measurement_columns(), validate_row=rows.validate,
                        save=rows.save)
    if not result.ok:
        return result
    try:
        services.record_measurements(rows=[row.data for row in rows.valid],
                                     source=MeasurementSource.IMPORT, actor=actor, by=by)
    except ValidationError as error:
        result.created = 0
        result.errors = _row_errors(error, rows.valid)
    return result


def _row_errors(error: ValidationError, valid: list[ImportRow]) -> list[RowError]:
    """The service's errors ("3.date", or "date" for a single row) as row errors."""
    errors = []
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for key, texts in messages.items():
        index, _dot, field = (key or "").rpartition(".")
        if not index and len(valid) == 1:
            index = "0"
        number = valid[int(index)].number if index.isdigit() else None
        column = _label(field) if field and field not in ("__all__",) else None
        errors.extend(RowError(number, column, str(text)) for text in texts)
    return sorted(errors, key=lambda e: (e.row or 0, e.column or ""))
