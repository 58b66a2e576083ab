"""Forms of the OKR pages. They check input and offer the choices that make sense for the
acting person; `goals.services` decides what that person may do and validates the result."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from tandem.core.permissions import is_people_admin
from tandem.core.versioning import VersionedFormMixin
from tandem.org.models import Department, Employee, EmployeeStatus
from tandem.web.forms import (
    DateInput,
    DepartmentChoiceField,
    ServiceErrorsMixin,
    ServiceModelForm,
    StyledFormMixin,
)

from .models import Cycle as CycleModel
from .models import CycleStatus, KeyResult, Level, MeasureType, Objective
from .services import MilestoneSpec
from .target_changes import approved_before


def offer_levels_and_owners(form, actor, *, admin: bool) -> None:
    """The levels and owners `actor` may write an objective for, on `form`'s `level`,
    `owner_department` and `owner_employee` fields: themself always, the departments they lead
    (and the people in them), and everything for HR and administrators. The services decide;
    this only narrows what the form offers."""
    levels = [(Level.INDIVIDUAL, Level.INDIVIDUAL.label)]
    if admin or actor.managed_department_ids:
        levels.append((Level.DEPARTMENT, Level.DEPARTMENT.label))
    if admin:
        levels.append((Level.COMPANY, Level.COMPANY.label))
    form.fields["level"].choices = levels
    form.fields["level"].initial = Level.INDIVIDUAL
    departments = Department.objects.all()
    people = Employee.objects.exclude(status=EmployeeStatus.LEFT).order_by("name")
    if not admin:
        departments = departments.filter(pk__in=actor.managed_department_ids)
        mine = Q(department__in=actor.managed_department_ids)
        if actor.employee is not None:
            mine |= Q(pk=actor.employee.pk)
        people = people.filter(mine)
    form.fields["owner_department"].queryset = departments
    form.fields["owner_employee"].queryset = people
    form.fields["owner_employee"].initial = actor.employee.pk if actor.employee else None

class EmployeeChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.employee_number})"


class ObjectiveChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} · {obj.owner_name} ({obj.cycle.name})"


class ObjectiveForm(VersionedFormMixin, ServiceModelForm):
    """Create (every field) or edit (wording, kind, weight, alignment) an objective."""

    EDIT_FIELDS = ("title", "description", "kind", "weight", "parent")

    class Meta:
        model = Objective
        fields = ["cycle", "level", "owner_department", "owner_employee", "title",
                  "description", "kind", "weight", "parent"]
        field_classes = {"cycle": SafeModelChoiceField, "owner_department": DepartmentChoiceField,
                         "owner_employee": EmployeeChoiceField, "parent": ObjectiveChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, actor, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        admin = is_people_admin(actor.user)
        editing = self.instance.pk is not None
        open_cycles = CycleModel.objects.exclude(status=CycleStatus.CLOSED)
        parents = (Objective.objects.select_related("cycle", "owner_department",
                                                    "owner_employee")
                   .filter(cycle__in=open_cycles)
                   .exclude(level=Level.INDIVIDUAL).order_by("level", "title"))
        if editing:
            for name in list(self.fields):
                if name not in self.EDIT_FIELDS and name != "version":
                    del self.fields[name]
            parents = parents.exclude(pk=self.instance.pk)
        else:
            self.fields["cycle"].queryset = open_cycles
            self.fields["cycle"].initial = cycle.pk if cycle is not None else None
            offer_levels_and_owners(self, actor, admin=admin)
            self.fields["owner_department"].help_text = _("For a department objective.")
            self.fields["owner_employee"].help_text = _("For an individual objective.")
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _(
            "The department or company objective this one serves.")

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.EDIT_FIELDS}


class KeyResultForm(VersionedFormMixin, ServiceModelForm):
    EDIT_FIELDS = ("title", "owner", "start_value", "target_value", "unit", "weight", "due",
                   "parent_key_result", "cascade_share", "driven_by_objective")

    milestone_titles = forms.CharField(
        label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a milestone key result: one milestone per line."))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the history."))

    class Meta:
        model = KeyResult
        fields = ["title", "owner", "measure_type", "start_value", "target_value", "unit",
                  "weight", "due", "parent_key_result", "cascade_share", "driven_by_objective"]
        field_classes = {"owner": EmployeeChoiceField, "parent_key_result": SafeModelChoiceField,
                         "driven_by_objective": ObjectiveChoiceField}
        widgets = {"due": DateInput()}

    def __init__(self, *args, objective: Objective, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective = objective
        editing = self.instance.pk is not None
        if editing:
            del self.fields["measure_type"]
            del self.fields["milestone_titles"]
            if approved_before(objective):
                self.fields["reason"].help_text = _(
                    "Required when you ease the target: the objective is approved, and your "
                    "lead sees the reason.")
        else:
            del self.fields["reason"]
        for name in ("start_value", "target_value"):
            self.fields[name].required = False
        self.fields["target_value"].help_text = _(
            "Left as is for a cascaded key result: its target is the parent's × the share.")
        self.fields["owner"].queryset = Employee.objects.exclude(
            status=EmployeeStatus.LEFT).order_by("name")
        ancestors = []
        current = objective
        while current.parent_id is not None and len(ancestors) < 10:
            current = current.parent
            ancestors.append(current.pk)
        self.fields["parent_key_result"].queryset = KeyResult.objects.filter(
            objective__in=ancestors)
        self.fields["driven_by_objective"].queryset = Objective.objects.select_related(
            "cycle", "owner_department", "owner_employee").filter(parent=objective)

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.EDIT_FIELDS}
        if self.instance.pk is None:
            data["measure_type"] = self.cleaned_data["measure_type"]
            data["milestones"] = [
                MilestoneSpec(title=line.strip(), weight=Decimal(1))
                for line in self.cleaned_data.get("milestone_titles", "").splitlines()
                if line.strip()]
        for name in ("start_value", "target_value"):
            if data[name] is None:
                data.pop(name)
        return data


class CheckInForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    value = forms.DecimalField(label=_("New value"), required=False, max_digits=18,
                               decimal_places=4)
    milestone = forms.TypedChoiceField(label=_("Milestone"), required=False, coerce=int)
    milestone_done = forms.BooleanField(label=_("Done"), required=False)
    confidence = forms.IntegerField(label=_("Confidence (0–10)"), min_value=0, max_value=10,
                                    initial=7)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, key_result: KeyResult, **kwargs):
        super().__init__(*args, prefix=f"kr{key_result.pk}", **kwargs)
        self.key_result = key_result
        if key_result.measure_type == MeasureType.MILESTONE:
            del self.fields["value"]
            self.fields["milestone"].choices = [
                (m.pk, m.title) for m in key_result.milestones.all()]
            self.fields["milestone"].required = True
        else:
            del self.fields["milestone"]
            del self.fields["milestone_done"]
            self.fields["value"].required = True
            # Plain digits: a normalised Decimal would render as 2.62E+5 in the input.
            self.fields["value"].initial = f"{key_result.current_value.normalize():f}"
            if key_result.measure_type == MeasureType.BOOLEAN:
                self.fields["value"].help_text = _("1 when done, 0 when not.")
        self.style_widgets()

    def service_kwargs(self) -> dict:
        data = {"confidence": self.cleaned_data["confidence"],
                "comment": self.cleaned_data.get("comment", "")}
        if "milestone" in self.fields:
            by_pk = {m.pk: m for m in self.key_result.milestones.all()}
            data["milestone"] = by_pk.get(self.cleaned_data["milestone"])
            data["milestone_done"] = self.cleaned_data.get("milestone_done", False)
        else:
            data["value"] = self.cleaned_data["value"]
        return data
