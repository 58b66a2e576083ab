"""Forms of the income-tax calculator pages. They check input only; `pay.tax` computes."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.web.forms import DateInput, StyledFormMixin

from . import tax

MAX_MONEY = Decimal(10**12)
MONTH_CHOICES = [(month, month) for month in range(1, 13)]


def money_field(label, *, required=False, help_text="", min_value=Decimal(0)):
    return forms.DecimalField(
        label=label, required=required, help_text=help_text, max_digits=14, decimal_places=2,
        min_value=min_value, max_value=MAX_MONEY,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


class StyledForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class MonthFiguresForm(StyledForm):
    """One month's figures (STA 2018 No. 61 Art. 6); empty deductions count as 0."""

    income = money_field(_("Wage income"), required=True)
    tax_free_income = money_field(_("Tax-free income"))
    special_deductions = money_field(
        _("Special deductions"),
        help_text=_("Your own pension, medical, unemployment and housing fund shares."))
    special_additional_deductions = money_field(
        _("Special additional deductions"),
        help_text=_("Children's education, elderly support, housing loan or rent, and so on."))
    other_deductions = money_field(_("Other deductions"))

    def month_income(self) -> tax.MonthIncome:
        data = self.cleaned_data
        return tax.MonthIncome(**{name: data.get(name) or tax.ZERO for name in self.fields})


class WithholdingScheduleForm(StyledForm):
    """When the months start and how many there are (in the per-month mode the month forms
    say how many, and `months` is left out)."""

    first_month = forms.TypedChoiceField(
        label=_("First month at this employer this year"), choices=MONTH_CHOICES, coerce=int,
        initial=1)
    months = forms.IntegerField(label=_("Number of months"), min_value=1, max_value=12,
                                initial=12)
    first_wage_income_of_year = forms.BooleanField(
        label=_("This is my first wage income this year (e.g. a new graduate)"), required=False,
        help_text=_("The basic deduction then counts every month of the year so far."))

    def __init__(self, *args, per_month: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if per_month:
            del self.fields["months"]

    def clean(self):
        data = super().clean()
        first, count = data.get("first_month"), data.get("months")
        if first is not None and count is not None and count > 13 - first:
            self.add_error("months", _(
                "Starting in month %(first)d, at most %(count)d months fit in the tax year.")
                % {"first": first, "count": 13 - first})
        return data

    def check_month_count(self, count: int) -> bool:
        """In the per-month mode: the months must fit between first_month and December."""
        first = self.cleaned_data.get("first_month")
        if first is not None and count > 13 - first:
            self.add_error("first_month", _(
                "Starting in month %(first)d, at most %(count)d months fit in the tax year.")
                % {"first": first, "count": 13 - first})
            return False
        return True


class BaseMonthFormSet(forms.BaseFormSet):
    def __init__(self, *args, first_month: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_month = first_month
        for index, form in enumerate(self.forms):
            form.calendar_month = first_month + index
            for field in form.fields.values():
                field.help_text = ""  # said once above the months, not twelve times


MonthFormSet = forms.formset_factory(
    MonthFiguresForm, formset=BaseMonthFormSet, extra=0, min_num=1, max_num=12,
    validate_min=True, validate_max=True, absolute_max=12)


class AnnualBonusForm(StyledForm):
    bonus = money_field(_("Annual one-time bonus"), required=True)
    other_annual_taxable_income = money_field(
        _("Other taxable income of the year (optional)"), min_value=-MAX_MONEY,
        help_text=_("The year's wages and other comprehensive income after all deductions, "
                    "without the bonus. Given, both methods are compared."))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), required=False,
                              help_text=_("Today when left empty."))

    def calculation(self) -> tax.BonusTax:
        data = self.cleaned_data
        return tax.annual_bonus_tax(
            data["bonus"], other_annual_taxable_income=data.get("other_annual_taxable_income"),
            on=data.get("paid_on") or timezone.localdate())
