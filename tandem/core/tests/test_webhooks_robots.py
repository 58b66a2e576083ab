"""The pure part of the group robots: signatures against values computed by hand (openssl),
request bodies, answers, address checks (SSRF) and masking."""

import json

import pytest

from tandem.core.notifications import robots

# printf '1700000000000\nSECtest123' | openssl dgst -sha256 -hmac 'SECtest123' -binary | base64
DINGTALK_SIGN = "w3RMHXzixTMdzr8OHJUmVLS4IoPJVdu+Ut1LE48MePE="
# printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\nfeishu-secret')" -binary | base64
FEISHU_SIGN = "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU="


def test_dingtalk_signs_timestamp_newline_secret_keyed_with_the_secret():
    assert robots.dingtalk_signature("SECtest123", 1700000000000) == DINGTALK_SIGN


def test_dingtalk_appends_timestamp_and_url_encoded_sign_to_the_address():
    url = robots.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", "SECtest123", 1700000000000)
    assert url == ("https://oapi.dingtalk.com/robot/send?access_token=abc"
                   "&timestamp=1700000000000"
                   "&sign=w3RMHXzixTMdzr8OHJUmVLS4IoPJVdu%2BUt1LE48MePE%3D")


def test_feishu_signs_an_empty_message_keyed_with_timestamp_newline_secret():
    assert robots.feishu_signature("feishu-secret", 1700000000) == FEISHU_SIGN
    # Not DingTalk's way round: that would be another value.
    assert robots.feishu_signature("feishu-secret", 1700000000) != robots.dingtalk_signature(
        "feishu-secret", 1700000000)


def test_dingtalk_request_is_signed_in_milliseconds_and_mentions_by_phone():
    request = robots.build_request(
        "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", secret="SECtest123",
        text="目标 · ARR", mobiles=["138 0000 0000", "+86 139-0000-0000", "13800000000", ""],
        now=1700000000.0)
    assert request.url.endswith("&timestamp=1700000000000&sign=w3RMHXzixTMdzr8OHJUmVLS4IoPJVdu"
                                "%2BUt1LE48MePE%3D")
    assert request.body == {
        "msgtype": "text",
        "text": {"content": "目标 · ARR\n@13800000000 @13900000000"},
        "at": {"atMobiles": ["13800000000", "13900000000"], "isAtAll": False},
    }


def test_dingtalk_without_secret_is_not_signed_and_gets_its_keyword():
    request = robots.build_request("dingtalk", "https://x/robot/send?access_token=a",
                                   text="目标", keyword="Tandem", now=1.0)
    assert request.url == "https://x/robot/send?access_token=a"
    assert request.body["text"]["content"] == "Tandem\n目标"
    already = robots.build_request("dingtalk", "https://x/r?a=1", text="Tandem 目标",
                                   keyword="Tandem", now=1.0)
    assert already.body["text"]["content"] == "Tandem 目标"


def test_wecom_request_mentions_mobiles_and_caps_text_at_2048_bytes():
    request = robots.build_request(
        "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", text="字" * 1000,
        mobiles=["13800000000"], now=1.0)
    assert request.url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    content = request.body["text"]["content"]
    assert len(content.encode()) <= 2048 and content.endswith("…")
    assert request.body == {"msgtype": "text", "text": {
        "content": content, "mentioned_mobile_list": ["13800000000"]}}


def test_feishu_request_carries_timestamp_in_seconds_and_sign_in_the_body():
    request = robots.build_request(
        "feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abc", secret="feishu-secret",
        text="目标", mobiles=["13800000000"], now=1700000000.9)
    assert request.url == "https://open.feishu.cn/open-apis/bot/v2/hook/abc"
    assert request.body == {"timestamp": "1700000000", "sign": FEISHU_SIGN,
                            "msg_type": "text", "content": {"text": "目标"}}
    assert json.loads(request.data()) == request.body


def test_feishu_without_secret_sends_the_text_alone():
    request = robots.build_request("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/a",
                                   text="x", now=1.0)
    assert request.body == {"msg_type": "text", "content": {"text": "x"}}


def test_unknown_platform_is_refused():
    with pytest.raises(ValueError):
        robots.build_request("slack", "https://x", text="x", now=1.0)


@pytest.mark.parametrize(("platform", "status", "answer", "expected"), [
    ("dingtalk", 200, {"errcode": 0, "errmsg": "ok"}, (True, False, "", "")),
    ("dingtalk", 200, {"errcode": 310000, "errmsg": "sign not match"},
     (False, True, "310000", "sign not match")),
    ("wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"},
     (False, True, "93000", "invalid webhook url")),
    ("feishu", 200, {"code": 0, "msg": "success"}, (True, False, "", "")),
    ("feishu", 200, {"code": 19021, "msg": "sign match fail or timestamp is not within one "
                                           "hour from current time"},
     (False, True, "19021", "sign match fail or timestamp is not within one hour from current "
                            "time")),
    ("feishu", 200, {"StatusCode": 0, "StatusMessage": "success"}, (True, False, "", "")),
    ("dingtalk", 502, {}, (False, True, "", "{}")),
    ("dingtalk", 429, {}, (False, True, "", "{}")),
    ("wecom", 404, {}, (False, False, "", "{}")),
    ("wecom", 302, {}, (False, False, "", "{}")),
])
def test_reading_answers(platform, status, answer, expected):
    outcome = robots.read_response(platform, status, json.dumps(answer).encode())
    assert (outcome.ok, outcome.retry, outcome.error_code, outcome.error_message) == expected
    assert outcome.http_status == status


def test_an_unreadable_2xx_is_a_failure_worth_retrying():
    outcome = robots.read_response("dingtalk", 200, b"<html>gateway</html>")
    assert (outcome.ok, outcome.retry, outcome.error_code) == (False, True, "response")


@pytest.mark.parametrize(("platform", "address", "problem"), [
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", None),
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", None),
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abc", None),
    ("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/abc", None),
    ("feishu", "https://OPEN.FEISHU.CN:443/open-apis/bot/v2/hook/abc", None),
    ("dingtalk", "", "blank"),
    ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=abc", "scheme"),
    ("dingtalk", "https://127.0.0.1/robot/send?access_token=abc", "host"),
    ("dingtalk", "https://oapi.dingtalk.com.evil.example/robot/send?access_token=a", "host"),
    ("dingtalk", "https://oapi.dingtalk.com:8443/robot/send?access_token=abc", "host"),
    ("dingtalk", "https://x@oapi.dingtalk.com/robot/send?access_token=abc", "credentials"),
    ("wecom", "https://oapi.dingtalk.com/robot/send?access_token=abc", "host"),
    ("feishu", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "host"),
    ("dingtalk", "https://oapi.dingtalk.com/gettoken?access_token=abc", "path"),
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/", "path"),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send", "token"),
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=", "token"),
    ("dingtalk", "file:///etc/passwd", "scheme"),
    ("dingtalk", "https://[::1/robot", "host"),
])
def test_only_the_platforms_https_robot_addresses_pass(platform, address, problem):
    assert robots.address_problem(platform, address) == problem


def test_allowing_any_host_still_wants_http_and_a_host():
    assert robots.address_problem("dingtalk", "http://127.0.0.1:8000/x",
                                  allow_any_host=True) is None
    assert robots.address_problem("dingtalk", "file:///etc/passwd",
                                  allow_any_host=True) == "scheme"
    assert robots.address_problem("dingtalk", "http:///x", allow_any_host=True) == "host"


def test_the_address_is_shown_with_its_token_masked():
    assert robots.masked_address("https://oapi.dingtalk.com/robot/send?access_token=abcdef123") \
        == "https://oapi.dingtalk.com/robot/send?access_token=abcd…"
    assert robots.masked_address("https://open.feishu.cn/open-apis/bot/v2/hook/0123456789") \
        == "https://open.feishu.cn/open-apis/bot/v2/hook/0123…"


def test_utf8_truncation_never_splits_a_character():
    assert robots.truncate_utf8("abc", 3) == "abc"
    cut = robots.truncate_utf8("字字字字", 9)
    assert cut == "字字…" and len(cut.encode()) <= 9
