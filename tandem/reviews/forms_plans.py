"""Forms of the improvement plan pages: an item (added or edited), an item's status alone, the
agreement (carrying the plan's version) and a rule. Services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.web.forms import DateInput, ServiceErrorsMixin, ServiceModelForm, StyledFormMixin

from .models import ImprovementItem, ImprovementRule, ItemStatus, ReviewCycle


class ItemForm(ServiceModelForm):
    class Meta:
        model = ImprovementItem
        fields = ["kind", "title", "action", "course", "status", "due", "note"]
        widgets = {"action": forms.Textarea(attrs={"rows": 3}), "due": DateInput(),
                   "note": forms.Textarea(attrs={"rows": 2})}


class ItemStatusForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """Tracking an item: its status only, which leaves the plan's agreement standing."""

    status = forms.ChoiceField(label=_("status"), choices=ItemStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class AgreeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanFilterForm(StyledFormMixin, forms.Form):
    cycle = forms.ModelChoiceField(label=_("Review cycle"), queryset=ReviewCycle.objects.none(),
                                   required=False, empty_label=_("All cycles"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = ReviewCycle.objects.filter(
            published_at__isnull=False).order_by("-published_at", "-pk")
        self.style_widgets()


class RuleForm(ServiceModelForm):
    class Meta:
        model = ImprovementRule
        fields = ["subject", "comparison", "threshold", "kind", "action", "course",
                  "match_category", "match_tag", "match_keyword", "priority", "active"]
        widgets = {"action": forms.Textarea(attrs={"rows": 3})}

    def apply(self, rule: ImprovementRule) -> ImprovementRule:
        """The form's values on `rule`, for the service to validate and save."""
        for name in self.Meta.fields:
            setattr(rule, name, self.cleaned_data[name])
        return rule
