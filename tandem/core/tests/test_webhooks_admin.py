"""Operators see the group robots and their log in the admin, read-only, across companies;
the secret never, the address only masked."""

import pytest
from django.contrib.auth import get_user_model

from tandem.core.notifications.testing import make_webhooks

pytestmark = pytest.mark.django_db


def test_the_admin_lists_robots_and_deliveries_without_secrets(org, other_org, client):
    ours, theirs = make_webhooks(org), make_webhooks(other_org)
    operator = get_user_model().objects.create_superuser("operator", password="x-pass-12345")
    client.force_login(operator)

    listing = client.get("/admin/core/webhookchannel/").content.decode()
    assert ours["dingtalk"].name in listing and theirs["dingtalk"].name in listing
    change = client.get(f"/admin/core/webhookchannel/{ours['dingtalk'].pk}/change/")
    assert change.status_code == 200
    for html in (listing, change.content.decode()):
        assert "SECfixture-secret" not in html
        assert f"tok{org.company.pk}x9" not in html
        assert ours["dingtalk"].secret_sealed not in html
    assert client.get("/admin/core/webhookdelivery/").status_code == 200
    assert client.get(
        f"/admin/core/webhookdelivery/{ours['delivery'].pk}/change/").status_code == 200
    assert client.get("/admin/core/webhookchannel/add/").status_code == 403
