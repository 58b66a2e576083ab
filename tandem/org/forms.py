"""Forms of the org chart pages. They check input and offer only the choices the acting person
may use; what that person may change is decided by the rules in `org.services`, which the
forms ask before the services validate the result and save it."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from tandem.core.versioning import VersionedFormMixin
from tandem.web.forms import (
    DateInput,
    DepartmentChoiceField,
    ServiceErrorsMixin,
    ServiceModelForm,
    StyledFormMixin,
)

from .models import (
    EMPLOYMENT_DATES,
    JOB_FIELDS,
    PRIVATE_FIELDS,
    Department,
    Employee,
    EmployeeStatus,
    Position,
)
from .selectors import subtree_ids


class EmployeeChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.employee_number})"


class PositionChoiceField(SafeModelChoiceField):
    """Positions with their department, which tells apart equal titles (select the department
    with the queryset)."""

    def label_from_instance(self, obj) -> str:
        if obj.department_id is None:
            return obj.display_name
        return f"{obj.display_name} · {obj.department.display_name}"


def current_people():
    return Employee.objects.exclude(status=EmployeeStatus.LEFT).order_by("name")


def managed_people(actor):
    """People a department leader may pick: everyone in their subtree, and themself."""
    people = Q(department__in=actor.managed_department_ids)
    if actor.employee is not None:
        people |= Q(pk=actor.employee.pk)
    return current_people().filter(people)


# ---------------------------------------------------------------------------------------------
# Departments


class DepartmentForm(VersionedFormMixin, ServiceModelForm):
    """HR and admins place a department anywhere. A department leader works inside their
    subtree: a new department goes under one of theirs, and the department at the top of their
    subtree keeps its place and its leader (those are decided above them)."""

    class Meta:
        model = Department
        fields = ["name", "name_en", "parent", "leader"]
        field_classes = {"parent": DepartmentChoiceField, "leader": EmployeeChoiceField}

    locked_placement = False

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        department = self.instance if self.instance.pk else None
        self.fields["parent"].empty_label = _("(top level)")
        self.fields["leader"].empty_label = _("(no leader)")
        if actor.is_admin or actor.is_hr:
            self.fields["parent"].queryset = Department.objects.all()
            self.fields["leader"].queryset = current_people()
            return
        managed = actor.managed_department_ids
        if department is not None and department.parent_id not in managed:
            del self.fields["parent"]
            del self.fields["leader"]
            self.locked_placement = True
            return
        self.fields["parent"].queryset = Department.objects.filter(pk__in=managed)
        self.fields["parent"].required = True
        self.fields["parent"].empty_label = None
        self.fields["leader"].queryset = managed_people(actor)


# ---------------------------------------------------------------------------------------------
# Positions


class PositionForm(VersionedFormMixin, ServiceModelForm):
    class Meta:
        model = Position
        fields = ["title", "title_en", "department", "description"]
        field_classes = {"department": DepartmentChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["department"].empty_label = _("(any department)")

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title")
        if title:
            twins = Position.objects.filter(title=title, department=cleaned.get("department"))
            if self.instance.pk:
                twins = twins.exclude(pk=self.instance.pk)
            if twins.exists():
                self.add_error("title", gettext("A position with this title already exists in "
                                                "this department."))
        return cleaned


# ---------------------------------------------------------------------------------------------
# Employees

WORK_FIELDS = [
    "employee_number", "name", "english_name", "gender", "email", "phone",
    "department", "position", "manager", "employment_type", "status",
    "hire_date", "probation_end_date", "leave_date",
]


class EmployeeForm(VersionedFormMixin, ServiceModelForm):
    """Every field, for HR and admins. On an edit, a change of department, position or manager
    is recorded in the job history from the effective date given."""

    effective_date = forms.DateField(
        label=_("effective date"), required=False, widget=DateInput,
        validators=[EMPLOYMENT_DATES],
        help_text=_("When a change of department, position or manager takes effect (today if "
                    "left empty)."),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    class Meta:
        model = Employee
        fields = [*WORK_FIELDS, *PRIVATE_FIELDS]
        field_classes = {
            "department": DepartmentChoiceField,
            "position": PositionChoiceField,
            "manager": EmployeeChoiceField,
        }
        widgets = {
            "hire_date": DateInput, "probation_end_date": DateInput, "leave_date": DateInput,
            "birth_date": DateInput,
        }

    def __init__(self, *args, with_private: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["department"].empty_label = _("Choose a department")
        self.fields["position"].queryset = Position.objects.select_related("department")
        managers = current_people()
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
        else:
            del self.fields["effective_date"]
            del self.fields["note"]
        self.fields["manager"].queryset = managers
        self.fields["position"].empty_label = _("(none)")
        self.fields["manager"].empty_label = _("(none)")
        if not with_private:
            for name in PRIVATE_FIELDS:
                del self.fields[name]

    def clean_employee_number(self) -> str:
        number = self.cleaned_data["employee_number"].strip()
        taken = Employee.objects.filter(employee_number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                gettext("This employee number is already used in your company.")
            )
        return number

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}

    @property
    def work_fields(self):
        return [self[name] for name in WORK_FIELDS]

    @property
    def private_fields(self):
        return [self[name] for name in PRIVATE_FIELDS if name in self.fields]

    @property
    def change_fields(self):
        return [self[name] for name in ("effective_date", "note") if name in self.fields]


class EmployeeJobForm(VersionedFormMixin, ServiceModelForm):
    """What a department leader may change for someone in their subtree: department (inside the
    subtree), position and manager, with the date the change takes effect."""

    effective_date = forms.DateField(label=_("effective date"), widget=DateInput,
                                     validators=[EMPLOYMENT_DATES])
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    class Meta:
        model = Employee
        fields = list(JOB_FIELDS)
        field_classes = {
            "department": DepartmentChoiceField,
            "position": PositionChoiceField,
            "manager": EmployeeChoiceField,
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        managed = actor.managed_department_ids
        self.fields["department"].queryset = Department.objects.filter(pk__in=managed)
        self.fields["position"].queryset = Position.objects.select_related("department").filter(
            Q(department__isnull=True) | Q(department__in=managed)
        )
        self.fields["manager"].queryset = managed_people(actor).exclude(pk=self.instance.pk)
        self.fields["position"].empty_label = _("(none)")
        self.fields["manager"].empty_label = _("(none)")
        self.fields["effective_date"].initial = timezone.localdate()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in JOB_FIELDS}

    @property
    def work_fields(self):
        return [self[name] for name in JOB_FIELDS]

    @property
    def private_fields(self):
        return []

    @property
    def change_fields(self):
        return [self["effective_date"], self["note"]]


# ---------------------------------------------------------------------------------------------
# Employee list filters


class EmployeeFilterForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    CURRENT = "current"

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.SearchInput(attrs={
            "placeholder": _("Name, English name, number, email or phone"),
            "autocomplete": "off",
        }),
    )
    department = DepartmentChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False,
        empty_label=_("All departments"),
    )
    status = forms.ChoiceField(label=_("status"), required=False)
    position = PositionChoiceField(
        label=_("position"), queryset=Position.objects.none(), required=False,
        empty_label=_("All positions"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["position"].queryset = Position.objects.select_related("department")
        self.fields["status"].choices = [
            ("", _("All statuses")), (self.CURRENT, _("Current (not left)")),
            *EmployeeStatus.choices,
        ]
        self.style_widgets()

    def filter(self, employees, company):
        """The employees matching the filters; an invalid filter is ignored (and shown)."""
        self.is_valid()
        data = self.cleaned_data
        query = (data.get("q") or "").strip()
        if query:
            employees = employees.filter(
                Q(name__icontains=query) | Q(english_name__icontains=query)
                | Q(employee_number__icontains=query) | Q(email__icontains=query)
                | Q(phone__icontains=query)
            )
        if data.get("department"):
            employees = employees.filter(
                department__in=subtree_ids(company, [data["department"].pk])
            )
        status = data.get("status")
        if status == self.CURRENT:
            employees = employees.exclude(status=EmployeeStatus.LEFT)
        elif status:
            employees = employees.filter(status=status)
        if data.get("position"):
            employees = employees.filter(position=data["position"])
        return employees
