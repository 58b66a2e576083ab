"""Forms of the labour-law calculator pages (overtime, probation, annual leave, economic
compensation). They check input only; `pay.labour` computes. The cross-field checks are
functions the API serializers share, so a page and an API call refuse the same input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.web.forms import DateInput, StyledFormMixin

from .labour import ContractType

# Bounds shared with the API serializers.
MONEY_DIGITS = 14
MAX_MONTH_HOURS = Decimal(744)  # 31 days × 24 h: no month has more hours
MAX_TERM_MONTHS = 1200
FIRST_LEAVE_YEAR = 2008  # 职工带薪年休假条例 in force from 2008-01-01
LAST_YEAR = 2100
MAX_YEARS_WORKED = Decimal(80)

CONTRACT_TYPE_CHOICES = [
    (ContractType.FIXED.value, _("Fixed term")),
    (ContractType.OPEN_ENDED.value, _("Open-ended")),
    (ContractType.TASK.value, _("For a specific task")),
    (ContractType.PART_TIME.value, _("Part-time")),
]


def probation_errors(contract_type: str | None, term_months: int | None) -> dict[str, str]:
    """A fixed-term contract needs its term (劳动合同法 Art. 19 sets the limit by it)."""
    if contract_type == ContractType.FIXED and term_months is None:
        return {"term_months": _("Give the term of a fixed-term contract in months.")}
    return {}


def annual_leave_errors(year: int | None, join_date: date | None,
                        leave_date: date | None) -> dict[str, str]:
    """Dates that leave no day at the employer in the leave year are a typo, not a case."""
    errors: dict[str, str] = {}
    if year is None:
        return errors
    if join_date and join_date.year > year:
        errors["join_date"] = _("The join date is after the year.")
    if leave_date and leave_date.year < year:
        errors["leave_date"] = _("The leaving date is before the year.")
    if join_date and leave_date and leave_date < join_date and "leave_date" not in errors:
        errors["leave_date"] = _("The leaving date is before the join date.")
    return errors


def service_errors(service_start: date | None, service_end: date | None) -> dict[str, str]:
    if service_start and service_end and service_end < service_start:
        return {"service_end": _("The last day of service is before the first.")}
    return {}


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=MONEY_DIGITS, decimal_places=2,
                              min_value=Decimal(0), **kwargs)


def hours_field(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=5, decimal_places=2, min_value=Decimal(0),
                              max_value=MAX_MONTH_HOURS, initial=Decimal(0))


class CalculatorForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.setdefault("inputmode", "decimal")

    def add_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name, message)


class OvertimeForm(CalculatorForm):
    monthly_wage = money_field(_("Monthly wage"), help_text=_(
        "The wage overtime is paid on, in CNY a month."))
    workday_hours = hours_field(_("Overtime hours on workdays (150 %)"))
    rest_day_hours = hours_field(_("Hours on rest days without time off in lieu (200 %)"))
    holiday_hours = hours_field(_("Hours on statutory holidays (300 %)"))


class ProbationForm(CalculatorForm):
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=CONTRACT_TYPE_CHOICES,
                                      initial=ContractType.FIXED.value)
    term_months = forms.IntegerField(
        label=_("Contract term in months"), required=False, min_value=1,
        max_value=MAX_TERM_MONTHS, help_text=_("Fixed-term contracts only; 3 years is 36."))
    contract_wage = money_field(_("Contract wage"), help_text=_("In CNY a month."))
    local_minimum_wage = money_field(_("Local minimum wage"), help_text=_(
        "The monthly minimum wage where the employer is."))
    had_probation_with_employer = forms.BooleanField(
        label=_("The employee has already had a probation with this employer"), required=False)

    def clean(self):
        data = super().clean()
        self.add_errors(probation_errors(data.get("contract_type"), data.get("term_months")))
        return data


class AnnualLeaveForm(CalculatorForm):
    year = forms.IntegerField(label=_("Leave year"), min_value=FIRST_LEAVE_YEAR,
                              max_value=LAST_YEAR)
    cumulative_years_worked = forms.DecimalField(
        label=_("Years worked in total"), max_digits=4, decimal_places=1, min_value=Decimal(0),
        max_value=MAX_YEARS_WORKED,
        help_text=_("With every employer, up to the leave year (1.5 is a year and a half)."))
    join_date = forms.DateField(label=_("Joined this employer on"), required=False,
                                widget=DateInput(), help_text=_("Only if it was in the year."))
    leave_date = forms.DateField(label=_("Last day at this employer"), required=False,
                                 widget=DateInput(), help_text=_("Only if leaving in the year."))
    taken_days = forms.DecimalField(label=_("Leave days taken this year"), max_digits=4,
                                    decimal_places=1, min_value=Decimal(0), max_value=366,
                                    initial=Decimal(0))
    average_monthly_wage = money_field(_("Average monthly wage"), help_text=_(
        "Over the last 12 months, overtime pay excluded."))

    def clean(self):
        data = super().clean()
        self.add_errors(annual_leave_errors(data.get("year"), data.get("join_date"),
                                            data.get("leave_date")))
        return data


class EconomicCompensationForm(CalculatorForm):
    service_start = forms.DateField(label=_("First day of service"), widget=DateInput())
    service_end = forms.DateField(label=_("Last day of service"), widget=DateInput())
    average_monthly_wage = money_field(_("Average monthly wage"), help_text=_(
        "Over the 12 months before the end (or the months worked, if fewer), bonuses, "
        "allowances and subsidies included."))
    local_average_monthly_wage = money_field(_("Local average monthly wage"), help_text=_(
        "Of the previous year, as the city government published it."))
    local_minimum_wage = money_field(_("Local minimum wage"), required=False, help_text=_(
        "Optional: a lower average wage counts as the minimum wage."))

    def clean(self):
        data = super().clean()
        self.add_errors(service_errors(data.get("service_start"), data.get("service_end")))
        return data
