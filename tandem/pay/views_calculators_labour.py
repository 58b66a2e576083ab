"""The labour-law calculator pages: overtime pay, probation, annual leave and economic
compensation. Thin: the forms check input, `pay.labour` computes (the functions payroll uses),
these views turn its plain-data explanation into rows in the reader's language. Posted with
htmx, only the panel is answered (`render_calculator`); without JS, the whole page."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.web.decorators import member_required

from . import labour
from .forms_labour import AnnualLeaveForm, EconomicCompensationForm, OvertimeForm, ProbationForm
from .views_calculators import money, percent, render_calculator


def _exact(value: Decimal, places: int = 4) -> str:
    """An intermediate figure the rule keeps unrounded, shown to `places` decimals."""
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"


def _number(value: Decimal | int) -> str:
    return format(Decimal(value).normalize(), "f") if value else "0"


def _calculator(request, name: str, form_class, present):
    """A calculator page: `present(cleaned_data)` -> context of the result template."""
    form = form_class(request.POST if request.method == "POST" else None)
    context: dict = {"form": form, "result": None,
                     "result_template": f"pay/calculators/{name}_result.html"}
    if form.is_bound and form.is_valid():
        context.update(present(form.cleaned_data))
    return render_calculator(request, f"pay/calculators/{name}.html", context)


# --- overtime pay ----------------------------------------------------------------------------


def _overtime(data) -> dict:
    result = labour.overtime_pay(**data)
    facts = result.explanation
    hourly = _exact(facts["hourly_wage_exact"])
    lines = [
        (_("Workdays"), data["workday_hours"], labour.WORKDAY_OVERTIME_RATE, result.workday_pay),
        (_("Rest days"), data["rest_day_hours"], labour.REST_DAY_OVERTIME_RATE,
         result.rest_day_pay),
        (_("Statutory holidays"), data["holiday_hours"], labour.HOLIDAY_OVERTIME_RATE,
         result.holiday_pay),
    ]
    steps = [(_("Hourly wage = monthly wage %(wage)s ÷ %(hours)s")
              % {"wage": money(data["monthly_wage"]), "hours": labour.MONTHLY_PAID_HOURS}, hourly)]
    steps += [(_("%(kind)s: %(hours)s h × %(hourly)s × %(rate)s")
               % {"kind": kind, "hours": _number(hours), "hourly": hourly, "rate": percent(rate)},
               money(pay)) for kind, hours, rate, pay in lines]
    steps.append((_("Total"), money(result.total)))
    notes = [_("Each amount is computed from the unrounded hourly wage and rounded half-up to "
               "the fen.")]
    if facts["over_monthly_limit"]:
        notes.append(_("%(hours)s hours of overtime in a month is more than the legal limit of "
                       "36 hours (Labour Law Art. 41).")
                     % {"hours": _number(facts["total_hours"])})
    return {"result": result, "steps": steps, "notes": notes,
            "lines": [(kind, money(pay)) for kind, _hours, _rate, pay in lines]}


@member_required
def overtime_calculator(request):
    return _calculator(request, "overtime", OvertimeForm, _overtime)


# --- probation -------------------------------------------------------------------------------

PROBATION_RULES = {
    labour.ProbationRule.ALREADY_HAD_PROBATION: gettext_lazy(
        "An employer may agree a probation with the same employee only once (Labour Contract "
        "Law Art. 19)."),
    labour.ProbationRule.TASK_CONTRACT: gettext_lazy(
        "A contract for a specific task may not set a probation (Labour Contract Law Art. 19)."),
    labour.ProbationRule.PART_TIME: gettext_lazy(
        "Part-time work may not have a probation (Labour Contract Law Art. 70)."),
    labour.ProbationRule.TERM_UNDER_3_MONTHS: gettext_lazy(
        "A contract of less than 3 months may not set a probation (Labour Contract Law "
        "Art. 19)."),
    labour.ProbationRule.TERM_3_MONTHS_TO_1_YEAR: gettext_lazy(
        "A term of 3 months up to (not including) 1 year allows at most 1 month (Labour "
        "Contract Law Art. 19; \"at least\" includes the number itself, Civil Code Art. 1259)."),
    labour.ProbationRule.TERM_1_TO_3_YEARS: gettext_lazy(
        "A term of 1 year up to (not including) 3 years allows at most 2 months (Labour "
        "Contract Law Art. 19; Civil Code Art. 1259)."),
    labour.ProbationRule.TERM_3_YEARS_OR_MORE: gettext_lazy(
        "A term of 3 years or more allows at most 6 months (Labour Contract Law Art. 19)."),
    labour.ProbationRule.OPEN_ENDED: gettext_lazy(
        "An open-ended contract allows at most 6 months (Labour Contract Law Art. 19)."),
}


def _probation(data) -> dict:
    if data["contract_type"] != labour.ContractType.FIXED:
        data = {**data, "term_months": None}
    result = labour.probation_limit(**data)
    facts = result.explanation
    steps = [
        (_("80 %% of the contract wage %(wage)s") % {"wage": money(data["contract_wage"])},
         money(facts["share_of_contract_wage"])),
        (_("Local minimum wage"), money(data["local_minimum_wage"])),
        (_("Probation wage floor: the higher of the two"), money(result.probation_wage_floor)),
    ]
    months = ngettext("%(count)d month", "%(count)d months", result.max_probation_months) % {
        "count": result.max_probation_months}
    return {"result": result, "months": months, "steps": steps,
            "rule": PROBATION_RULES[labour.ProbationRule(facts["rule"])]}


@member_required
def probation_calculator(request):
    return _calculator(request, "probation", ProbationForm, _probation)


# --- annual leave ----------------------------------------------------------------------------


def _annual_leave(data) -> dict:
    result = labour.annual_leave(**data)
    facts = result.explanation
    steps = [
        (_("Days a year after %(years)s years worked in total")
         % {"years": _number(data["cumulative_years_worked"])}, str(result.full_year_days)),
        (_("Days at this employer in %(year)s (%(start)s to %(end)s)")
         % {"year": data["year"], "start": date_format(facts["period_start"]),
            "end": date_format(facts["period_end"])}, str(facts["days_at_employer"])),
    ]
    if not facts["whole_year"]:
        steps.append((_("%(days)s ÷ 365 × %(full)s, fractions of a day dropped")
                      % {"days": facts["days_at_employer"], "full": result.full_year_days},
                      f"{_exact(facts['pro_rata_exact'], 2)} → {result.prorated_days}"))
    steps += [
        (_("Days taken"), _number(data["taken_days"])),
        (_("Unused days payable"), _number(result.unused_days_payable)),
        (_("Daily wage = %(wage)s ÷ %(days)s")
         % {"wage": money(data["average_monthly_wage"]), "days": labour.MONTHLY_PAID_DAYS},
         _exact(facts["daily_wage_exact"], 2)),
        (_("Extra pay = unused days × daily wage × 200 %"), money(result.unused_leave_extra_pay)),
    ]
    notes = []
    if result.full_year_days == 0:
        notes.append(_("Paid annual leave starts after 12 months of continuous work "
                       "(Regulations on Paid Annual Leave Art. 2)."))
    if facts["leaving"]:
        notes.append(_("Leaving: the days taken come off before fractions are dropped; leave "
                       "taken beyond the pro rata is not clawed back (Implementing Measures "
                       "Art. 12)."))
    notes.append(_("No leave is due in a year with winter and summer vacations longer than the "
                   "leave, 20 days or more of personal leave without pay deduction, or long "
                   "sick leave (Regulations Art. 4)."))
    return {"result": result, "steps": steps, "notes": notes,
            "unused": _number(result.unused_days_payable)}


@member_required
def annual_leave_calculator(request):
    return _calculator(request, "annual_leave", AnnualLeaveForm, _annual_leave)


# --- economic compensation -------------------------------------------------------------------


def _economic_compensation(data) -> dict:
    result = labour.economic_compensation(**data)
    facts = result.explanation
    service = f"{facts['service_years']} / {facts['service_months']} / {facts['service_days']}"
    steps = [
        (_("Service in years / months / days, first and last day included"), service),
        (_("Months of wage by service length"), _number(facts["n_by_service"])),
        (_("Cap: 3 × local average monthly wage %(wage)s")
         % {"wage": money(data["local_average_monthly_wage"])}, money(facts["high_earner_cap"])),
        (_("Monthly wage used"), money(result.monthly_wage_used)),
        (_("Months of wage used"), _number(result.n)),
        (_("Compensation = months × monthly wage"), money(result.compensation)),
    ]
    notes = [_("Each full year of service counts one month of wage; a remainder of 6 months or "
               "more counts as a year, a shorter one as half a month (Labour Contract Law "
               "Art. 47).")]
    if facts["raised_to_minimum"]:
        notes.append(_("The average wage is below the local minimum wage, so the minimum wage "
                       "counts (Implementing Regulations Art. 27)."))
    if facts["high_earner"]:
        notes.append(_("The wage is above 3 × the local average: the wage used is capped and "
                       "at most 12 years count (Labour Contract Law Art. 47)."))
    if facts["service_before_2008"]:
        notes.append(_("Service before 1 January 2008 follows the rules of that time (Labour "
                       "Contract Law Art. 97): check that part separately."))
    notes.append(_("Unlawful termination costs twice this (Art. 87); ending a contract under "
                   "Art. 40 without 30 days' written notice adds one month's wage."))
    return {"result": result, "steps": steps, "notes": notes, "n": _number(result.n)}


@member_required
def economic_compensation_calculator(request):
    return _calculator(request, "economic_compensation", EconomicCompensationForm,
                       _economic_compensation)
