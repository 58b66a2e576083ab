"""The month's payroll inputs pages (HR and finance read, HR writes): the attendance grid,
one-off pay items and year-to-date openings. Thin: `pay.services`, `pay.services_payroll` and
`pay.services_records` validate and write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.core.versioning import EditConflict
from tandem.web.decorators import member_required, require_perm

from . import services_payroll, services_records
from .forms_records import AttendanceRowForm, MonthFilterForm, PayItemForm, YearFilterForm
from .models import PayItem
from .rules_records import reads_all_pay_of

PAGE_SIZE = 50


def _readers_only(request) -> None:
    """These pages list everyone's figures: HR and finance only (the API gives an employee
    their own records)."""
    if not reads_all_pay_of(request.actor):
        raise PermissionDenied


def _month_link(name: str, month) -> str:
    return f"{reverse(name)}?month={month:%Y-%m}"


# --- attendance grid ------------------------------------------------------------------------


@member_required
def attendance_grid(request):
    """The month's grid: one row per employee on the books, filled from their summary. HR
    saves it all at once; nothing is saved when a row is refused."""
    _readers_only(request)
    if request.method == "POST":
        require_perm(request, "pay.add_attendancesummary")
    filters = MonthFilterForm(request.GET)
    month = filters.values()["month"]
    rows = services_records.attendance_grid(month)
    post = request.POST if request.method == "POST" else None
    for row in rows:
        row.form = AttendanceRowForm(post, instance=row.summary, prefix=f"e{row.employee.pk}")
    status = 200
    if post is not None:
        status = _save_grid(request, month, rows)
        if status is None:
            return redirect(_month_link("pay:attendance", month))
    return render(request, "pay/records/attendance_grid.html", {
        "filters": filters, "month": month, "rows": rows,
        "may_change": request.user.has_perm("pay.add_attendancesummary"),
    }, status=status)


def _save_grid(request, month, rows) -> int | None:
    """None when saved, else the status of the page showing the errors."""
    if not all(row.form.is_valid() for row in rows):
        messages.error(request, _("Correct the marked rows; nothing was saved."))
        return 400
    # An empty row enters nothing (and keeps a summary entered before: the grid never deletes).
    changed = [(row, row.form.service_fields()) for row in rows if row.form.filled()]
    try:
        created, updated = services_records.save_attendance_grid(
            company=request.company, month=month, rows=changed, by=request.user)
    except services_records.GridRefused as refused:
        for row in rows:
            error = refused.errors.get(row.employee.pk)
            if error is not None:
                _add_errors(row.form, error)
        messages.error(request, _("Correct the marked rows; nothing was saved."))
        return 400
    messages.success(request, _("Attendance saved: %(created)s added, %(updated)s changed.")
                     % {"created": created, "updated": updated})
    return None


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- pay items ------------------------------------------------------------------------------


@require_GET
@member_required
def pay_item_list(request):
    _readers_only(request)
    filters = MonthFilterForm(request.GET)
    values = filters.values()
    items = services_records.pay_items(**values)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/records/pay_item_list.html", {
        "filters": filters, "month": values["month"], "page_obj": page,
        "items": page.object_list, "may_add": request.user.has_perm("pay.add_payitem"),
    })


def _item_form(request, item: PayItem | None):
    form = PayItemForm(request.POST or None, instance=item or PayItem())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            if item is None:
                saved = services_payroll.create_pay_item(company=request.company,
                                                         by=request.user, **data)
            else:
                data.pop("employee", None)
                saved = services_payroll.update_pay_item(item=item, version=version,
                                                         by=request.user, **data)
        except (ValidationError, EditConflict) as error:
            form.add_service_errors(error)
        except services_payroll.RunLocked as locked:
            form.add_error(None, locked.message)
            return render(request, "pay/records/pay_item_form.html",
                          {"form": form, "item": item}, status=409)
        else:
            messages.success(request, _("The pay item is saved."))
            return redirect(_month_link("pay:pay_items", saved.month))
    status = 400 if request.method == "POST" else 200
    return render(request, "pay/records/pay_item_form.html", {"form": form, "item": item},
                  status=status)


@member_required
def pay_item_create(request):
    require_perm(request, "pay.add_payitem")
    return _item_form(request, None)


def _item(request, pk, perm: str) -> PayItem:
    item = get_object_or_404(PayItem.objects.select_related("employee"), pk=pk)
    require_perm(request, perm, item)
    return item


@member_required
def pay_item_edit(request, pk):
    return _item_form(request, _item(request, pk, "pay.change_payitem"))


@member_required
def pay_item_delete(request, pk):
    """Confirmation on GET, deletion on POST; an item of an approved month is kept (409)."""
    item = _item(request, pk, "pay.delete_payitem")
    refusal = None
    if request.method == "POST":
        try:
            services_payroll.delete_pay_item(item=item, by=request.user)
        except services_payroll.RunLocked as locked:
            refusal = str(locked.message)
        else:
            messages.success(request, _("The pay item is deleted."))
            return redirect(_month_link("pay:pay_items", item.month))
    return render(request, "pay/records/pay_item_delete.html",
                  {"item": item, "refusal": refusal}, status=409 if refusal else 200)


# --- year-to-date openings ------------------------------------------------------------------


@require_GET
@member_required
def opening_list(request):
    _readers_only(request)
    filters = YearFilterForm(request.GET)
    values = filters.values()
    rows = services_records.openings(**values)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/records/opening_list.html", {
        "filters": filters, "year": values["year"], "page_obj": page,
        "openings": page.object_list,
        "may_import": request.user.has_perm("pay.add_yeartodateopening"),
    })
