"""Forms of the OKR template pages: applying a template (cycle, level, owner) and saving an
objective as a company template. `goals.okr_templates` decides and writes."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from tandem.core.permissions import is_people_admin
from tandem.org.models import Department, Employee, EmployeeStatus
from tandem.web.forms import DepartmentChoiceField, ServiceErrorsMixin, StyledFormMixin

from .forms import EmployeeChoiceField
from .models import Cycle, CycleStatus, Industry, Level


class ApplyTemplateForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    cycle = SafeModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())
    level = forms.ChoiceField(label=_("Level"))
    owner_department = DepartmentChoiceField(
        label=_("Owning department"), queryset=Department.objects.none(), required=False,
        help_text=_("For a department objective."))
    owner_employee = EmployeeChoiceField(
        label=_("Owner"), queryset=Employee.objects.none(), required=False,
        help_text=_("For an individual objective."))

    def __init__(self, *args, actor, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        admin = is_people_admin(actor.user)
        self.fields["cycle"].queryset = Cycle.objects.exclude(
            status=CycleStatus.CLOSED).order_by("-start")
        self.fields["cycle"].initial = cycle.pk if cycle is not None else None
        levels = [(Level.INDIVIDUAL, Level.INDIVIDUAL.label)]
        if admin or actor.managed_department_ids:
            levels.append((Level.DEPARTMENT, Level.DEPARTMENT.label))
        if admin:
            levels.append((Level.COMPANY, Level.COMPANY.label))
        self.fields["level"].choices = levels
        self.fields["level"].initial = Level.INDIVIDUAL
        departments = Department.objects.all()
        people = Employee.objects.exclude(status=EmployeeStatus.LEFT).order_by("name")
        if not admin:
            departments = departments.filter(pk__in=actor.managed_department_ids)
            mine = Q(department__in=actor.managed_department_ids)
            if actor.employee is not None:
                mine |= Q(pk=actor.employee.pk)
            people = people.filter(mine)
        self.fields["owner_department"].queryset = departments
        self.fields["owner_employee"].queryset = people
        self.fields["owner_employee"].initial = actor.employee.pk if actor.employee else None
        self.style_widgets()


class SaveAsTemplateForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices,
                                 initial=Industry.GENERAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
