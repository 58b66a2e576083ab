"""The Settings section of the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.notifications.permissions import may_manage_channels
from tandem.web.nav import registry

registry.section("settings", _("Settings"), order=90)
# Group robots (DingTalk, WeCom, Feishu) and which topics go where: HR and administrators.
registry.entry("settings", "channels", _("Notification channels"), "channels:list",
               icon="settings", permission=may_manage_channels, order=20)
