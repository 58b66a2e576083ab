"""Group-robot webhooks of DingTalk, WeCom and Feishu/Lark: addresses, signatures, request
bodies and the reading of their answers. Pure: no database, no network, no settings; the
caller passes the time. The facts are in ../shared/domain/integrations.md; tests check them
against hand-computed values.

    request = build_request("dingtalk", address, secret="SEC…", text="…",
                            mobiles=["13800000000"], keyword="", now=time.time())
    outcome = read_response("dingtalk", 200, b'{"errcode":0,"errmsg":"ok"}')
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote_plus, urlsplit

DINGTALK = "dingtalk"
WECOM = "wecom"
FEISHU = "feishu"
PLATFORMS = (DINGTALK, WECOM, FEISHU)

# The only hosts a robot address may name (SSRF guard), the path it starts with and the query
# parameter that carries its token.
HOSTS = {
    DINGTALK: ("oapi.dingtalk.com",),
    WECOM: ("qyapi.weixin.qq.com",),
    FEISHU: ("open.feishu.cn", "open.larksuite.com"),
}
PATHS = {
    DINGTALK: "/robot/send",
    WECOM: "/cgi-bin/webhook/send",
    FEISHU: "/open-apis/bot/v2/hook/",
}
TOKEN_PARAMETERS = {DINGTALK: "access_token", WECOM: "key"}

# How much text each platform takes, in UTF-8 bytes (WeCom: 2,048 bytes of text content).
TEXT_LIMITS = {DINGTALK: 18000, WECOM: 2048, FEISHU: 30000}
ELLIPSIS = "…"

# Address problems, as codes: the caller words them in the user's language.
ADDRESS_BLANK = "blank"
ADDRESS_SCHEME = "scheme"
ADDRESS_HOST = "host"
ADDRESS_PATH = "path"
ADDRESS_TOKEN = "token"  # noqa: S105 (a code, not a password)
ADDRESS_CREDENTIALS = "credentials"


@dataclass(frozen=True)
class Request:
    url: str
    body: dict

    def data(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Outcome:
    """What an answer means: sent, or why not and whether trying again may help."""

    ok: bool
    retry: bool = False
    http_status: int | None = None
    error_code: str = ""
    error_message: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Signatures


def dingtalk_signature(secret: str, timestamp_ms: int) -> str:
    """DingTalk "加签": HMAC-SHA256 keyed with the secret over "timestamp\\nsecret", Base64
    (not yet URL-encoded). The timestamp is in milliseconds."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_signature(secret: str, timestamp_s: int) -> str:
    """Feishu "签名校验": HMAC-SHA256 keyed with "timestamp\\nsecret" over an EMPTY message,
    Base64. The timestamp is in seconds."""
    key = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(key, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_signed_url(address: str, secret: str, timestamp_ms: int) -> str:
    """The address with `&timestamp=…&sign=…` (the signature URL-encoded) appended."""
    sign = quote_plus(dingtalk_signature(secret, timestamp_ms))
    joiner = "&" if "?" in address else "?"
    return f"{address}{joiner}timestamp={timestamp_ms}&sign={sign}"


# ---------------------------------------------------------------------------------------------
# Messages


def truncate_utf8(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8 (an ellipsis marks a cut), never in the
    middle of a character."""
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len(ELLIPSIS.encode("utf-8"))
    cut = text.encode("utf-8")[:max(budget, 0)].decode("utf-8", errors="ignore")
    return cut + ELLIPSIS


def normalize_mobile(phone: str) -> str:
    """A mobile number as the platforms match it: digits only, without China's +86."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def build_request(platform: str, address: str, *, secret: str = "", text: str,
                  mobiles: list[str] | tuple[str, ...] = (), keyword: str = "",
                  now: float) -> Request:
    """The POST one text message needs: its URL (signed for DingTalk) and JSON body (signed
    for Feishu). `mobiles` are mentioned where the platform can mention by phone (DingTalk,
    WeCom); Feishu mentions need its own user ids, so it gets the text alone. `now` is the
    Unix time in seconds."""
    mobiles = [m for m in dict.fromkeys(normalize_mobile(m) for m in mobiles) if m]
    if platform == DINGTALK:
        if keyword and keyword not in text:
            text = f"{keyword}\n{text}"
        if mobiles:  # DingTalk highlights a mention only when the text names it
            text = f"{text}\n" + " ".join(f"@{mobile}" for mobile in mobiles)
        body = {
            "msgtype": "text",
            "text": {"content": truncate_utf8(text, TEXT_LIMITS[DINGTALK])},
            "at": {"atMobiles": mobiles, "isAtAll": False},
        }
        url = address
        if secret:
            url = dingtalk_signed_url(address, secret, int(now * 1000))
        return Request(url=url, body=body)
    if platform == WECOM:
        content = {"content": truncate_utf8(text, TEXT_LIMITS[WECOM])}
        if mobiles:
            content["mentioned_mobile_list"] = mobiles
        return Request(url=address, body={"msgtype": "text", "text": content})
    if platform == FEISHU:
        body: dict = {}
        if secret:
            timestamp = int(now)
            body = {"timestamp": str(timestamp), "sign": feishu_signature(secret, timestamp)}
        body |= {"msg_type": "text",
                 "content": {"text": truncate_utf8(text, TEXT_LIMITS[FEISHU])}}
        return Request(url=address, body=body)
    raise ValueError(f"Unknown platform {platform!r}")


# ---------------------------------------------------------------------------------------------
# Answers


def read_response(platform: str, http_status: int, content: bytes) -> Outcome:
    """A 2xx whose JSON carries no platform error is sent. A platform error code in a 2xx
    (DingTalk and WeCom `errcode` ≠ 0, Feishu `code` ≠ 0) is a failure worth retrying (rate
    limits, a clock off by a minute); so is a 5xx or a 429. Any other status is a failure that
    retrying does not mend (a wrong token, a redirect, which is never followed)."""
    if not 200 <= http_status < 300:
        return Outcome(ok=False, retry=http_status >= 500 or http_status == 429,
                       http_status=http_status, error_message=_snippet(content))
    try:
        answer = json.loads(content.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return Outcome(ok=False, retry=True, http_status=http_status,
                       error_code="response", error_message=_snippet(content))
    if not isinstance(answer, dict):
        answer = {}
    if platform == FEISHU:
        code = answer.get("code", answer.get("StatusCode", 0))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code = answer.get("errcode", 0)
        message = answer.get("errmsg", "")
    if code in (0, "0", None):
        return Outcome(ok=True, http_status=http_status)
    return Outcome(ok=False, retry=True, http_status=http_status, error_code=str(code),
                   error_message=str(message)[:500])


def _snippet(content: bytes) -> str:
    return content[:300].decode("utf-8", errors="replace").strip()


# ---------------------------------------------------------------------------------------------
# Addresses


def address_problem(platform: str, address: str, *, allow_any_host: bool = False) -> str | None:
    """None for an address Tandem may post to; else the code of what is wrong with it. Only
    HTTPS to the platform's own host (no other port, no user:password@), on the robot's
    path with its token: a robot address cannot be turned against the servers around Tandem.
    `allow_any_host` (tests, a relay of the company's own) accepts any http(s) host."""
    address = (address or "").strip()
    if not address:
        return ADDRESS_BLANK
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        return ADDRESS_HOST
    if allow_any_host:
        if parts.scheme not in ("http", "https"):
            return ADDRESS_SCHEME
        return None if parts.hostname else ADDRESS_HOST
    if parts.scheme != "https":
        return ADDRESS_SCHEME
    if parts.username is not None or parts.password is not None:
        return ADDRESS_CREDENTIALS
    if (parts.hostname or "").lower() not in HOSTS.get(platform, ()) or port not in (None, 443):
        return ADDRESS_HOST
    path = PATHS[platform]
    if path.endswith("/"):
        if not parts.path.startswith(path) or len(parts.path) == len(path):
            return ADDRESS_PATH
    elif parts.path != path:
        return ADDRESS_PATH
    parameter = TOKEN_PARAMETERS.get(platform)
    if parameter and not parse_qs(parts.query).get(parameter, [""])[0]:
        return ADDRESS_TOKEN
    return None


def masked_address(address: str) -> str:
    """The address with its token hidden but for its first four characters: a robot's address
    is a credential (anyone who has it can post to the group)."""
    try:
        parts = urlsplit(address or "")
    except ValueError:
        return ""
    if not parts.scheme:
        return ""
    shown = f"{parts.scheme}://{parts.netloc}"
    path = parts.path
    if path.startswith(PATHS[FEISHU]) and len(path) > len(PATHS[FEISHU]):
        token = path[len(PATHS[FEISHU]):]
        path = PATHS[FEISHU] + token[:4] + ELLIPSIS
    shown += path
    if parts.query:
        masked = []
        for name, values in parse_qs(parts.query, keep_blank_values=True).items():
            value = values[0] if values else ""
            masked.append(f"{name}={value[:4]}{ELLIPSIS if len(value) > 4 else ''}")
        shown += "?" + "&".join(masked)
    return shown
