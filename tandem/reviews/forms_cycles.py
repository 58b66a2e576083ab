"""Forms of the review cycle set-up and the calibration board. They check input and offer the
choices that make sense; `reviews.services` validates and writes (its errors land on the
fields they name)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from tandem.core.versioning import VersionedFormMixin
from tandem.goals.models import Cycle
from tandem.org.models import Department, Employee, EmployeeStatus
from tandem.web.forms import (
    DateInput,
    ServiceErrorsMixin,
    ServiceModelForm,
    StyledFormMixin,
    tree_order,
)

from .models import ReviewCycle
from .services import CYCLE_FIELDS


class DepartmentsChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return "\u3000" * getattr(obj, "tree_depth", 0) + obj.display_name


class PeopleChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        department = obj.department.display_name if obj.department_id else ""
        return f"{obj.display_name} ({obj.employee_number}) · {department}"


class CycleForm(VersionedFormMixin, ServiceModelForm):
    """New or draft cycle: what is reviewed, who, which steps and their deadlines. Manager
    assessment and publication are always steps."""

    class Meta:
        model = ReviewCycle
        fields = ["name", "goal_cycles", "scope", "departments", "people", "self_assessment",
                  "peer_feedback", "calibration", "acknowledgement", "self_deadline",
                  "manager_deadline", "calibration_deadline", "acknowledgement_deadline"]
        field_classes = {"goal_cycles": SafeModelMultipleChoiceField,
                         "departments": DepartmentsChoiceField, "people": PeopleChoiceField}
        widgets = {"scope": forms.RadioSelect, "self_deadline": DateInput,
                   "manager_deadline": DateInput, "calibration_deadline": DateInput,
                   "acknowledgement_deadline": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_cycles"].queryset = Cycle.objects.order_by("-start")
        self.fields["goal_cycles"].help_text = _("The objectives and KPIs of these cycles are "
                                                 "the evidence of the review.")
        departments = tree_order(list(Department.objects.all()))
        self.fields["departments"].queryset = Department.objects.all()
        self.fields["departments"].choices = [
            (department.pk, self.fields["departments"].label_from_instance(department))
            for department in departments]
        self.fields["departments"].help_text = _("Each with the departments below it.")
        self.fields["people"].queryset = Employee.objects.exclude(
            status=EmployeeStatus.LEFT).select_related("department").order_by("employee_number")
        for name in ("goal_cycles", "departments", "people"):
            self.fields[name].widget.attrs["size"] = 8
        self.fields["manager_deadline"].help_text = _(
            "Manager assessment and publication are always steps of a review.")
        # RadioSelect takes the class of each input (ServiceModelForm styled it as a box).
        self.fields["scope"].widget.attrs["class"] = "form-check-input"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in CYCLE_FIELDS if name in data}
        kwargs["goal_cycles"] = list(data.get("goal_cycles") or [])
        kwargs["departments"] = list(data.get("departments") or [])
        kwargs["people"] = list(data.get("people") or [])
        return kwargs


class GradeMoveForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """Move one person's grade in calibration; the service requires the reason."""

    grade = forms.ChoiceField(label=_("grade"))
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)

    def __init__(self, *args, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [(grade, grade) for grade in grades]
        self.style_widgets()


class ReturnForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """Send an assessed review back to the manager; the service requires the reason."""

    reason = forms.CharField(label=_("what to look at again"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class BoardFilterForm(StyledFormMixin, forms.Form):
    """The calibration board's department filter and the forced distribution switch."""

    department = forms.TypedChoiceField(label=_("department"), required=False, coerce=int,
                                        empty_value=None)
    show_distribution = forms.BooleanField(label=_("show forced distribution"),
                                           required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (department.pk, "\u3000" * getattr(department, "tree_depth", 0)
             + department.display_name) for department in tree_order(list(departments))]
        self.style_widgets()

    def chosen(self) -> tuple[int | None, bool]:
        if not self.is_valid():
            return None, False
        return self.cleaned_data["department"], self.cleaned_data["show_distribution"]

