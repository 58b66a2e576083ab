"""The calculator pages: their index, and the income-tax calculators (cumulative withholding,
annual one-time bonus). Thin: the forms check input, `pay.tax` computes (the functions payroll
uses), these views present. `render_calculator` and `explanation_rows` serve every calculator
page, the labour-law ones included."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tandem.web.decorators import member_required

from . import tax
from .forms_tax import (
    AnnualBonusForm,
    MonthFiguresForm,
    MonthFormSet,
    WithholdingScheduleForm,
)

PANEL_TEMPLATE = "pay/calculators/_panel.html"
MONTH_PREFIX = "month"


def render_calculator(request, template: str, context: dict):
    """The whole page, or for an htmx POST only its panel (what the form swaps in place)."""
    context.setdefault("panel_template", PANEL_TEMPLATE)
    if request.htmx and request.method == "POST" and not request.htmx.history_restore_request:
        return render(request, context["panel_template"], context)
    return render(request, template, context)


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def percent(rate: Decimal) -> str:
    return f"{format((rate * 100).normalize(), 'f')} %"


def explanation_rows(steps: Iterable[tax.Step]) -> list[tuple[str, str]]:
    """A pure module's explanation as (label, value) rows in the reader's language."""
    rows = []
    for step in steps:
        value = step.value
        if step.kind == tax.StepKind.MONEY:
            shown = money(value)
        elif step.kind == tax.StepKind.RATE:
            shown = percent(value)
        elif step.kind == tax.StepKind.DATE and isinstance(value, date):
            shown = date_format(value)
        elif step.kind == tax.StepKind.TEXT:
            shown = _(value)
        else:
            shown = str(value)
        rows.append((_(step.label), shown))
    return rows


# --- index -----------------------------------------------------------------------------------

CALCULATORS = [
    ("pay:calculator_iit", gettext_lazy("Income tax withholding"),
     gettext_lazy("Month by month, by the cumulative method: what is withheld from your wages.")),
    ("pay:calculator_annual_bonus", gettext_lazy("Annual bonus tax"),
     gettext_lazy("The annual one-time bonus taxed separately or merged, and which is cheaper.")),
    ("pay:calculator_overtime", gettext_lazy("Overtime pay"),
     gettext_lazy("Workday, rest-day and statutory-holiday overtime at 150 %, 200 % and 300 %.")),
    ("pay:calculator_probation", gettext_lazy("Probation"),
     gettext_lazy("The longest probation a contract allows, and the lowest probation wage.")),
    ("pay:calculator_annual_leave", gettext_lazy("Annual leave"),
     gettext_lazy("Statutory paid leave days, pro rata, and the pay for unused days.")),
    ("pay:calculator_economic_compensation", gettext_lazy("Economic compensation"),
     gettext_lazy("Severance when a contract ends: N months' wages, with the caps.")),
]


@require_GET
@member_required
def calculators(request):
    cards = []
    for name, title, description in CALCULATORS:
        try:
            url = reverse(name)
        except NoReverseMatch:  # a calculator not built yet is left out, not a broken link
            continue
        cards.append({"url": url, "title": title, "description": description})
    return render(request, "pay/calculators/index.html", {"cards": cards})


# --- cumulative withholding ------------------------------------------------------------------


def _month_formset(schedule: WithholdingScheduleForm, *, data=None, initial=None):
    """One form per month, each labelled with its calendar month."""
    first = getattr(schedule, "cleaned_data", {}).get("first_month") or 1
    return MonthFormSet(data, initial=initial, prefix=MONTH_PREFIX, first_month=first)


def _withholding_rows(schedule: tax.WithholdingSchedule) -> list[dict]:
    return [{"month": month, "taxable": money(month.cumulative_taxable_income),
             "rate": percent(month.rate), "withheld": money(month.withheld),
             "steps": explanation_rows(month.explanation)} for month in schedule.months]


@member_required
def iit_calculator(request):
    """Same figures every month ("repeat for N months"), or, after "Edit each month", one
    form per month; either way a month-by-month table with the explanation of each month."""
    posted = request.POST if request.method == "POST" else None
    per_month = posted is not None and f"{MONTH_PREFIX}-TOTAL_FORMS" in posted
    schedule = WithholdingScheduleForm(posted, per_month=per_month)
    figures = MonthFiguresForm(None if per_month else posted)
    month_forms = None
    result = None
    if per_month:
        valid = schedule.is_valid()  # first: the month forms are labelled from first_month
        month_forms = _month_formset(schedule, data=posted)
        if all([valid, month_forms.is_valid()]) and schedule.check_month_count(len(month_forms)):
            result = tax.cumulative_withholding(
                [form.month_income() for form in month_forms],
                first_month=schedule.cleaned_data["first_month"],
                first_wage_income_of_year=schedule.cleaned_data["first_wage_income_of_year"])
    elif posted is not None and all([schedule.is_valid(), figures.is_valid()]):
        count = schedule.cleaned_data["months"]
        if "each_month" in posted:
            # Switch to one form per month, filled with the figures entered once.
            initial = [figures.cleaned_data] * count
            month_forms = _month_formset(schedule, initial=initial)
            schedule = WithholdingScheduleForm(
                initial=schedule.cleaned_data, per_month=True)
        else:
            result = tax.cumulative_withholding(
                [figures.month_income()] * count,
                first_month=schedule.cleaned_data["first_month"],
                first_wage_income_of_year=schedule.cleaned_data["first_wage_income_of_year"])
    return render_calculator(request, "pay/calculators/iit.html", {
        "panel_template": "pay/calculators/iit_panel.html",
        "schedule_form": schedule,
        "figures_form": figures,
        "month_forms": month_forms,
        "result": result,
        "rows": _withholding_rows(result) if result else [],
        "total_withheld": money(result.total_withheld) if result else "",
    })


# --- annual one-time bonus -------------------------------------------------------------------


def _bonus_figures(result: tax.BonusTax) -> dict[str, str]:
    figures = {"tax": money(result.tax), "rate": percent(result.rate),
               "quick_deduction": money(result.quick_deduction)}
    for name in ("separate_total_tax", "merged_total_tax"):
        value = getattr(result, name)
        figures[name] = "" if value is None else money(value)
    return figures


@member_required
def annual_bonus_calculator(request):
    form = AnnualBonusForm(request.POST if request.method == "POST" else None)
    result = form.calculation() if form.is_bound and form.is_valid() else None
    return render_calculator(request, "pay/calculators/annual_bonus.html", {
        "form": form,
        "result": result,
        "result_template": "pay/calculators/annual_bonus_result.html",
        "shown": _bonus_figures(result) if result else {},
        "steps": explanation_rows(result.explanation) if result else [],
        "method_names": {key: _(name) for key, name in tax.METHOD_NAMES.items()},
    })
