"""Forms of my review, the manager's assessment and peer feedback. They check the input's
shape; `reviews.services` checks the rules (difficulty bounds, adjustment limit, reasons) and
its errors land on the fields they name, per objective too (difficulty_<id>, reason_<id>)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from tandem.core.versioning import MAX_VERSION
from tandem.org.models import Employee, EmployeeStatus
from tandem.web.forms import ServiceErrorsMixin, StyledFormMixin

from .scoring import ScoringPolicy

OUT_OF_DATE = _("This page is out of date. Reload it and make your changes again.")


class _Form(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class _VersionedForm(_Form):
    """Carries the version of the review the page showed (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION,
                                 required=False)

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        if review is not None:
            self.fields["version"].initial = review.version

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") is None:
            # A hidden field's own error would be invisible: say it on top of the form.
            self._errors.pop("version", None)
            self.add_error(None, OUT_OF_DATE)
        return cleaned


class SelfAssessmentForm(_VersionedForm):
    self_summary = forms.CharField(
        label=_("Your self assessment"), max_length=4000, widget=forms.Textarea(attrs={
            "rows": 6}),
        help_text=_("What you achieved against your objectives and KPIs, what got in the way, "
                    "and what you will do next. Once submitted it goes to your manager."))


class AcknowledgeForm(_VersionedForm):
    comment = forms.CharField(label=_("Your comment (optional)"), max_length=2000,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ManagerAssessmentForm(_VersionedForm):
    """Per objective a difficulty coefficient and its reason, then the adjustment with its
    reason and the written assessment. The bounds shown come from the cycle's frozen policy."""

    adjustment = forms.DecimalField(label=_("Adjustment (points)"), max_digits=7,
                                    decimal_places=2, required=False)
    adjustment_reason = forms.CharField(label=_("Reason for the adjustment"), max_length=500,
                                        required=False)
    manager_summary = forms.CharField(label=_("Your assessment"), max_length=4000,
                                      required=False,
                                      widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, objectives=(), policy: ScoringPolicy, **kwargs):
        super().__init__(*args, **kwargs)
        review = kwargs.get("review")
        self.objective_keys = [row["key"] for row in objectives]
        low, high = policy.difficulty_min, policy.difficulty_max
        for row in objectives:
            key = row["key"]
            self.fields[f"difficulty_{key}"] = forms.DecimalField(
                label=_("Difficulty of “%(title)s”") % {"title": row["title"]},
                max_digits=5, decimal_places=4, initial=row["difficulty"],
                help_text=_("Between %(low)s and %(high)s; 1 is as planned.")
                % {"low": _plain(low), "high": _plain(high)},
                widget=forms.NumberInput(attrs={"step": "0.05", "min": _plain(low),
                                                "max": _plain(high)}))
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("Reason for the difficulty"), max_length=500, required=False,
                initial=row.get("reason", ""),
                help_text=_("Required when the difficulty is not 1."))
        limit = _plain(policy.adjustment_limit)
        self.fields["adjustment"].help_text = _(
            "At most %(limit)s points up or down, with a reason.") % {"limit": limit}
        self.fields["adjustment"].widget.attrs.update({"min": f"-{limit}", "max": limit,
                                                        "step": "0.5"})
        if review is not None:
            self.fields["adjustment"].initial = review.adjustment
            self.fields["adjustment_reason"].initial = review.adjustment_reason
            self.fields["manager_summary"].initial = review.manager_summary
        self.style_widgets()

    def objective_fields(self):
        """(difficulty field, reason field) per objective, for the template."""
        return [(self[f"difficulty_{key}"], self[f"reason_{key}"])
                for key in self.objective_keys]

    def ratings(self) -> dict:
        return {key: (self.cleaned_data[f"difficulty_{key}"],
                      self.cleaned_data.get(f"reason_{key}", ""))
                for key in self.objective_keys}

    def add_service_errors(self, error: ValidationError) -> None:
        # scoring.validate_adjustment names the adjustment's reason "reason".
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            error = ValidationError({("adjustment_reason" if name == "reason" else name): errors
                                     for name, errors in error.error_dict.items()})
        super().add_service_errors(error)


class PeopleChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        department = obj.department.display_name if obj.department_id else ""
        return f"{obj.display_name} · {department}" if department else obj.display_name


class RequestFeedbackForm(_Form):
    authors = PeopleChoiceField(label=_("Colleagues to ask"), queryset=Employee.objects.none(),
                                widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        asked = review.feedback.values_list("author_id", flat=True)
        self.fields["authors"].queryset = (
            Employee.objects.exclude(status=EmployeeStatus.LEFT)
            .exclude(pk=review.employee_id).exclude(pk__in=asked)
            .select_related("department").order_by("name", "pk"))


class FeedbackForm(_Form):
    strengths = forms.CharField(label=_("Strengths"), max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    improvements = forms.CharField(label=_("What to improve"), max_length=2000,
                                   required=False, widget=forms.Textarea(attrs={"rows": 4}))


def _plain(value) -> str:
    return format(value.normalize(), "f")
