"""The pace and alert settings form (HR and administrators)."""

from django import forms

from .models_tracking import TrackingSettings
from .services_tracking import FIELDS


class TrackingSettingsForm(forms.ModelForm):
    class Meta:
        model = TrackingSettings
        fields = FIELDS

    def add_service_errors(self, error) -> None:
        for name, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            self.add_error(name if name in self.fields else None, messages)
