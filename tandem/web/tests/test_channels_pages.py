"""The channel settings pages: group robots (add, edit with a write-only secret, enable and
disable, test message, delete), the delivery log and the company's routing of topics to
email and to each robot. Owners, administrators and HR only."""

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from django_scopes import scope
from huey.contrib.djhuey import HUEY

from tandem.core.notifications import notify
from tandem.core.notifications.crypto import unseal
from tandem.core.notifications.models import (
    CompanyNotificationMute,
    DeliveryStatus,
    WebhookChannel,
    WebhookDelivery,
)
from tandem.core.notifications.testing import (
    GOAL_CHANGED,
    PAYSLIP_READY,
    RobotServer,
    make_webhooks,
)

pytestmark = pytest.mark.django_db

SECRET = "SECpage-secret-4242"
TOKEN = "tok-abcdef-987654"
ADDRESS = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"


@pytest.fixture(autouse=True)
def fresh_queue(monkeypatch):
    """An empty task queue, and no request ever leaves this machine (the fixture robots have
    the platforms' real addresses)."""
    from tandem.core.notifications import webhooks

    local, elsewhere = webhooks.post_json, []

    def local_only(url, data):
        if not url.startswith("http://127.0.0.1:"):
            elsewhere.append(url)
            raise OSError("tests stay on this machine")
        return local(url, data)

    monkeypatch.setattr(webhooks, "post_json", local_only)
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()
    assert elsewhere == [], "a test tried to reach the internet"


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def channels(org):
    with scope(company=org.company.pk):
        return list(WebhookChannel.objects.order_by("pk"))


def add(client, **fields):
    data = {"name": "销售群", "platform": "dingtalk", "address": ADDRESS, "secret": SECRET,
            "keyword": "", "enabled": "on", "categories": ["goals"]}
    data.update(fields)
    return client.post("/settings/channels/add/", data)


@pytest.mark.parametrize(("role", "status"), [
    ("owner", 200), ("hr", 200), ("finance", 403), ("lead", 403), ("staff", 403), ("peer", 403),
])
def test_only_owners_admins_and_hr_configure_channels(org, client_as, role, status):
    client = client_as(org.users[role])
    for url in ("/settings/channels/", "/settings/channels/add/", "/settings/channels/log/",
                "/settings/channels/routing/"):
        assert client.get(url).status_code == status, url


def test_adding_a_dingtalk_robot_seals_the_secret_and_never_shows_it(org, client_as):
    client = english(client_as(org.users["hr"]))
    response = add(client)

    assert response.status_code == 302 and response["Location"] == "/settings/channels/"
    [robot] = channels(org)
    assert (robot.name, robot.platform, robot.address, robot.categories, robot.enabled) == (
        "销售群", "dingtalk", ADDRESS, ["goals"], True)
    assert unseal(robot.secret_sealed) == SECRET and SECRET not in robot.secret_sealed
    for url in ("/settings/channels/", f"/settings/channels/{robot.pk}/edit/"):
        html = client.get(url).content.decode()
        assert SECRET not in html and TOKEN not in html, url
    listing = client.get("/settings/channels/").content.decode()
    assert "access_token=tok-…" in listing and "signed" in listing
    edit = client.get(f"/settings/channels/{robot.pk}/edit/").content.decode()
    assert 'name="secret"' in edit and "A secret is set. Leave blank to keep it." in edit
    assert 'name="address"' in edit and 'value="https://' not in edit


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"address": "http://oapi.dingtalk.com/robot/send?access_token=a"}, "address",
     "The address must start with https://."),
    ({"address": "https://10.0.0.8/robot/send?access_token=a"}, "address",
     "This is not an address of the platform&#x27;s robots (oapi.dingtalk.com)."),
    ({"platform": "feishu"}, "address",
     "This is not an address of the platform&#x27;s robots (open.feishu.cn, "
     "open.larksuite.com)."),
    ({"secret": "not-a-ding-secret"}, "secret", "A DingTalk signing secret starts with SEC."),
    ({"platform": "wecom", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
     "secret", "WeCom robots have no signing secret"),
    ({"keyword": "Tandem", "platform": "feishu", "secret": "",
      "address": "https://open.feishu.cn/open-apis/bot/v2/hook/x"}, "keyword",
     "Only DingTalk robots use a keyword."),
    ({"categories": ["nonsense"]}, "categories", "Select a valid choice."),
    ({"platform": "slack"}, "platform", "Select a valid choice."),
])
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(org, client_as, settings, fields,
                                                             field, message):
    settings.TANDEM_WEBHOOK_ALLOW_ANY_HOST = False
    client = english(client_as(org.users["owner"]))
    response = add(client, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert channels(org) == []


def test_any_host_is_allowed_only_with_the_setting(org, client_as, settings):
    client = english(client_as(org.users["owner"]))
    local = "http://127.0.0.1:8999/robot/send?access_token=a"
    assert add(client, address=local).status_code == 200
    settings.TANDEM_WEBHOOK_ALLOW_ANY_HOST = True
    assert add(client, address=local).status_code == 302


def test_editing_with_blanks_keeps_address_and_secret_and_can_remove_the_secret(org, client_as):
    client = english(client_as(org.users["hr"]))
    add(client)
    [robot] = channels(org)
    url = f"/settings/channels/{robot.pk}/edit/"

    response = client.post(url, {"name": "新名字", "platform": "dingtalk", "address": "",
                                 "secret": "", "categories": ["goals", "pay"]})
    assert response.status_code == 302
    [robot] = channels(org)
    assert (robot.name, robot.address, robot.categories, robot.enabled) == (
        "新名字", ADDRESS, ["goals", "pay"], False)
    assert unseal(robot.secret_sealed) == SECRET

    client.post(url, {"name": "新名字", "platform": "dingtalk", "address": "", "secret": "",
                      "clear_secret": "on", "enabled": "on"})
    [robot] = channels(org)
    assert robot.secret_sealed == "" and robot.enabled


def test_enable_disable_and_delete(org, client_as):
    client = client_as(org.users["owner"])
    add(client)
    [robot] = channels(org)

    assert client.get(f"/settings/channels/{robot.pk}/toggle/").status_code == 405
    client.post(f"/settings/channels/{robot.pk}/toggle/")
    assert channels(org)[0].enabled is False
    client.post(f"/settings/channels/{robot.pk}/toggle/")
    assert channels(org)[0].enabled is True

    assert client.get(f"/settings/channels/{robot.pk}/delete/").status_code == 200
    assert client.post(f"/settings/channels/{robot.pk}/delete/").status_code == 302
    assert channels(org) == []


def test_another_companys_robot_is_a_404_and_stays(org, other_org, client_as):
    theirs = make_webhooks(other_org)["dingtalk"]
    client = client_as(org.users["owner"])
    for method, url in (("get", "edit"), ("post", "edit"), ("post", "toggle"), ("post", "test"),
                        ("get", "delete"), ("post", "delete")):
        response = getattr(client, method)(f"/settings/channels/{theirs.pk}/{url}/")
        assert response.status_code == 404, (method, url)
    with scope(company=other_org.company.pk):
        assert WebhookChannel.objects.get(pk=theirs.pk).enabled is True
    assert "云帆网络" not in client.get("/settings/channels/log/").content.decode()


def test_a_test_message_is_queued_and_its_result_shows_in_the_log(
        org, client_as, settings, django_capture_on_commit_callbacks):
    settings.TANDEM_WEBHOOK_ALLOW_ANY_HOST = True
    client = english(client_as(org.users["hr"]))
    with RobotServer() as server:
        add(client, platform="wecom", secret="",
            address=server.url("/cgi-bin/webhook/send?key=k"))
        [robot] = channels(org)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/settings/channels/{robot.pk}/test/")

    assert response.status_code == 302
    assert response["Location"] == f"/settings/channels/log/?channel={robot.pk}"
    assert len(server.requests) == 1
    with scope(company=org.company.pk):
        [delivery] = WebhookDelivery.objects.all()
    assert server.requests[0]["json"]["text"]["content"] == delivery.text  # company language
    html = client.get(response["Location"]).content.decode()
    assert delivery.text in html and "Test" in html
    assert ">Sent<" in html and "HTTP 200" in html


def test_the_log_shows_failures_with_the_platforms_code(org, client_as):
    made = make_webhooks(org)
    with scope(company=org.company.pk):
        WebhookDelivery.objects.create(
            company=org.company, channel=made["dingtalk"], kind=GOAL_CHANGED.key,
            notification_count=3, text="目标", status=DeliveryStatus.FAILED, attempts=6,
            http_status=200, error_code="310000", error_message="sign not match",
            last_attempt_at=timezone.now())
    html = english(client_as(org.users["owner"])).get("/settings/channels/log/").content.decode()
    assert "310000: sign not match" in html and ">Failed<" in html and "HTTP 200" in html


def test_the_log_costs_the_same_for_many_deliveries(org, client_as,
                                                    django_assert_max_num_queries):
    made = make_webhooks(org)
    client = client_as(org.users["owner"])

    def log_some(count):
        with scope(company=org.company.pk):
            WebhookDelivery.objects.bulk_create([
                WebhookDelivery(company=org.company, channel=made["dingtalk"], kind="test",
                                text=f"m{n}") for n in range(count)])

    with django_assert_max_num_queries(20) as few:
        client.get("/settings/channels/log/")
    log_some(80)
    with django_assert_max_num_queries(len(few.captured_queries)):
        second_page = client.get("/settings/channels/log/?page=2")
    assert second_page.status_code == 200


def test_routing_switches_email_and_robots_per_topic(org, client_as, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    robot = make_webhooks(org)["dingtalk"]
    client = english(client_as(org.users["owner"]))
    html = client.get("/settings/channels/routing/").content.decode()
    assert 'name="email" value="goals" id="email-goals" checked' in html
    assert f'name="channel-{robot.pk}" value="goals" id="channel-{robot.pk}-goals" checked' \
        in html

    response = client.post("/settings/channels/routing/",
                           {"email": ["pay"], f"channel-{robot.pk}": ["pay"]})

    assert response.status_code == 302
    with scope(company=org.company.pk):
        off = set(CompanyNotificationMute.objects.values_list("category", "channel"))
        robot.refresh_from_db()
    assert ("goals", "email") in off and ("pay", "email") not in off
    assert robot.categories == ["pay"]

    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        WebhookChannel.objects.update(enabled=False)  # its address is the real DingTalk
        staff.email = "staff@galaxy.example"
        staff.save()
    with django_capture_on_commit_callbacks(execute=True), scope(company=org.company.pk):
        notify(company=org.company, recipients=[staff], kind=GOAL_CHANGED.key,
               params={"key_result": "ARR"})
        notify(company=org.company, recipients=[staff], kind=PAYSLIP_READY.key,
               params={"month": "2026-10"})
    assert len(mailoutbox) == 1  # the payslip only: goals email is off company-wide

    client.post("/settings/channels/routing/", {"email": ["goals", "pay"]})
    with scope(company=org.company.pk):
        assert not CompanyNotificationMute.objects.filter(category__in=["goals", "pay"]).exists()


def test_people_can_mute_the_group_chat_in_their_own_settings(org, client_as):
    html = english(client_as(org.users["staff"])).get("/notifications/settings/").content.decode()
    assert 'value="goals:webhook"' in html and "Group chat" in html
