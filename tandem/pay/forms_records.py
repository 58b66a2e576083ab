"""Forms of the salary-data pages: they read the input; `pay.services` (and its siblings)
validate the whole record and save it, and their errors land on the fields they name."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.versioning import VersionedFormMixin
from tandem.org.models import Department, Employee
from tandem.web.forms import (
    DateInput,
    DepartmentChoiceField,
    ServiceModelForm,
    StyledFormMixin,
)

from .imports import DECLARABLE
from .models import (
    AttendanceSummary,
    City,
    DeductionCategory,
    DeductionDeclaration,
    FixedPayItem,
    PayItem,
    PayItemType,
    SalaryProfile,
)
from .services import ATTENDANCE_FIELDS


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month (<input type="month">), as the first day of the month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        result = super().to_python(value)
        return result.replace(day=1) if result else result


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.employee_number} {obj.display_name}"


def _employee_field() -> EmployeeChoiceField:
    return EmployeeChoiceField(label=_("employee"), queryset=Employee.objects.none())


class _EmployeeFormMixin:
    """The employee is chosen on create and fixed on edit (a record never moves)."""

    def _setup_employee(self):
        if self.instance.pk is None:
            self.fields["employee"].queryset = Employee.objects.order_by("employee_number")
        else:
            del self.fields["employee"]


class SalaryProfileForm(_EmployeeFormMixin, VersionedFormMixin, ServiceModelForm):
    employee = _employee_field()
    bank_account = forms.CharField(
        label=_("bank account"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))

    class Meta:
        model = SalaryProfile
        fields = ["employee", "effective_from", "base_monthly_wage", "city", "insurance_base",
                  "housing_fund_base", "housing_fund_rate", "supplementary_housing_fund_rate",
                  "housing_fund_transferred", "first_wage_income_of_year", "bank_name",
                  "bank_account", "note"]
        widgets = {"effective_from": DateInput}
        help_texts = {"housing_fund_rate": _("A fraction, e.g. 0.07 for 7 %.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_employee()
        self.fields["city"].queryset = City.objects.all()
        if self.instance.pk is not None:
            # The account is never sent back to the browser: empty keeps it.
            self.initial["bank_account"] = ""
            self.fields["bank_account"].help_text = _(
                "Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.masked_bank_account or "—"}

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.instance.pk is not None and not data.get("bank_account"):
            data.pop("bank_account", None)
        return data


class FixedItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = FixedPayItem
        fields = ["kind", "name", "amount", "taxable"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.style_widgets()

    def _post_clean(self):
        """The service validates the items with the profile."""


FixedItemFormSet = forms.formset_factory(FixedItemForm, extra=2, can_delete=True)


def items_of(formset) -> list[dict]:
    """The filled, kept rows of the fixed-items formset, as the service takes them."""
    items = []
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        if not data or data.get("DELETE") or not (data.get("name") or data.get("amount")):
            continue
        items.append({"kind": data.get("kind") or "allowance", "name": data.get("name"),
                      "amount": data.get("amount"), "taxable": bool(data.get("taxable"))})
    return items


class DeclarationForm(_EmployeeFormMixin, VersionedFormMixin, ServiceModelForm):
    employee = _employee_field()
    category = forms.ChoiceField(label=_("category"), choices=DECLARABLE)
    from_month = MonthField(label=_("from month"))
    to_month = MonthField(label=_("to month"), required=False,
                          help_text=_("Empty while it lasts."))

    class Meta:
        model = DeductionDeclaration
        fields = ["employee", "category", "variant", "share", "monthly_amount", "dependant",
                  "from_month", "to_month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_employee()


class PayItemForm(_EmployeeFormMixin, VersionedFormMixin, ServiceModelForm):
    employee = _employee_field()
    month = MonthField(label=_("month"))
    adjusts_month = MonthField(label=_("corrects month"), required=False,
                               help_text=_("A correction only: the earlier month it corrects."))

    class Meta:
        model = PayItem
        fields = ["employee", "month", "kind", "name", "amount", "taxable",
                  "annual_bonus_method", "adjusts_month", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_employee()


class AttendanceRowForm(StyledFormMixin, forms.ModelForm):
    """One employee's row of the month's grid."""

    class Meta:
        model = AttendanceSummary
        fields = list(ATTENDANCE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            field.widget.attrs["aria-label"] = str(field.label)
            if name != "note":
                field.widget.attrs.update({"inputmode": "decimal", "class": "td-grid-number"})
        self.fields["note"].widget.attrs["class"] = "td-grid-note"
        self.style_widgets()

    def _post_clean(self):
        """The service validates the summary."""

    def filled(self) -> bool:
        return any(value not in (None, "") for value in self.cleaned_data.values())

    def service_fields(self) -> dict:
        """Empty cells as the model's defaults; paid days has none and stays required."""
        return {name: AttendanceSummary._meta.get_field(name).get_default()
                if value in (None, "") else value
                for name, value in self.cleaned_data.items()}


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ProfileFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput(attrs={
                            "placeholder": _("Name or employee number"),
                            "autocomplete": "off"}))
    department = DepartmentChoiceField(label=_("department"), queryset=Department.objects.none(),
                                       required=False, empty_label=_("All departments"))
    city = forms.ModelChoiceField(label=_("city"), queryset=City.objects.none(),
                                  required=False, empty_label=_("All cities"))
    current = forms.BooleanField(label=_("In force today only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["city"].queryset = City.objects.all()
        self.style_widgets()

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "department": data.get("department"),
                "city": data.get("city"), "current_only": bool(data.get("current"))}


class DeclarationFilterForm(StyledFormMixin, forms.Form):
    q = ProfileFilterForm.base_fields["q"]
    category = forms.ChoiceField(label=_("category"), required=False,
                                 choices=[("", _("All categories")),
                                          *DeductionCategory.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "category": data.get("category") or ""}


def this_month() -> date:
    return timezone.localdate().replace(day=1)


class MonthFilterForm(StyledFormMixin, forms.Form):
    month = MonthField(label=_("month"), required=False)
    q = ProfileFilterForm.base_fields["q"]
    kind = forms.ChoiceField(label=_("kind"), required=False,
                             choices=[("", _("All kinds")), *PayItemType.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"month": data.get("month") or this_month(), "q": data.get("q") or "",
                "kind": data.get("kind") or ""}


class YearFilterForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("tax year"), required=False, min_value=2019,
                              max_value=2100)
    q = ProfileFilterForm.base_fields["q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"year": data.get("year") or timezone.localdate().year, "q": data.get("q") or ""}

