"""Writes of payroll: runs (create, calculate, approve, mark paid, delete), one-off pay items
and year-to-date openings. Each is one transaction; a calculation computes outside it (writing
its progress where other connections see it) and stores everything in one.

An approved or paid run is immutable, and so are the pay items of its month: the services
refuse with `RunLocked` (the API answers 409). A correction is an adjustment item in a later
month."""

from __future__ import annotations

import gc
import logging
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Company
from tandem.core.versioning import claim_version
from tandem.org.models import Employee

from .calculation import calculate_payslip
from .models import (
    BLOCKING_CODES,
    LOCKED_STATUSES,
    PayItem,
    PayItemType,
    PayrollRun,
    Payslip,
    ProblemCode,
    RunProblem,
    RunStatus,
    YearToDateOpening,
)
from .payroll.loader import RunProblemData, load_month
from .payroll.store import calculation_problems, payslip_row
from .workdays import CalendarUnknown

log = logging.getLogger(__name__)
ZERO = Decimal(0)
PROGRESS_EVERY = 500


class RunLocked(Exception):
    """The run (or the month a pay item belongs to) is approved or paid: nothing changes."""

    def __init__(self, message=None):
        self.message = message or _("This payroll run is approved: it can no longer change. "
                                    "Correct it with an adjustment item in a later month.")
        super().__init__(str(self.message))


class RunRefused(Exception):
    """The run's state refuses the step (approving with blocking problems, paying a run that
    is not approved)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def create_run(*, company: Company, month: date, by=None) -> PayrollRun:
    month = month.replace(day=1)
    if PayrollRun.objects.filter(month=month).exists():
        raise ValidationError({"month": [_("There is already a payroll run for this month.")]})
    try:
        with transaction.atomic():
            return PayrollRun.objects.create(company=company, month=month, created_by=by)
    except IntegrityError:
        raise ValidationError(
            {"month": [_("There is already a payroll run for this month.")]}) from None


def delete_run(*, run: PayrollRun, by=None) -> None:
    with transaction.atomic():
        run = _locked_row(run)
        if run.locked:
            raise RunLocked()
        run.delete()


# Above this many employees the calculation runs in the background (Huey) and the client
# follows the run's status and progress; below it the answer waits for the result.
INLINE_LIMIT = 200


def request_calculation(*, run: PayrollRun, by=None) -> tuple[PayrollRun, bool]:
    """Calculates the run now for a small company, or marks it calculating and hands it to
    the Huey task after commit (DESIGN.md: long work never blocks the request). Returns the
    run and whether it went to the background."""
    if Employee.objects.count() <= INLINE_LIMIT:
        return calculate_run(run=run, by=by), False
    from .tasks import calculate_payroll_run

    run = start_calculation(run=run, by=by)
    run_id, user_id = run.pk, getattr(by, "pk", None)
    transaction.on_commit(lambda: calculate_payroll_run(run_id, user_id))
    return run, True


def start_calculation(*, run: PayrollRun, by=None) -> PayrollRun:
    """Marks the run as calculating (what the client sees until the background task ends)."""
    with transaction.atomic():
        run = _locked_row(run)
        if run.locked:
            raise RunLocked()
        run.status = RunStatus.CALCULATING
        run.progress_done = 0
        run.save()
    return run


def calculate_run(*, run: PayrollRun, by=None) -> PayrollRun:
    """Calculates every employee employed in the run's month and replaces the run's payslips
    and problems (so calculating again gives the same rows). Employees that cannot be priced
    are blocking problems; the calculation's findings are warnings. Needs the company scope."""
    run = PayrollRun.objects.get(pk=run.pk)
    if run.locked:
        raise RunLocked()
    before = run.status
    try:
        payslips, problems, count = _compute(run)
        return _store(run, payslips, problems, count, by)
    except Exception:
        # A run the background task was calculating goes back to draft: the client stops
        # waiting, and HR can calculate again.
        restored = RunStatus.DRAFT if before == RunStatus.CALCULATING else before
        PayrollRun._base_manager.filter(pk=run.pk, status=RunStatus.CALCULATING).update(
            status=restored)
        raise


def _compute(run: PayrollRun) -> tuple[list[Payslip], list[RunProblemData], int]:
    # Thousands of results stay in memory until they are stored: without this the cyclic
    # garbage collector walks the growing heap again and again, several times the cost of
    # the calculation itself (bench/payroll_calculation.py). Nothing here makes cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compute_all(run)
    finally:
        if collecting:
            gc.enable()


def _compute_all(run: PayrollRun) -> tuple[list[Payslip], list[RunProblemData], int]:
    inputs = load_month(run)
    rows = PayrollRun._base_manager.filter(pk=run.pk)
    rows.update(progress_total=len(inputs.months), progress_done=0)
    payslips, problems = [], list(inputs.problems)
    for done, month in enumerate(inputs.months, start=1):
        try:
            result = calculate_payslip(month.data)
        except CalendarUnknown as unknown:
            problems.append(RunProblemData(month.employee_id, ProblemCode.CALENDAR_UNKNOWN,
                                           {"year": unknown.year}, blocking=True))
        except ValueError as error:
            problems.append(RunProblemData(month.employee_id, ProblemCode.CANNOT_CALCULATE,
                                           {"reason": str(error)}, blocking=True))
        else:
            payslips.append(payslip_row(run, month, result))
            problems.extend(calculation_problems(month, result))
        if done % PROGRESS_EVERY == 0:
            rows.update(progress_done=done)
    return payslips, problems, inputs.employee_count


def _store(run: PayrollRun, payslips: list[Payslip], problems: list[RunProblemData],
           count: int, by) -> PayrollRun:
    with transaction.atomic():
        run = _locked_row(run)
        if run.locked:
            raise RunLocked()
        Payslip.objects.filter(run=run).delete()
        RunProblem.objects.filter(run=run).delete()
        _insert(Payslip, payslips)
        _insert(RunProblem, [
            RunProblem(company_id=run.company_id, run_id=run.pk, employee_id=p.employee_id,
                       code=p.code, params=p.params,
                       blocking=p.blocking or p.code in BLOCKING_CODES)
            for p in problems])
        blocking = sum(1 for p in problems if p.blocking or p.code in BLOCKING_CODES)
        run.status = RunStatus.CALCULATED
        run.employee_count = len(payslips)
        run.gross_total = sum((p.gross for p in payslips), ZERO)
        run.employee_contributions_total = sum((p.employee_contributions for p in payslips),
                                               ZERO)
        run.employer_contributions_total = sum((p.employer_contributions for p in payslips),
                                               ZERO)
        run.tax_total = sum((p.tax_withheld + p.annual_bonus_tax for p in payslips), ZERO)
        run.net_total = sum((p.net for p in payslips), ZERO)
        run.employer_cost_total = sum((p.employer_cost for p in payslips), ZERO)
        run.blocking_problem_count = blocking
        run.warning_count = len(problems) - blocking
        run.progress_done = run.progress_total = len(payslips)
        run.calculated_at = timezone.now()
        run.calculated_by = by
        run.save()
    log.info("payroll run %s calculated: %s employees, %s payslips, %s problems",
             run.pk, count, len(payslips), len(problems))
    return run


def _insert(model, rows: list) -> None:
    """Inserts `rows` (unsaved instances without signals or history, as `bulk_create`) in
    one executemany: a single statement whatever the count, where `bulk_create` splits by
    SQLite's 999 parameters (303 statements for 10,000 payslips) and prepares each value
    through its field (half the run's time). Only JSON and date values need the backend's
    adaptation; money (Decimal), numbers, text and booleans go to the driver as they are."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapt = {f.attname: f for f in fields
             if f.get_internal_type() in ("JSONField", "DateField")}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    names = [f.attname for f in fields]
    values = [[adapt[name].get_db_prep_save(getattr(row, name), connection) if name in adapt
               else getattr(row, name) for name in names] for row in rows]
    table = connection.ops.quote_name(model._meta.db_table)
    # Names from the model's metadata, quoted; every value is a bound parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def approve_run(*, run: PayrollRun, by) -> PayrollRun:
    """Approves a calculated run without blocking problems; from now on it is immutable and
    its year-to-date figures carry into the next month."""
    with transaction.atomic():
        run = _locked_row(run)
        if run.locked:
            raise RunLocked()
        if run.status != RunStatus.CALCULATED:
            raise RunRefused(_("Only a calculated payroll run can be approved."))
        if RunProblem.objects.filter(run=run, blocking=True).exists():
            raise RunRefused(_("Resolve the blocking problems (employees without a payslip) "
                               "and calculate again before approving."))
        run.status = RunStatus.APPROVED
        run.approved_by = by
        run.approved_at = timezone.now()
        run.save()
    return run


def mark_paid(*, run: PayrollRun, by, email_payslips: bool = True) -> PayrollRun:
    """Locks the run as paid and, after commit, emails each employee their payslip (unless
    `email_payslips` is off: the demo company's history)."""
    from .payslip_email import queue_payslip_emails

    with transaction.atomic():
        run = _locked_row(run)
        if run.status != RunStatus.APPROVED:
            raise RunRefused(_("Only an approved payroll run can be marked paid."))
        run.status = RunStatus.PAID
        run.paid_by = by
        run.paid_at = timezone.now()
        run.save()
    if email_payslips:
        queue_payslip_emails(run)
    return run


def _locked_row(run: PayrollRun) -> PayrollRun:
    return PayrollRun.objects.select_for_update().get(pk=run.pk)


# --- pay items ----------------------------------------------------------------------------

PAY_ITEM_FIELDS = ("month", "kind", "name", "amount", "taxable", "annual_bonus_method",
                   "adjusts_month", "note", "source")


def refuse_locked_month(month: date | None) -> None:
    if month is not None and PayrollRun.objects.filter(
            month=month.replace(day=1), status__in=LOCKED_STATUSES).exists():
        raise RunLocked(_("The payroll of this month is approved: add the item to a later "
                          "month as a correction."))


def validate_pay_item(item: PayItem) -> None:
    errors: dict[str, list] = {}
    if item.month and item.month.day != 1:
        item.month = item.month.replace(day=1)
    if item.adjusts_month:
        item.adjusts_month = item.adjusts_month.replace(day=1)
    if item.kind == PayItemType.ADJUSTMENT:
        if item.adjusts_month is None:
            errors["adjusts_month"] = [_("Say which month the correction is for.")]
        elif item.month and item.adjusts_month >= item.month:
            errors["adjusts_month"] = [_("A correction is for an earlier month.")]
    elif item.adjusts_month is not None:
        errors["adjusts_month"] = [_("Only a correction names an earlier month.")]
    if item.kind != PayItemType.ADJUSTMENT and item.amount is not None and item.amount < 0:
        errors["amount"] = [_("Enter a positive amount; recover money with a correction.")]
    if item.kind == PayItemType.ANNUAL_BONUS and not item.annual_bonus_method:
        item.annual_bonus_method = "cheaper"
    elif item.kind != PayItemType.ANNUAL_BONUS and item.annual_bonus_method:
        errors["annual_bonus_method"] = [_("Only an annual one-time bonus has a tax method.")]
    if errors:
        raise ValidationError(errors)
    # Both check constraints (first day of the month, an earlier month corrected) are the
    # rules just above; checking them again costs queries per item of an import.
    item.full_clean(exclude=["company", "employee", "created_by"], validate_constraints=False)


def create_pay_item(*, company: Company, employee, by=None, **fields) -> PayItem:
    item = PayItem(company=company, employee=employee, created_by=by,
                   **{k: v for k, v in fields.items() if k in PAY_ITEM_FIELDS})
    validate_pay_item(item)
    with transaction.atomic():
        refuse_locked_month(item.month)
        item.save()
    return item


def update_pay_item(*, item: PayItem, version: int | None = None, by=None,
                    **fields) -> PayItem:
    with transaction.atomic():
        refuse_locked_month(item.month)
        for name, value in fields.items():
            if name in PAY_ITEM_FIELDS:
                setattr(item, name, value)
        validate_pay_item(item)
        refuse_locked_month(item.month)
        claim_version(item, version)
        item.save()
    return item


def delete_pay_item(*, item: PayItem, by=None) -> None:
    with transaction.atomic():
        refuse_locked_month(item.month)
        item.delete()


# --- year-to-date openings ----------------------------------------------------------------

OPENING_FIELDS = ("through_month", "income", "tax_free_income", "special_deductions",
                  "special_additional_deductions", "other_deductions", "withheld",
                  "annual_bonus_separate_used")


def import_year_to_date_openings(*, company: Company, year: int, rows, by=None
                                 ) -> list[YearToDateOpening]:
    """Sets the openings of `year` from `rows` (dicts with `employee` and OPENING_FIELDS),
    replacing an employee's earlier opening of that year. Refused once a payroll of the year
    is approved: from then on the year's figures come from Tandem's own payslips."""
    with transaction.atomic():
        if PayrollRun.objects.filter(month__year=year, status__in=LOCKED_STATUSES).exists():
            raise RunLocked(_("A payroll of this year is already approved: its figures now "
                              "come from Tandem's own payslips."))
        saved = []
        for row in rows:
            employee = row["employee"]
            opening = (YearToDateOpening.objects.filter(employee=employee, year=year).first()
                       or YearToDateOpening(company=company, employee=employee, year=year,
                                            created_by=by))
            for name in OPENING_FIELDS:
                if name in row:
                    setattr(opening, name, row[name])
            opening.full_clean(exclude=["company", "employee", "created_by"])
            if opening.pk:
                claim_version(opening)
            opening.save()
            saved.append(opening)
    return saved
