"""The notifications the KPI module sends (tandem.core.notifications): the alerts of the daily
risk evaluation (`kpis.risk`, `kpis.alerts`). Texts are rendered when read, in the reader's
language; the params are names, percents and dates only."""

from django.utils.translation import gettext_lazy as _

from tandem.core.notifications import NotificationKind, register

# To the owner and their lead when an item goes at risk.
KEY_RESULT_AT_RISK = register(NotificationKind(
    key="kpis.key_result_at_risk", category="kpis",
    title=_("Key result at risk: “{item}”"),
    body=_("“{item}” ({owner}) is at risk: progress {progress}, expected {expected} by "
           "{day}."),
))
KPI_AT_RISK = register(NotificationKind(
    key="kpis.kpi_at_risk", category="kpis",
    title=_("KPI at risk: “{item}”"),
    body=_("“{item}” ({owner}) is at risk: progress {progress}, expected {expected} by "
           "{day}."),
))
# To the same people when it is back on track.
KEY_RESULT_ON_TRACK = register(NotificationKind(
    key="kpis.key_result_on_track", category="kpis",
    title=_("Key result back on track: “{item}”"),
    body=_("“{item}” ({owner}) is back on track: progress {progress}, expected {expected} by "
           "{day}."),
))
KPI_ON_TRACK = register(NotificationKind(
    key="kpis.kpi_on_track", category="kpis",
    title=_("KPI back on track: “{item}”"),
    body=_("“{item}” ({owner}) is back on track: progress {progress}, expected {expected} by "
           "{day}."),
))
# To the next leader up when an item stays at risk with no update after its alert.
ESCALATED = register(NotificationKind(
    key="kpis.risk_escalated", category="kpis",
    title=_("Still at risk: “{item}”"),
    body=_("“{item}” ({owner}) has been at risk since {since} with no check-in or measurement "
           "in the {days} days since {lead} was alerted."),
))
# The alerts beyond a person's weekly cap, grouped: one per person per evaluation.
DIGEST = register(NotificationKind(
    key="kpis.risk_digest", category="kpis",
    title=_("{count} more pace alerts"),
    body=_("Beyond your weekly number of alerts, these changed: {items}."),
))

# The alerts that count towards the weekly cap (the digest does not).
CAPPED = (KEY_RESULT_AT_RISK.key, KPI_AT_RISK.key, KEY_RESULT_ON_TRACK.key, KPI_ON_TRACK.key,
          ESCALATED.key)
