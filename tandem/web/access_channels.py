"""Access table of the channel settings pages (see `core.access_table`): owners,
administrators and HR configure the company's group robots and routing; nobody else sees
them. The objects come from `core.notifications.testing.make_webhooks` (as `org.webhooks`):
the company's DingTalk robot."""

from tandem.core.access_table import PEOPLE_ADMINS

FIXTURE = {"webhooks": "tandem.core.notifications.testing.make_webhooks"}

OBJECTS = {"core.WebhookChannel": {"dingtalk": "webhooks.dingtalk"}}

CHANNEL = "core.WebhookChannel"

ACCESS: dict = {
    "/settings/channels/": {"GET": PEOPLE_ADMINS},
    "/settings/channels/add/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/settings/channels/log/": {"GET": PEOPLE_ADMINS},
    "/settings/channels/routing/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/settings/channels/<pk>/edit/": {"model": CHANNEL, "GET": PEOPLE_ADMINS,
                                      "POST": PEOPLE_ADMINS},
    "/settings/channels/<pk>/toggle/": {"model": CHANNEL, "POST": PEOPLE_ADMINS},
    # Queues a message for after the commit: the matrix's writes are rolled back, so nothing
    # is sent from it.
    "/settings/channels/<pk>/test/": {"model": CHANNEL, "POST": PEOPLE_ADMINS},
    "/settings/channels/<pk>/delete/": {"model": CHANNEL, "GET": PEOPLE_ADMINS,
                                        "POST": PEOPLE_ADMINS},
}
