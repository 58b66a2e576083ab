"""Forms of the channel settings pages: a group robot (add and edit) and the routing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.notifications.models import Platform
from tandem.core.notifications.registry import categories_in_use

from .forms import ServiceErrorsMixin, StyledFormMixin


class ChannelForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    """The address and the secret are write-only: on edit, blank keeps what is stored (the
    page shows the address masked and whether a secret is set, never the secret)."""

    name = forms.CharField(label=_("Robot name"), max_length=80,
                           help_text=_("For you, e.g. the group's name."))
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    address = forms.CharField(
        label=_("Webhook address"), max_length=500,
        help_text=_("Copied from the robot's settings in the group, starting with https://."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    secret = forms.CharField(
        label=_("Signing secret"), max_length=200, required=False, strip=True,
        help_text=_("DingTalk (starts with SEC) and Feishu, when the robot signs messages. "
                    "WeCom has none. Never shown again once saved."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
    keyword = forms.CharField(
        label=_("Keyword"), max_length=40, required=False,
        help_text=_("DingTalk only: when the robot's security setting is a custom keyword, "
                    "every message starts with it."))
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    categories = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The notifications of these topics are posted to the group."))

    def __init__(self, *args, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["categories"].choices = categories_in_use()
        if channel is not None:
            self.fields["address"].required = False
            self.fields["address"].help_text = _(
                "Now %(address)s. Leave blank to keep it.") % {"address": channel.masked_address}
            if channel.has_secret:
                self.fields["secret"].help_text = _(
                    "A secret is set. Leave blank to keep it.")
                self.fields["clear_secret"] = forms.BooleanField(
                    label=_("Remove the secret (signing turned off on the robot)"),
                    required=False)
        self.style_widgets()
        self.fields["categories"].widget.attrs["class"] = "form-check-input"

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("clear_secret", False)
        if self.channel is None:
            data.pop("clear_secret")
        return data


def initial_of(channel) -> dict:
    """The edit form's initial values: everything but the address and the secret."""
    return {"name": channel.name, "platform": channel.platform, "keyword": channel.keyword,
            "enabled": channel.enabled, "categories": list(channel.categories or [])}
