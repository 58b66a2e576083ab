"""Forms of the OKR template pages: applying a template (cycle, level, owner) and saving an
objective as a company template. `goals.okr_templates` decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from tandem.core.permissions import is_people_admin
from tandem.org.models import Department, Employee
from tandem.web.forms import DepartmentChoiceField, ServiceErrorsMixin, StyledFormMixin

from .forms import EmployeeChoiceField, offer_levels_and_owners
from .models import Cycle, CycleStatus, Industry


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
        offer_levels_and_owners(self, actor, admin=admin)
        self.style_widgets()


class SaveAsTemplateForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices,
                                 initial=Industry.GENERAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
