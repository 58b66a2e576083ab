"""Forms of the bonus pages: a policy (with its scope), the what-if changes, recomputing and
approving a cycle's awards. Services validate and save."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.org.models import Department, Position
from tandem.web.forms import (
    DepartmentChoiceField,
    ServiceErrorsMixin,
    ServiceModelForm,
    StyledFormMixin,
)

from .models import BonusPolicy, CycleStatus, ReviewCycle

SCORED = (CycleStatus.ASSESSMENT, CycleStatus.CALIBRATION, CycleStatus.PUBLISHED,
          CycleStatus.CLOSED)
SCOPE_CHOICES = [("company", _("Whole company")), ("department", _("One department")),
                 ("position", _("One position"))]
FORMULA_WIDGET = forms.Textarea(attrs={"rows": 4, "spellcheck": "false",
                                       "class": "font-monospace", "data-formula": ""})


class PolicyForm(ServiceModelForm):
    scope = forms.ChoiceField(label=_("applies to"), choices=SCOPE_CHOICES, initial="company",
                              help_text=_("A position's policy comes first, then the nearest "
                                          "department's, then the company's."))
    department = DepartmentChoiceField(label=_("department"), queryset=Department.objects.none(),
                                       required=False)
    position = forms.ModelChoiceField(label=_("position"), queryset=Position.objects.none(),
                                      required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BonusPolicy
        fields = ["name", "formula", "base_bonus", "extra_bonus", "minimum_final_score", "cap",
                  "budget", "department", "position", "active"]
        widgets = {"formula": FORMULA_WIDGET}

    field_order = ["name", "formula", "base_bonus", "extra_bonus", "minimum_final_score", "cap",
                   "budget", "scope", "department", "position", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["position"].queryset = Position.objects.order_by("title", "pk")
        policy = self.instance
        if policy.pk is not None:
            self.fields["version"].initial = policy.version
            self.fields["scope"].initial = ("position" if policy.position_id else
                                            "department" if policy.department_id else "company")
        self.style_widgets()

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == "department" and not data.get("department"):
            self.add_error("department", _("Choose the department."))
        if scope == "position" and not data.get("position"):
            self.add_error("position", _("Choose the position."))
        if scope != "department":
            data["department"] = None
        if scope != "position":
            data["position"] = None
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DecimalOrEmpty(forms.DecimalField):
    def __init__(self, label, **kwargs):
        super().__init__(label=label, required=False, max_digits=14, decimal_places=4,
                         **kwargs)


class SimulationForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """What to change for the what-if: blank amounts mean "none" (no threshold, no cap, no
    budget), as on the policy; the two shares are given together or not at all."""

    cycle = forms.ModelChoiceField(label=_("Review cycle"), queryset=ReviewCycle.objects.none(),
                                   empty_label=None)
    formula = forms.CharField(label=_("formula"), max_length=1000, widget=FORMULA_WIDGET)
    base_bonus = forms.DecimalField(label=_("base bonus"), max_digits=14, decimal_places=2,
                                    min_value=0)
    extra_bonus = forms.DecimalField(label=_("extra bonus"), max_digits=14, decimal_places=2,
                                     min_value=0)
    minimum_final_score = DecimalOrEmpty(_("lowest final score paid"))
    cap = DecimalOrEmpty(_("most per person"), min_value=0)
    budget = DecimalOrEmpty(_("budget"), min_value=0)
    okr_weight = DecimalOrEmpty(_("OKR share"), min_value=0, max_value=1,
                                help_text=_("A fraction, e.g. 0.4; blank: the shares each review froze."))
    kpi_weight = DecimalOrEmpty(_("KPI share"), min_value=0, max_value=1)

    def __init__(self, *args, policy: BonusPolicy | None = None, **kwargs):
        if policy is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "formula": policy.formula, "base_bonus": policy.base_bonus,
                "extra_bonus": policy.extra_bonus,
                "minimum_final_score": policy.minimum_final_score, "cap": policy.cap,
                "budget": policy.budget}
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = ReviewCycle.objects.filter(status__in=SCORED).order_by(
            "-created_at", "-pk")
        self.style_widgets()

    def clean(self):
        data = super().clean()
        if (data.get("okr_weight") is None) != (data.get("kpi_weight") is None):
            self.add_error("okr_weight", _("Give both shares or neither."))
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("formula", "base_bonus", "extra_bonus",
                                              "minimum_final_score", "cap", "budget",
                                              "okr_weight", "kpi_weight")}


class MonthField(forms.DateField):
    """A month, typed as 2027-01 (the month picker) or a date in it: its first day."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if isinstance(day, date) else day


class ApproveForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    month = MonthField(label=_("pay month"),
                       widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    annual_bonus = forms.TypedChoiceField(
        label=_("paid as"), coerce=lambda value: value == "annual", initial="regular",
        choices=[("regular", _("A regular bonus, taxed with the month's wage")),
                 ("annual", _("The annual one-time bonus"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
