"""The payslip as a document (page and PDF) and "My payslips". Thin: `pay.rules_payroll`
says who may read a payslip (HR and finance all; the employee their own once the run is
approved), the stored lines carry the figures and how each was computed, these views present
them in the reader's language. `payslip_document` is shared with the PDF and the email."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.web.decorators import member_required, require_perm

from . import pdf, tax
from .calculation import Section
from .models import LOCKED_STATUSES, Payslip
from .views_calculators import explanation_rows, money, percent

PAYSLIPS_PER_PAGE = 24
# The steps of a contribution line that give the scheme's base and rate (pay.calculation
# .statutory._side_steps).
BASE_USED = "Base used"
CONTRIBUTION_RATE = "Contribution rate"


def _step(data: dict) -> tax.Step:
    """A stored explanation step (`payroll.store.step_data`) back as a `tax.Step`."""
    kind, value = data["kind"], data["value"]
    if value is not None and kind in (tax.StepKind.MONEY, tax.StepKind.RATE):
        value = Decimal(value)
    elif value is not None and kind == tax.StepKind.DATE:
        value = date.fromisoformat(value)
    return tax.Step(data["label"], value, kind)


def _step_value(line: dict, label: str) -> Decimal | None:
    for step in line["explanation"]:
        if step["label"] == label and step["value"] is not None:
            return Decimal(step["value"])
    return None


def _row(line: dict, *, deduction: bool = False) -> dict:
    """A line as shown: its name, its amount (a deduction as the positive sum taken off),
    and its explanation rows; contributions also their base and rate."""
    amount = Decimal(line["amount"])
    base = _step_value(line, BASE_USED)
    rate = _step_value(line, CONTRIBUTION_RATE)
    return {
        "code": line["code"],
        "label": line["name"] or _(line["label"]),
        "kind": _(line["label"]) if line["name"] else "",
        "amount": money(-amount if deduction else amount),
        "base": money(base) if base is not None else "",
        "rate": percent(rate) if rate is not None else "",
        "steps": explanation_rows(_step(step) for step in line["explanation"]),
    }


def payslip_document(payslip: Payslip) -> dict:
    """Everything the payslip template shows, formatted. Needs `run`, `employee` and
    `company` loaded with the payslip (no further query)."""
    sections: dict[str, list[dict]] = {section: [] for section in Section}
    for line in payslip.lines:
        section = line["section"]
        deduction = section in (Section.DEDUCTIONS, Section.CONTRIBUTIONS, Section.TAX)
        sections.setdefault(section, []).append(_row(line, deduction=deduction))
    income_tax = next((line for line in payslip.lines if line["code"] == "income_tax"), None)
    return {
        "payslip": payslip,
        "company_name": str(payslip.company),
        "employee": payslip.employee,
        "month_label": date_format(payslip.month, "YEAR_MONTH_FORMAT"),
        "status_label": payslip.run.get_status_display(),
        "earnings": sections[Section.EARNINGS],
        "deductions": sections[Section.DEDUCTIONS],
        "contributions": sections[Section.CONTRIBUTIONS],
        "employer": sections[Section.EMPLOYER],
        "taxes": sections[Section.TAX],
        # The cumulative withholding figures (国家税务总局公告2018年第61号) are the steps of
        # the income-tax line: shown open, not folded away.
        "tax_figures": explanation_rows(_step(step) for step in income_tax["explanation"])
        if income_tax else [],
        "totals": {
            "gross": money(payslip.gross),
            "employee_contributions": money(payslip.employee_contributions),
            "tax": money(payslip.tax_withheld + payslip.annual_bonus_tax),
            "post_tax_deductions": money(payslip.post_tax_deductions),
            "net": money(payslip.net),
            "employer_contributions": money(payslip.employer_contributions),
            "employer_cost": money(payslip.employer_cost),
        },
        "bank": " ".join(part for part in (payslip.bank_name, payslip.masked_bank_account)
                         if part),
    }


def readable_payslip(request, pk) -> Payslip:
    """The payslip `pk` of the caller's company (404 otherwise) if they may read it (403)."""
    payslip = get_object_or_404(
        Payslip.objects.select_related("run", "employee", "company"), pk=pk)
    require_perm(request, "pay.view_payslip", payslip)
    return payslip


@require_GET
@member_required
def payslip_detail(request, pk):
    payslip = readable_payslip(request, pk)
    return render(request, "pay/payslips/detail.html", payslip_document(payslip))


@require_GET
@member_required
def payslip_pdf(request, pk):
    payslip = readable_payslip(request, pk)
    problem = pdf.unavailable_reason()
    if problem is not None:
        return render(request, "pay/payslips/pdf_unavailable.html",
                      {"payslip": payslip, "problem": problem}, status=503)
    return pdf_response(payslip)


def pdf_response(payslip: Payslip) -> HttpResponse:
    response = HttpResponse(pdf.payslip_pdf(payslip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.payslip_filename(payslip)}"'
    return response


def own_released_payslips(actor):
    """The actor's own payslips of approved and paid runs, newest first (HR and finance
    read everyone's on the run pages; here they too see their own)."""
    employee = actor.employee if actor is not None else None
    if employee is None:
        return Payslip.objects.none()
    return (Payslip.objects.filter(employee=employee, run__status__in=LOCKED_STATUSES)
            .select_related("run").defer("lines").order_by("-month"))


@require_GET
@member_required
def my_payslips(request):
    page = Paginator(own_released_payslips(request.actor), PAYSLIPS_PER_PAGE).get_page(
        request.GET.get("page"))
    rows = [{"payslip": payslip, "month": date_format(payslip.month, "YEAR_MONTH_FORMAT"),
             "net": money(payslip.net), "status": payslip.run.get_status_display()}
            for payslip in page]
    return render(request, "pay/payslips/mine.html", {"page_obj": page, "rows": rows})
