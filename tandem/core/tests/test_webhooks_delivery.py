"""Group-robot delivery end to end: `notify()` → one message per channel after commit → a
real HTTP request to a local server standing in for DingTalk, WeCom or Feishu. Checked: the
path, query string, JSON body and signature of each platform, retries with backoff on 5xx
and on platform error codes, the delivery log, and that nothing breaks the sender."""

import base64
import hashlib
import hmac
import logging
from urllib.parse import unquote_plus

import pytest
from django.db import transaction
from django_scopes import scope
from huey.contrib.djhuey import HUEY

from tandem.core.notifications import notify
from tandem.core.notifications.crypto import SecretUnreadable, unseal
from tandem.core.notifications.models import DeliveryStatus, WebhookChannel, WebhookDelivery
from tandem.core.notifications.services import set_mutes
from tandem.core.notifications.testing import GOAL_CHANGED, RobotServer, run_retries
from tandem.core.notifications.webhooks import create_channel, queue_test, update_channel
from tandem.core.tasks import send_webhook

pytestmark = pytest.mark.django_db

DING_SECRET = "SECdingtalk-secret-0001"
FEISHU_SECRET = "feishu-secret-0001"


@pytest.fixture(autouse=True)
def local_robots(settings, monkeypatch):
    """Robots on this machine only: a request anywhere else fails the test."""
    from tandem.core.notifications import webhooks

    local, elsewhere = webhooks.post_json, []

    def local_only(url, data):
        if not url.startswith("http://127.0.0.1:"):
            elsewhere.append(url)
            raise OSError("tests stay on this machine")
        return local(url, data)

    monkeypatch.setattr(webhooks, "post_json", local_only)
    settings.TANDEM_WEBHOOK_ALLOW_ANY_HOST = True
    settings.SITE_URL = "https://hr.galaxy.example"
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()
    assert elsewhere == [], "a test tried to reach the internet"


@pytest.fixture
def server():
    with RobotServer() as robot:
        yield robot


@pytest.fixture
def phones(org):
    with scope(company=org.company.pk):
        for key, phone in (("staff", "138-0000-0001"), ("peer", "+86 138 0000 0002")):
            org.employees[key].phone = phone
            org.employees[key].save()
    return org


def channel(org, platform, address, **fields):
    fields.setdefault("categories", ["goals"])
    with scope(company=org.company.pk):
        return create_channel(company=org.company, name=f"{platform} 群", platform=platform,
                              address=address, **fields)


def send(org, keys=("staff", "peer"), url="/goals/objectives/7/"):
    with scope(company=org.company.pk):
        return notify(company=org.company, recipients=[org.employees[k] for k in keys],
                      kind=GOAL_CHANGED.key, params={"key_result": "ARR", "reason": "季度调整"},
                      url=url, actor=org.employees["lead"])


def deliveries(org):
    with scope(company=org.company.pk):
        return list(WebhookDelivery.objects.order_by("pk"))


def dingtalk_sign(timestamp: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


TEXT = "[星河科技] 目标 · ARR\n负责人: 季度调整\n查看：https://hr.galaxy.example/goals/objectives/7/"


def test_dingtalk_gets_one_signed_message_mentioning_every_recipient(
        phones, server, django_capture_on_commit_callbacks):
    channel(phones, "dingtalk", server.url("/robot/send?access_token=tok123"),
            secret=DING_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        rows = send(phones)

    assert len(rows) == 2
    [request] = server.requests
    assert request["path"] == "/robot/send"
    query = request["query"]
    assert sorted(query) == ["access_token", "sign", "timestamp"]
    assert query["access_token"] == ["tok123"]
    timestamp = query["timestamp"][0]
    assert len(timestamp) == 13  # milliseconds
    # The sign is URL-encoded in the query string: decoded once, it is the Base64 HMAC.
    raw_sign = request["raw_query"].split("&sign=")[1]
    assert unquote_plus(raw_sign) == dingtalk_sign(timestamp, DING_SECRET)
    assert request["json"] == {
        "msgtype": "text",
        "text": {"content": f"{TEXT}\n@13800000001 @13800000002"},
        "at": {"atMobiles": ["13800000001", "13800000002"], "isAtAll": False},
    }
    [delivery] = deliveries(phones)
    assert (delivery.status, delivery.attempts, delivery.http_status, delivery.error_code,
            delivery.notification_count, delivery.kind) == (
        DeliveryStatus.SENT, 1, 200, "", 2, GOAL_CHANGED.key)
    assert delivery.sent_at is not None and delivery.text == TEXT


def test_wecom_gets_the_text_with_mobiles_mentioned_and_no_signature(
        phones, server, django_capture_on_commit_callbacks):
    channel(phones, "wecom", server.url("/cgi-bin/webhook/send?key=wkey"))
    with django_capture_on_commit_callbacks(execute=True):
        send(phones)

    [request] = server.requests
    assert (request["path"], request["raw_query"]) == ("/cgi-bin/webhook/send", "key=wkey")
    assert request["json"] == {"msgtype": "text", "text": {
        "content": TEXT, "mentioned_mobile_list": ["13800000001", "13800000002"]}}
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"


def test_feishu_gets_timestamp_and_sign_in_the_body(phones, server,
                                                    django_capture_on_commit_callbacks):
    server.default = (200, {"code": 0, "msg": "success"})
    channel(phones, "feishu", server.url("/open-apis/bot/v2/hook/hook-id"),
            secret=FEISHU_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        send(phones)

    [request] = server.requests
    assert (request["path"], request["raw_query"]) == ("/open-apis/bot/v2/hook/hook-id", "")
    body = request["json"]
    timestamp = body["timestamp"]
    assert len(timestamp) == 10  # seconds
    key = f"{timestamp}\n{FEISHU_SECRET}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body == {"timestamp": timestamp, "sign": expected, "msg_type": "text",
                    "content": {"text": TEXT}}
    [delivery] = deliveries(phones)
    assert delivery.status == DeliveryStatus.SENT and delivery.mentions == []


def test_one_message_per_channel_not_per_recipient(org, server,
                                                   django_capture_on_commit_callbacks):
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=b"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org, keys=("staff", "peer", "finance", "hr"))

    assert sorted(r["raw_query"] for r in server.requests) == ["key=a", "key=b"]
    assert [d.notification_count for d in deliveries(org)] == [4, 4]
    # Nobody has a work phone here: nobody to mention.
    assert "mentioned_mobile_list" not in server.requests[0]["json"]["text"]


def test_a_5xx_is_retried_with_backoff_and_each_attempt_logged(
        org, server, django_capture_on_commit_callbacks):
    server.answers = [(502, {"error": "bad gateway"}), (503, {})]
    channel(org, "dingtalk", server.url("/robot/send?access_token=t"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org)

    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts, delivery.http_status) == (
        DeliveryStatus.PENDING, 1, 502)
    assert delivery.error_message == '{"error": "bad gateway"}'
    [retry] = HUEY.scheduled()
    assert retry.retry_delay == 60  # 30 s first, doubled for the next one

    assert run_retries() == 2
    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts, delivery.http_status, delivery.error_code) == (
        DeliveryStatus.SENT, 3, 200, "")
    assert len(server.requests) == 3


def test_a_platform_error_code_in_a_200_is_a_failure_and_retried(
        org, server, django_capture_on_commit_callbacks):
    server.answers = [(200, {"errcode": 130101, "errmsg": "send too fast"})]
    channel(org, "dingtalk", server.url("/robot/send?access_token=t"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org)

    [delivery] = deliveries(org)
    assert (delivery.status, delivery.http_status, delivery.error_code, delivery.error_message) \
        == (DeliveryStatus.PENDING, 200, "130101", "send too fast")
    run_retries()
    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_feishu_error_19021_is_a_failure(org, server, django_capture_on_commit_callbacks):
    server.default = (200, {"code": 19021, "msg": "sign match fail"})
    channel(org, "feishu", server.url("/open-apis/bot/v2/hook/h"), secret=FEISHU_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        send(org)
    run_retries()

    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts, delivery.error_code) == (
        DeliveryStatus.FAILED, 6, "19021")
    assert len(server.requests) == 6


def test_after_the_last_retry_the_delivery_is_failed(org, server,
                                                     django_capture_on_commit_callbacks):
    server.default = (500, {})
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org)
    assert run_retries() == 5

    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts, delivery.http_status, delivery.sent_at) == (
        DeliveryStatus.FAILED, 6, 500, None)
    assert HUEY.scheduled() == []


def test_a_4xx_fails_at_once(org, server, django_capture_on_commit_callbacks):
    server.default = (404, {})
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org)

    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts, delivery.http_status) == (
        DeliveryStatus.FAILED, 1, 404)
    assert HUEY.scheduled() == []


def test_a_redirect_is_never_followed(org, server, django_capture_on_commit_callbacks):
    server.default = (302, {})
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org)

    assert len(server.requests) == 1
    [delivery] = deliveries(org)
    assert (delivery.status, delivery.http_status) == (DeliveryStatus.FAILED, 302)


def test_a_server_that_is_down_never_breaks_the_sender_nor_leaks_the_secret(
        org, caplog, django_capture_on_commit_callbacks):
    with RobotServer() as gone:
        address = gone.url("/robot/send?access_token=secret-token-77")
    channel(org, "dingtalk", address, secret=DING_SECRET)

    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        rows = send(org)

    assert len(rows) == 2
    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts, delivery.error_code, delivery.http_status) == (
        DeliveryStatus.PENDING, 1, "network", None)
    run_retries()
    [delivery] = deliveries(org)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 6)
    logged = caplog.text
    assert "failed" in logged
    assert DING_SECRET not in logged and "secret-token-77" not in logged


def test_a_failing_queue_never_breaks_the_sender(org, server, monkeypatch, caplog,
                                                 django_capture_on_commit_callbacks):
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("tandem.core.tasks.send_webhook", down)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        rows = send(org)

    assert len(rows) == 2
    [delivery] = deliveries(org)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    assert "Could not queue group robot delivery" in caplog.text


def test_nothing_is_sent_when_the_sender_rolls_back(org, server,
                                                    django_capture_on_commit_callbacks):
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))

    class Abort(Exception):
        pass

    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(Abort),
          transaction.atomic()):
        send(org)
        raise Abort
    assert server.requests == [] and deliveries(org) == []


def test_only_enabled_channels_of_the_category_receive(org, server,
                                                       django_capture_on_commit_callbacks):
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=goals"))
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=pay"), categories=["pay"])
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=off"), enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(org)

    assert [r["raw_query"] for r in server.requests] == ["key=goals"]


def test_per_user_mutes_of_the_group_chat_drop_the_mention(
        phones, server, django_capture_on_commit_callbacks):
    e = phones.employees
    with scope(company=phones.company.pk):
        set_mutes(employee=e["peer"], muted=[("goals", "webhook")])
        set_mutes(employee=e["staff"], muted=[("goals", "in_app")])  # another channel
    channel(phones, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    with django_capture_on_commit_callbacks(execute=True):
        send(phones)

    [request] = server.requests
    assert request["json"]["text"]["mentioned_mobile_list"] == ["13800000001"]
    assert deliveries(phones)[0].notification_count == 1


def test_nobody_left_after_mutes_sends_nothing(org, server, django_capture_on_commit_callbacks):
    with scope(company=org.company.pk):
        set_mutes(employee=org.employees["staff"], muted=[("goals", "webhook")])
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org, keys=("staff",))
    assert server.requests == []


def test_a_channel_disabled_before_sending_sends_nothing(org, server, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    robot = channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    monkeypatch.setattr("tandem.core.notifications.webhooks.enqueue", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        send(org)
    with scope(company=org.company.pk):
        WebhookChannel.objects.filter(pk=robot.pk).update(enabled=False)
    [delivery] = deliveries(org)

    assert send_webhook.call_local(delivery.pk) == DeliveryStatus.FAILED
    assert server.requests == []
    assert deliveries(org)[0].error_code == "disabled"


def test_an_address_not_allowed_at_send_time_is_never_called(org, server, settings,
                                                             django_capture_on_commit_callbacks):
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    settings.TANDEM_WEBHOOK_ALLOW_ANY_HOST = False
    with django_capture_on_commit_callbacks(execute=True):
        send(org)

    assert server.requests == []
    [delivery] = deliveries(org)
    assert (delivery.status, delivery.error_code, delivery.attempts) == (
        DeliveryStatus.FAILED, "address", 1)


def test_the_secret_is_stored_encrypted_and_unreadable_under_another_key(
        org, server, settings, django_capture_on_commit_callbacks):
    robot = channel(org, "dingtalk", server.url("/robot/send?access_token=t"),
                    secret=DING_SECRET)
    assert robot.secret_sealed.startswith("fernet:") and DING_SECRET not in robot.secret_sealed
    assert unseal(robot.secret_sealed) == DING_SECRET

    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    with pytest.raises(SecretUnreadable):
        unseal(robot.secret_sealed)
    with django_capture_on_commit_callbacks(execute=True):
        send(org)
    assert server.requests == []
    [delivery] = deliveries(org)
    assert (delivery.status, delivery.error_code) == (DeliveryStatus.FAILED, "secret")
    assert "enter it again" in str(delivery.error_text) or delivery.error_text


def test_a_rotated_secret_key_still_opens_the_secret(org, settings):
    robot = channel(org, "dingtalk", "http://127.0.0.1:9/robot/send?access_token=t",
                    secret=DING_SECRET)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "rotated-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert unseal(robot.secret_sealed) == DING_SECRET


def test_a_blank_secret_on_edit_keeps_the_old_one(org):
    robot = channel(org, "dingtalk", "http://127.0.0.1:9/robot/send?access_token=t",
                    secret=DING_SECRET)
    with scope(company=org.company.pk):
        update_channel(channel=robot, name="改名", platform="dingtalk", address="",
                       secret="", categories=["goals"])
        robot.refresh_from_db()
    assert robot.name == "改名" and unseal(robot.secret_sealed) == DING_SECRET
    assert robot.address == "http://127.0.0.1:9/robot/send?access_token=t"


def test_a_test_message_goes_out_after_commit_in_the_company_language_and_is_logged(
        org, server, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "en"
    robot = channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"), enabled=False)
    with django_capture_on_commit_callbacks(execute=True), scope(company=org.company.pk):
        queue_test(channel=robot)

    [request] = server.requests
    assert request["json"]["text"]["content"] == (
        "Test message from Tandem: notifications of Galaxy Tech will arrive in this group.\n"
        "Open: https://hr.galaxy.example/settings/channels/")
    [delivery] = deliveries(org)
    assert (delivery.kind, delivery.status, delivery.notification_count) == (
        "test", DeliveryStatus.SENT, 0)


def test_group_messages_cost_a_constant_number_of_queries(
        org, server, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    from tandem.core.testing import make_employee

    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    with scope(company=org.company.pk):
        many = [make_employee(org.company, org.sales, phone=f"139{n:08d}") for n in range(30)]
    # The mutes, the rows; after commit the robots, the deliveries; the task reads, updates.
    with django_assert_max_num_queries(6), django_capture_on_commit_callbacks(execute=True), \
            scope(company=org.company.pk):
        notify(company=org.company, recipients=many, kind=GOAL_CHANGED.key,
               params={"key_result": "ARR"})
    [request] = server.requests
    assert len(request["json"]["text"]["mentioned_mobile_list"]) == 30


def test_the_task_retries_five_times_with_doubling_delays():
    task = send_webhook.task_class
    assert (task.default_retries, task.default_retry_delay, task.default_retry_backoff) == (
        5, 30, 2)


def test_a_delivery_no_longer_pending_is_not_sent_again(org, server,
                                                        django_capture_on_commit_callbacks):
    channel(org, "wecom", server.url("/cgi-bin/webhook/send?key=a"))
    with django_capture_on_commit_callbacks(execute=True):
        send(org)
    [delivery] = deliveries(org)

    assert send_webhook.call_local(delivery.pk) is None
    assert send_webhook.call_local(999999) is None
    assert len(server.requests) == 1
