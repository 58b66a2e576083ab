"""Notification kinds for tests. Their texts reuse messages the Chinese catalogue already has,
so that tests can check the reader's language without a catalogue of their own."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import NotificationKind, register

# "Goals" is "目标" in Chinese.
GOAL_CHANGED = register(NotificationKind(
    key="tests.goal_changed", category="goals",
    title=format_lazy("{} · {{key_result}}", _("Goals")),
    body=format_lazy("{}: {{reason}}", _("Owner")),
))
PAYSLIP_READY = register(NotificationKind(
    key="tests.payslip_ready", category="pay", title=format_lazy("{} {{month}}", _("Pay")),
))


def make_notifications(org) -> dict:
    """One notification for staff and one for peer, from lead (the access matrix's objects:
    only its recipient may open or mark one)."""
    from django_scopes import scope

    from . import notify

    with scope(company=org.company.pk):
        made = {}
        for key in ("staff", "peer"):
            [made[key]] = notify(company=org.company, recipients=[org.employees[key]],
                                 kind=GOAL_CHANGED.key, params={"key_result": "ARR"},
                                 url="/", actor=org.employees["lead"])
    return made
