"""Reads and multi-row writes of the salary-data pages that the other Pay services do not
offer: the filtered lists (a constant number of queries whatever the head count), an
employee's effective-dated profile history, the month's attendance grid and its save (every
row through `services`, all in one transaction, nothing written when a row is refused)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

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
from .selectors import in_force


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


# --- imports: new records validated one by one, written in bulk ------------------------------


class _Batch:
    """New records of an import: each validated on `add` by the very function the single-row
    service runs (no rule of its own here), then written with their change history in a few
    statements by `flush`, inside the import's transaction. The single-row services cost
    about five statements a row (a savepoint pair, the insert, the history row, the checks);
    a monthly import of 2,000 rows would spend most of its time there."""

    model = None

    def __init__(self, *, company, by=None):
        self.company = company
        self.by = by if by is not None and by.is_authenticated else None
        self.pending: list = []

    def flush(self) -> None:
        if self.pending:
            bulk_create_with_history(self.pending, self.model, batch_size=500,
                                     default_user=self.by)
        self.pending = []


class AttendanceBatch(_Batch):
    """New attendance summaries: `services.create_attendance_summary`'s checks, in bulk."""

    model = AttendanceSummary

    def add(self, *, employee, month: date, **fields) -> AttendanceSummary:
        services._same_company(self.company, employee=employee)
        summary = AttendanceSummary(company=self.company, employee=employee, month=month,
                                    entered_by=self.by, **fields)
        services._validate_attendance(summary)
        self.pending.append(summary)
        return summary

    @staticmethod
    def change(summary: AttendanceSummary, **fields) -> None:
        """A second row of the file for a summary still pending: its figures replace the
        first row's, checked again."""
        for name, value in fields.items():
            setattr(summary, name, value)
        services._validate_attendance(summary)


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
