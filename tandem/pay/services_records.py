"""Reads and multi-row writes of the salary-data pages that the other Pay services do not
offer: the filtered lists (a constant number of queries whatever the head count), an
employee's effective-dated profile history, the month's attendance grid and its save (every
row through `services`, all in one transaction, nothing written when a row is refused)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tandem.org.models import Employee

from . import services
from .models import (
    AttendanceSummary,
    DeductionDeclaration,
    PayItem,
    SalaryProfile,
    YearToDateOpening,
)
from .rules_records import visible_pay_records
from .selectors import PolicyTable, in_force


def _search(queryset, query: str, prefix: str = "employee__"):
    query = (query or "").strip()
    if not query:
        return queryset
    return queryset.filter(Q(**{f"{prefix}name__icontains": query})
                           | Q(**{f"{prefix}english_name__icontains": query})
                           | Q(**{f"{prefix}employee_number__icontains": query}))


def salary_profiles(actor, *, q: str = "", department=None, city=None,
                    current_only: bool = False, on: date | None = None):
    """The profiles the actor may read, newest first per employee; `current_only`: only the
    one in force on `on` (default today) per employee."""
    profiles = visible_pay_records(SalaryProfile.objects.all(), actor)
    if current_only:
        profiles = in_force(profiles, on or timezone.localdate(), key=("employee",))
    profiles = _search(profiles, q)
    if department is not None:
        profiles = profiles.filter(employee__department=department)
    if city is not None:
        profiles = profiles.filter(city=city)
    return (profiles.select_related("employee__department", "city")
            .order_by("employee__employee_number", "-effective_from", "pk"))


def profile_timeline(profile: SalaryProfile) -> list[SalaryProfile]:
    """Every profile of the profile's employee, newest first, each with `effective_to` (the
    day before the next one starts, None while in force) and `current` set: two queries."""
    rows = list(SalaryProfile.objects.filter(employee_id=profile.employee_id)
                .select_related("city").prefetch_related("items")
                .order_by("-effective_from"))
    today = timezone.localdate()
    following = None
    current_found = False
    for row in rows:
        row.effective_to = (following - timedelta(days=1)) if following else None
        row.current = not current_found and row.effective_from <= today
        current_found = current_found or row.current
        following = row.effective_from
    return rows


def declarations(actor, *, q: str = "", category: str = ""):
    rows = visible_pay_records(DeductionDeclaration.objects.all(), actor)
    rows = _search(rows, q)
    if category:
        rows = rows.filter(category=category)
    return (rows.select_related("employee__department")
            .order_by("employee__employee_number", "-from_month", "pk"))


def pay_items(*, month: date | None, q: str = "", kind: str = ""):
    rows = _search(PayItem.objects.all(), q)
    if month is not None:
        rows = rows.filter(month=month)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("employee").order_by("employee__employee_number", "kind", "pk")


def openings(*, year: int, q: str = ""):
    return (_search(YearToDateOpening.objects.filter(year=year), q)
            .select_related("employee").order_by("employee__employee_number"))


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def employees_of_month(month: date, q: str = ""):
    """The employees on the books during the month (hired by its end, not left before it)."""
    employees = (Employee.objects.filter(hire_date__lte=month_end(month))
                 .filter(Q(leave_date__isnull=True) | Q(leave_date__gte=month)))
    return (_search(employees, q, prefix="").select_related("department")
            .order_by("employee_number"))


@dataclass
class GridRow:
    employee: Employee
    summary: AttendanceSummary | None
    form: object = None


def attendance_grid(month: date, q: str = "") -> list[GridRow]:
    """One row per employee of the month with their summary, if any: two queries."""
    employees = list(employees_of_month(month, q))
    summaries = {s.employee_id: s for s in AttendanceSummary.objects.filter(
        month=month, employee__in=[e.pk for e in employees])}
    return [GridRow(employee, summaries.get(employee.pk)) for employee in employees]


@dataclass
class GridRefused(Exception):
    """Rows the services refused (employee id → ValidationError); nothing was saved."""

    errors: dict = field(default_factory=dict)


def save_attendance_grid(*, company, month: date, rows: list[tuple[GridRow, dict]],
                         by=None) -> tuple[int, int]:
    """Creates or updates the month's summaries from (row, fields) pairs in one transaction:
    (created, updated), or GridRefused naming every refused row with nothing saved. A row
    whose fields equal its summary's is left alone."""
    created = updated = 0
    refused: dict[int, ValidationError] = {}
    with transaction.atomic():
        for row, fields in rows:
            try:
                if row.summary is None:
                    services.create_attendance_summary(company=company, employee=row.employee,
                                                       month=month, by=by, **fields)
                    created += 1
                    continue
                changes = {name: value for name, value in fields.items()
                           if getattr(row.summary, name) != value}
                if changes:
                    services.update_attendance_summary(summary=row.summary, by=by, **changes)
                    updated += 1
            except ValidationError as error:
                refused[row.employee.pk] = error
        if refused:
            transaction.set_rollback(True)
    if refused:
        raise GridRefused(refused)
    return created, updated


# --- imports: records validated one by one, written in bulk --------------------------------


class _Batch:
    """The records an import writes: each validated on `add` (a new one) or `update` (one
    the import read in its transaction) by the very function the single-row service runs (no
    rule of its own here), then written with their change history in a few statements by
    `flush`, inside the import's transaction. The single-row services cost five to eight
    statements a row (a savepoint pair, the checks, the write, the version claim, the history
    row); an import of 2,000 rows would spend most of its time there. `taken(record)`: whether
    another record has the same key (the import answers it from the records it read once;
    None: the service's own query)."""

    model = None
    fields: tuple[str, ...] = ()  # what an update writes, besides the version

    def __init__(self, *, company, by=None, taken=None):
        self.company = company
        self.by = by if by is not None and by.is_authenticated else None
        self.taken = taken
        self.pending: list = []
        self.changed: dict[int, object] = {}

    def flush(self) -> None:
        if self.pending:
            bulk_create_with_history(self.pending, self.model, batch_size=500,
                                     default_user=self.by)
        self.pending = []
        if self.changed:
            self._update(list(self.changed.values()))
        self.changed = {}

    def _queue_update(self, record) -> None:
        if record.pk is not None:
            self.changed[record.pk] = record

    def _update(self, records: list) -> None:
        """The version claim of `core.versioning.claim_version` for all `records` at once:
        their rows locked and their versions compared, one query a 500; then the rows and
        their history written."""
        stale = []
        for start in range(0, len(records), 500):
            chunk = {record.pk: record.version for record in records[start:start + 500]}
            current = dict(self.model._base_manager.select_for_update()
                           .filter(pk__in=list(chunk)).order_by().values_list("pk", "version"))
            stale += [pk for pk, version in chunk.items() if current.get(pk) != version]
        if stale:
            raise ValidationError(_("%(count)s of the records this file changes were saved by "
                                    "someone else meanwhile; nothing was imported. Try again.")
                                  % {"count": len(stale)})
        names = [*self.fields, "version"]
        stamped = any(field.name == "updated_at" for field in self.model._meta.concrete_fields)
        if stamped:
            names.append("updated_at")  # auto_now, which a bulk write does not apply
        now = timezone.now()
        for record in records:
            record.version += 1
            if stamped:
                record.updated_at = now
        _write_rows(self.model, records, names)
        bulk_update_with_history(records, self.model, [], batch_size=500,
                                 default_user=self.by)


def _write_rows(model, records: list, names: list[str]) -> None:
    """UPDATE each record's `names` by its primary key: one statement sent with every row's
    values (`executemany`). Django's `bulk_update` builds a CASE per field and row, which
    costs more Python time than the import's whole validation."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    # Names from the model's own metadata, quoted; every value is a parameter.
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608
           f"WHERE {quote(model._meta.pk.column)} = %s")
    rows = [[field.get_db_prep_save(getattr(record, field.attname), connection)
             for field in fields] + [record.pk] for record in records]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class AttendanceBatch(_Batch):
    """Attendance summaries: `services.create_attendance_summary`'s and
    `update_attendance_summary`'s checks, in bulk."""

    model = AttendanceSummary
    fields = (*services.ATTENDANCE_FIELDS, "entered_by")

    def add(self, *, employee, month: date, **fields) -> AttendanceSummary:
        services._same_company(self.company, employee=employee)
        summary = AttendanceSummary(company=self.company, employee=employee, month=month,
                                    entered_by=self.by, **fields)
        services._validate_attendance(summary, self.taken or services._attendance_taken)
        self.pending.append(summary)
        return summary

    def update(self, summary: AttendanceSummary, **changes) -> None:
        """A summary the import read, or one of its own still pending (a second row of the
        file for it: its figures replace the first row's), checked again."""
        services._apply_changes(summary, changes, set(services.ATTENDANCE_FIELDS))
        services._validate_attendance(summary, self.taken or services._attendance_taken)
        if self.by is not None:
            summary.entered_by = self.by
        self._queue_update(summary)


class _FilePolicies(services.ProfileChecks):
    """`services.ProfileChecks` answered from what an import read once: every city policy
    (`selectors.PolicyTable`) and the file's employees' profiles (`taken`). The city comes
    from the import's city lookup, so its row is not looked up again."""

    trusted = ("city",)

    def __init__(self, taken):
        self.table: PolicyTable | None = None
        self._taken = taken

    def policy(self, city_id, on):
        if self.table is None:
            self.table = PolicyTable()  # on the first row that needs it, in the transaction
        return self.table.on(city_id, on)

    def taken(self, profile) -> bool:
        return self._taken(profile) if self._taken else super().taken(profile)


class ProfileBatch(_Batch):
    """Salary profiles without fixed pay items (the import has no column for them):
    `services.create_salary_profile`'s and `update_salary_profile`'s checks, in bulk."""

    model = SalaryProfile
    fields = (*services.SALARY_FIELDS, "effective_from")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.checks = _FilePolicies(self.taken)

    def add(self, *, employee, effective_from: date, **fields) -> SalaryProfile:
        services._same_company(self.company, employee=employee)
        profile = SalaryProfile(company=self.company, employee=employee,
                                effective_from=effective_from, **fields)
        services._validate_profile(profile, None, self.checks)
        self.pending.append(profile)
        return profile

    def update(self, profile: SalaryProfile, **changes) -> None:
        services._apply_changes(profile, changes, set(self.fields))
        services._validate_profile(profile, None, self.checks)
        self._queue_update(profile)


class OpeningBatch(_Batch):
    """Year-to-date openings: `services_payroll.import_year_to_date_openings`'s checks, in
    bulk; its approved-year check runs once per year of the file (the service called with no
    rows does only that)."""

    model = YearToDateOpening

    def __init__(self, **kwargs):
        from .services_payroll import OPENING_FIELDS

        super().__init__(**kwargs)
        self.fields = OPENING_FIELDS
        self.refused: dict[int, Exception | None] = {}

    def _check_year(self, year: int) -> None:
        from . import services_payroll

        if year not in self.refused:
            try:
                services_payroll.import_year_to_date_openings(
                    company=self.company, year=year, rows=[], by=self.by)
                self.refused[year] = None
            except services_payroll.RunLocked as locked:
                self.refused[year] = locked
        if self.refused[year] is not None:
            raise self.refused[year]

    def _set(self, opening: YearToDateOpening, fields: dict) -> None:
        for name in self.fields:
            if name in fields:
                setattr(opening, name, fields[name])
        opening.full_clean(exclude=["company", "employee", "created_by"],
                           validate_unique=False, validate_constraints=False)

    def add(self, *, employee, year: int, **fields) -> YearToDateOpening:
        self._check_year(year)
        services._same_company(self.company, employee=employee)
        opening = YearToDateOpening(company=self.company, employee=employee, year=year,
                                    created_by=self.by)
        self._set(opening, fields)
        self.pending.append(opening)
        return opening

    def update(self, opening: YearToDateOpening, **fields) -> None:
        """An opening the import read, or one of its own still pending."""
        self._check_year(opening.year)
        self._set(opening, fields)
        self._queue_update(opening)


class PayItemBatch(_Batch):
    """New pay items: `services_payroll.create_pay_item`'s checks, in bulk; the approved-month
    check runs once per month of the file."""

    model = PayItem

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.open_months: set = set()

    def add(self, *, employee, **fields) -> PayItem:
        from . import services_payroll

        item = PayItem(company=self.company, employee=employee, created_by=self.by,
                       **{k: v for k, v in fields.items()
                          if k in services_payroll.PAY_ITEM_FIELDS})
        services_payroll.validate_pay_item(item)
        if item.month not in self.open_months:
            services_payroll.refuse_locked_month(item.month)
            self.open_months.add(item.month)
        self.pending.append(item)
        return item
