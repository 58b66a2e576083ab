"""The payroll run pages (HR and finance). Thin: `pay.services_payroll` writes and refuses,
`pay.rules_payroll` says who may, `pay.selectors_runs` reads. A refusal of the data (a run
that is approved, an approval with blocking problems) is the run's page with the reason and
a 409, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from tandem.web.decorators import member_required, require_perm

from . import selectors_runs, services_payroll
from .forms_runs import NewRunForm
from .models import PayrollRun, RunStatus

PAGE_SIZE = 50


@member_required
def run_list(request):
    require_perm(request, "pay.list_payrollrun")
    may_add = request.user.has_perm("pay.add_payrollrun")
    form = NewRunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_perm(request, "pay.add_payrollrun")
        if form.is_valid():
            try:
                run = services_payroll.create_run(company=request.company,
                                                  month=form.cleaned_data["month"],
                                                  by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("pay:run_detail", run.pk)
    page = Paginator(selectors_runs.runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/runs/list.html", {
        "page_obj": page, "runs": page.object_list, "form": form, "may_add": may_add,
    })


def _run(request, pk: int) -> PayrollRun:
    run = get_object_or_404(PayrollRun.objects, pk=pk)
    require_perm(request, "pay.view_payrollrun", run)
    return run


def _actions(request, run: PayrollRun) -> dict:
    may = request.user.has_perm
    return {
        "calculate": may("pay.calculate_payrollrun", run)
        and run.status in (RunStatus.DRAFT, RunStatus.CALCULATED),
        "approve": may("pay.approve_payrollrun", run) and run.status == RunStatus.CALCULATED
        and not run.blocking_problem_count,
        "mark_paid": may("pay.mark_paid_payrollrun", run) and run.status == RunStatus.APPROVED,
        "delete": may("pay.delete_payrollrun", run) and not run.locked
        and run.status != RunStatus.CALCULATING,
    }


def _detail(request, run: PayrollRun, *, refusal: str | None = None, status: int = 200):
    search = request.GET.get("q", "").strip()
    payslips = Paginator(selectors_runs.run_payslips(run, search), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "pay/runs/detail.html", {
        "run": run, "actions": _actions(request, run), "refusal": refusal,
        "inputs": selectors_runs.inputs_check(run),
        "problem_groups": selectors_runs.problem_groups(run),
        "comparison": selectors_runs.comparison(run, request.GET.get("changes")),
        "page_obj": payslips, "payslips": payslips.object_list, "search": search,
    }, status=status)


@require_GET
@member_required
def run_detail(request, pk):
    return _detail(request, _run(request, pk))


@require_GET
@member_required
def run_progress(request, pk):
    """The progress bar, polled by htmx while the run calculates; once done, the page
    reloads (and with it the totals, problems and payslips)."""
    run = _run(request, pk)
    if run.status != RunStatus.CALCULATING and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "pay/runs/_progress.html", {"run": run})


def _refused(request, run: PayrollRun, refused: Exception):
    run.refresh_from_db()
    return _detail(request, run, refusal=str(refused.message), status=409)


@require_POST
@member_required
def run_calculate(request, pk):
    """Inline for a small company, else in the background while the page polls the progress
    (`services_payroll.request_calculation`)."""
    run = _run(request, pk)
    require_perm(request, "pay.calculate_payrollrun", run)
    try:
        run, background = services_payroll.request_calculation(run=run, by=request.user)
        if not background:
            messages.success(request, _("The payroll run is calculated."))
    except (services_payroll.RunLocked, services_payroll.RunRefused) as refused:
        return _refused(request, run, refused)
    return redirect("pay:run_detail", run.pk)


@require_POST
@member_required
def run_approve(request, pk):
    run = _run(request, pk)
    require_perm(request, "pay.approve_payrollrun", run)
    try:
        run = services_payroll.approve_run(run=run, by=request.user)
    except (services_payroll.RunLocked, services_payroll.RunRefused) as refused:
        return _refused(request, run, refused)
    messages.success(request, _("The payroll run is approved."))
    return redirect("pay:run_detail", run.pk)


@require_POST
@member_required
def run_mark_paid(request, pk):
    run = _run(request, pk)
    require_perm(request, "pay.mark_paid_payrollrun", run)
    try:
        run = services_payroll.mark_paid(run=run, by=request.user)
    except (services_payroll.RunLocked, services_payroll.RunRefused) as refused:
        return _refused(request, run, refused)
    messages.success(request, _("The payroll run is marked paid."))
    return redirect("pay:run_detail", run.pk)


@member_required
def run_delete(request, pk):
    """Confirmation on GET, deletion on POST; an approved run is explained and kept (409)."""
    run = _run(request, pk)
    require_perm(request, "pay.delete_payrollrun", run)
    refusal = None
    if request.method == "POST":
        try:
            services_payroll.delete_run(run=run, by=request.user)
        except (services_payroll.RunLocked, services_payroll.RunRefused) as refused:
            refusal = str(refused.message)
        else:
            messages.success(request, _("The payroll run is deleted."))
            return redirect("pay:runs")
    elif run.locked:
        refusal = str(services_payroll.RunLocked().message)
    return render(request, "pay/runs/delete.html", {"run": run, "refusal": refusal},
                  status=409 if request.method == "POST" and refusal else 200)
