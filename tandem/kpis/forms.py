"""Forms of the KPI pages. They check input and offer the choices that make sense for the
acting person; `kpis.services` and `kpis.links` decide what that person may do and validate
the result (their errors land on the fields they name). Percentages are typed as percents
(120) and handed to the services as fractions (1.2)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from tandem.core.versioning import VersionedFormMixin
from tandem.goals.models import Cycle, CycleStatus, KeyResult, MeasureType
from tandem.org.models import Department, Employee, EmployeeStatus, Position
from tandem.web.forms import (
    DateInput,
    DepartmentChoiceField,
    ServiceErrorsMixin,
    ServiceModelForm,
    StyledFormMixin,
)

from .models import ActualSource, Assignment, Indicator, LinkMode, RuleKind

HUNDRED = Decimal(100)


def plain(value) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


class PercentField(forms.DecimalField):
    """A fraction typed and shown as a percent: 120 ↔ 1.2."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return plain(value * HUNDRED)
        return value

    def clean(self, value):
        number = super().clean(value)
        return None if number is None else number / HUNDRED


class EmployeeChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.employee_number})"


class EmployeesChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        department = obj.department.display_name if obj.department_id else ""
        return f"{obj.display_name} ({obj.employee_number}) · {department}"


class IndicatorChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = f" ({obj.unit})" if obj.unit else ""
        return f"{obj.code} {obj.display_name}{unit}"


class KeyResultChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = f" ({obj.unit})" if obj.unit else ""
        owner = obj.owner.name if obj.owner_id else obj.objective.owner_name
        return f"{obj.title}{unit} · {obj.objective.title} · {owner}"


# ---------------------------------------------------------------------------------------------
# The library

_BAND_LINE = re.compile(r"^\s*([0-9.]+)\s*%?\s*[,，:=→>\s]\s*([0-9.]+)\s*$")


def bands_to_text(bands) -> str:
    return "\n".join(f"{plain(Decimal(str(low)) * HUNDRED)} {plain(Decimal(str(score)))}"
                     for low, score in bands or [])


def text_to_bands(text: str) -> list[list[str]]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _BAND_LINE.match(line)
        try:
            low, score = Decimal(match[1]), Decimal(match[2])
        except (TypeError, InvalidOperation):
            raise ValidationError(
                _("Line %(line)s: write the minimum attainment in percent and the score, "
                  "e.g. “100 100”.") % {"line": number}) from None
        rows.append([str(low / HUNDRED), str(score)])
    return rows


class IndicatorForm(VersionedFormMixin, ServiceModelForm):
    """Create or edit an indicator of the library. The bands, the penalty points and the
    cap and floor only matter for some rules; the page shows them for those (kpis.js)."""

    cap = PercentField(label=_("Cap (%)"), required=False,
                       help_text=_("Attainment counts up to this percent (120 by default)."))
    floor = PercentField(label=_("Floor (%)"), required=False,
                         help_text=_("Below this attainment the indicator scores 0; empty: no "
                                     "floor."))
    bands = forms.CharField(
        label=_("Bands"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One band per line: minimum attainment in percent, then the score, e.g. "
                    "“100 100”. Empty: 120 → 120, 100 → 100, 80 → 80, 60 → 60."))
    tags = forms.CharField(label=_("Tags"), required=False, max_length=400,
                           help_text=_("Separated by commas."))

    RULE_FIELDS = {"bands": "banded", "points_per_unit": "penalty"}

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "description", "unit", "category", "direction",
                  "aggregation", "rule", "capped", "cap", "floor", "bands", "points_per_unit",
                  "tags", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None:
            self.initial["bands"] = bands_to_text(instance.bands)
            self.initial["tags"] = ", ".join(instance.tags or [])
        else:
            self.initial.setdefault("cap", instance.cap)
            self.initial.setdefault("floor", instance.floor)
            del self.fields["active"]
        self.fields["points_per_unit"].required = False
        for name, rule in self.RULE_FIELDS.items():
            self.fields[name].widget.attrs["data-kpi-rule"] = rule

    def clean_bands(self):
        return text_to_bands(self.cleaned_data.get("bands", ""))

    def clean_tags(self):
        raw = self.cleaned_data.get("tags", "")
        return [tag.strip() for tag in re.split(r"[,，、]", raw) if tag.strip()]

    def clean_cap(self):
        cap = self.cleaned_data.get("cap")
        return cap if cap is not None else Decimal("1.2")

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields
                if name in self.fields}
        if data.get("points_per_unit") is None:
            data["points_per_unit"] = Decimal(0)
        return data


class LibraryFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    inactive = forms.BooleanField(label=_("Show deactivated"), required=False)

    def __init__(self, *args, categories=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c, c) for c in categories]
        self.fields["tag"].choices = [("", _("All tags"))] + [(t, t) for t in tags]
        self.style_widgets()


# ---------------------------------------------------------------------------------------------
# Assignments


class AssigneeKind:
    EMPLOYEE = "employee"
    DEPARTMENT = "department"
    POSITION = "position"
    CHOICES = ((EMPLOYEE, _("A person")), (DEPARTMENT, _("A department")),
               (POSITION, _("A position")))


def _assignable(actor):
    """People and departments `actor` may assign to (services.may_assign_to, as sets)."""
    people = Employee.objects.exclude(status=EmployeeStatus.LEFT).select_related(
        "department").order_by("name", "pk")
    departments = Department.objects.all()
    if not (actor.is_admin or actor.is_hr):
        managed = sorted(actor.managed_department_ids)
        people = people.filter(department_id__in=managed)
        if actor.employee is not None:
            people = people.exclude(pk=actor.employee.pk)
        departments = departments.filter(parent_id__in=managed)
    return people, departments


class AssignmentFieldsMixin:
    """Target, weight (in percent), thresholds, rule override, source of the actual."""

    def setup_common(self):
        self.fields["weight"] = PercentField(
            label=_("Weight (%)"), help_text=_("Share of the assignee's KPI score; in a "
                                               "cycle, an assignee's weights add up to 100 %."))
        self.fields["cap"] = PercentField(label=_("Cap (%)"), required=False,
                                          help_text=_("Empty: the indicator's."))
        self.fields["floor"] = PercentField(label=_("Floor (%)"), required=False,
                                            help_text=_("Empty: the indicator's."))


class AssignmentForm(VersionedFormMixin, AssignmentFieldsMixin, ServiceModelForm):
    """Create (one assignee) or edit an assignment."""

    assignee_kind = forms.ChoiceField(label=_("Assign to"), choices=AssigneeKind.CHOICES,
                                      initial=AssigneeKind.EMPLOYEE)
    EDIT_FIELDS = ("target", "weight", "threshold_floor", "threshold_stretch", "rule", "cap",
                   "floor", "actual_source")

    class Meta:
        model = Assignment
        fields = ["cycle", "indicator", "employee", "department", "position", "target",
                  "weight", "threshold_floor", "threshold_stretch", "rule", "cap", "floor",
                  "actual_source"]
        field_classes = {"cycle": SafeModelChoiceField, "indicator": IndicatorChoiceField,
                         "employee": EmployeeChoiceField, "department": DepartmentChoiceField,
                         "position": SafeModelChoiceField}

    def __init__(self, *args, actor, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_common()
        self.fields["rule"].help_text = _("Empty: the indicator's rule.")
        self.fields["rule"].choices = [("", _("The indicator's rule"))] + list(
            RuleKind.choices)
        self.fields["actual_source"].help_text = _(
            "Linked key results or the assignment's own figures (entry, import, API); never "
            "both added.")
        self.fields["actual_source"].choices = ActualSource.choices
        if self.instance.pk is not None:
            for name in list(self.fields):
                if name not in self.EDIT_FIELDS and name != "version":
                    del self.fields[name]
            if self.instance.inherited_from_id is not None:
                del self.fields["target"]
                del self.fields["weight"]
        else:
            people, departments = _assignable(actor)
            self.fields["cycle"].queryset = Cycle.objects.exclude(
                status=CycleStatus.CLOSED).order_by("-start")
            self.fields["cycle"].initial = cycle.pk if cycle is not None else None
            self.fields["indicator"].queryset = Indicator.objects.filter(active=True)
            self.fields["employee"].queryset = people
            self.fields["department"].queryset = departments
            self.fields["position"].queryset = Position.objects.order_by("title")
            if not (actor.is_admin or actor.is_hr):
                self.fields["assignee_kind"].choices = AssigneeKind.CHOICES[:2]
                del self.fields["position"]
            del self.fields["actual_source"]
            self.order_fields(["cycle", "indicator", "assignee_kind"])
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("assignee_kind")
        if self.instance.pk is None and kind:
            for name in ("employee", "department", "position"):
                if name != kind:
                    cleaned[name] = None
            if kind in self.fields and not cleaned.get(kind) and kind not in self.errors:
                self.add_error(kind, _("Choose who gets the indicator."))
        return cleaned

    def create_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in
                ("cycle", "indicator", "target", "weight", "threshold_floor",
                 "threshold_stretch", "cap", "floor")}
        data["rule"] = self.cleaned_data.get("rule") or ""
        kind = self.cleaned_data["assignee_kind"]
        data[kind] = self.cleaned_data.get(kind)
        return data

    def changes(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.EDIT_FIELDS
                if name in self.fields}
        data["rule"] = data.get("rule") or ""
        instance = self.instance
        return {name: value for name, value in data.items() if getattr(instance, name) != value}


class BulkAssignForm(AssignmentFieldsMixin, StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """One indicator, target and weight to many people (e.g. a whole department)."""

    cycle = SafeModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())
    indicator = IndicatorChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    department = DepartmentChoiceField(
        label=_("Everyone in a department"), queryset=Department.objects.none(), required=False,
        help_text=_("Its people and those of the departments below it."))
    employees = EmployeesChoiceField(label=_("People"), queryset=Employee.objects.none(),
                                     required=False,
                                     widget=forms.SelectMultiple(attrs={"size": 8}))
    target = forms.DecimalField(label=_("Target"), max_digits=18, decimal_places=4)
    threshold_floor = forms.DecimalField(label=_("Floor value"), max_digits=18,
                                         decimal_places=4, required=False)
    threshold_stretch = forms.DecimalField(label=_("Stretch value"), max_digits=18,
                                           decimal_places=4, required=False)

    def __init__(self, *args, actor, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_common()
        del self.fields["cap"]
        del self.fields["floor"]
        self.actor = actor
        people, departments = _assignable(actor)
        if not (actor.is_admin or actor.is_hr):
            departments = Department.objects.filter(pk__in=actor.managed_department_ids)
        self.fields["cycle"].queryset = Cycle.objects.exclude(
            status=CycleStatus.CLOSED).order_by("-start")
        self.fields["cycle"].initial = cycle.pk if cycle is not None else None
        self.fields["indicator"].queryset = Indicator.objects.filter(active=True)
        self.fields["department"].queryset = departments
        self.fields["employees"].queryset = people
        self.order_fields(["cycle", "indicator", "department", "employees", "target",
                           "weight"])
        self.style_widgets()

    def people(self) -> list:
        """The chosen people and everyone (still employed) in the chosen department's
        subtree; a leader's own record is left to their own leader."""
        from tandem.org.selectors import subtree_ids

        chosen = {person.pk: person for person in self.cleaned_data.get("employees") or []}
        department = self.cleaned_data.get("department")
        if department is not None:
            subtree = subtree_ids(department.company, [department.pk])
            rows = Employee.objects.filter(department_id__in=subtree).exclude(
                status=EmployeeStatus.LEFT).order_by("name", "pk")
            own = self.actor.employee
            for person in rows:
                if own is None or person.pk != own.pk or self.actor.is_admin \
                        or self.actor.is_hr:
                    chosen.setdefault(person.pk, person)
        return list(chosen.values())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("employees") and not cleaned.get("department") \
                and not self.errors:
            self.add_error("employees", _("Choose people or a department."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in
                ("cycle", "indicator", "target", "weight", "threshold_floor",
                 "threshold_stretch")}
        data["employees"] = self.people()
        return data


class AssignmentFilterForm(StyledFormMixin, forms.Form):
    view = forms.ChoiceField(label=_("Show"), required=False, choices=(
        ("employee", _("By person")), ("department", _("By department")),
        ("position", _("By position"))))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class PositionSetForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """The lines of a position's KPI set: indicator, target, weight (%) per line; blank lines
    are ignored. The weights add up to 100 %."""

    LINES = 6

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        indicators = Indicator.objects.filter(active=True)
        for index in range(max(self.LINES, len(lines) + 2)):
            self.fields[f"indicator_{index}"] = IndicatorChoiceField(
                label=_("Indicator"), queryset=indicators, required=False)
            self.fields[f"indicator_{index}"].queryset = indicators  # Safe…Field drops it
            self.fields[f"target_{index}"] = forms.DecimalField(
                label=_("Target"), max_digits=18, decimal_places=4, required=False)
            self.fields[f"weight_{index}"] = PercentField(label=_("Weight (%)"),
                                                          required=False)
        for index, line in enumerate(lines):
            self.initial[f"indicator_{index}"] = line.indicator_id
            self.initial[f"target_{index}"] = plain(line.target)
            self.initial[f"weight_{index}"] = line.weight
        self.style_widgets()

    @property
    def rows(self) -> list[list]:
        count = len(self.fields) // 3
        return [[self[f"indicator_{i}"], self[f"target_{i}"], self[f"weight_{i}"]]
                for i in range(count)]

    def clean(self):
        cleaned = super().clean()
        self.lines = []
        for index in range(len(self.fields) // 3):
            indicator = cleaned.get(f"indicator_{index}")
            target = cleaned.get(f"target_{index}")
            weight = cleaned.get(f"weight_{index}")
            if indicator is None and target is None and weight is None:
                continue
            if indicator is None:
                self.add_error(f"indicator_{index}", _("Choose an indicator."))
            if target is None:
                self.add_error(f"target_{index}", _("Give a target."))
            if weight is None:
                self.add_error(f"weight_{index}", _("Give a weight."))
            if indicator is not None and target is not None and weight is not None:
                self.lines.append({"indicator": indicator, "target": target, "weight": weight})
        return cleaned


class ApplyPositionSetsForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    cycle = SafeModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.exclude(
            status=CycleStatus.CLOSED).order_by("-start")
        self.fields["cycle"].initial = cycle.pk if cycle is not None else None
        self.style_widgets()


# ---------------------------------------------------------------------------------------------
# Measurements and links


class MeasurementForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class LinkForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    key_result = KeyResultChoiceField(label=_("Key result"), queryset=KeyResult.objects.none())
    mode = forms.ChoiceField(label=_("How check-ins count"), choices=LinkMode.choices,
                             initial=LinkMode.VALUE)
    factor = forms.DecimalField(
        label=_("Conversion factor"), max_digits=18, decimal_places=4, required=False,
        help_text=_("Key result units × factor = indicator units; empty: 1 when the units "
                    "match."))

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        cycle = assignment.cycle
        self.fields["key_result"].queryset = (
            KeyResult.objects.select_related("objective", "objective__owner_employee",
                                             "objective__owner_department", "owner")
            .exclude(measure_type=MeasureType.MILESTONE)
            .filter(driven_by_objective__isnull=True, objective__cycle__start__lte=cycle.end,
                    objective__cycle__end__gte=cycle.start)
            .exclude(kpi_links__assignment=assignment)
            .order_by("objective__title", "pk"))
        self.style_widgets()


class ImportForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    cycle = SafeModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.exclude(
            status=CycleStatus.CLOSED).order_by("-start")
        self.fields["cycle"].initial = cycle.pk if cycle is not None else None
        self.style_widgets()
