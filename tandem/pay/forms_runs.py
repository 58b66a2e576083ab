"""The form of the payroll run pages: the month of a new run."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NewRunForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("The month to pay, e.g. 2026-11."))

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)

    def add_service_errors(self, error) -> None:
        """A service's ValidationError onto the fields it names (or the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
