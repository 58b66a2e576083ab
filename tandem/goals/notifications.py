"""The notifications the Goals module sends (tandem.core.notifications). Texts are rendered when
read, in the reader's language, with the params given by `goals.target_changes`."""

from django.utils.translation import gettext_lazy as _

from tandem.core.notifications import NotificationKind, register

# To each owner of a key result whose target followed its parent's new target.
TARGET_CASCADED = register(NotificationKind(
    key="goals.target_cascaded", category="goals",
    title=_("New target for “{key_result}”"),
    body=_("“{parent}” changed, so the target of “{key_result}” moved from {old_target} to "
           "{new_target}. Reason: {reason}"),
))

# To the owner's lead when an owner eases the target of an approved key result.
TARGET_EASED = register(NotificationKind(
    key="goals.target_eased", category="goals",
    title=_("{owner} eased the target of “{key_result}”"),
    body=_("{owner} eased the target of “{key_result}” ({objective}) from {old_target} to "
           "{new_target} after approval. Reason: {reason}"),
))
