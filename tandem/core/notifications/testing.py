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


def make_webhooks(org) -> dict:
    """A DingTalk robot channel of the company, signed, receiving goals, with one delivery in
    its log (the access matrix's objects: settings pages of owner/admin and HR only). Its
    address is the platform's real one: nothing in the matrix sends (messages go out after a
    commit, and the matrix's writes are rolled back)."""
    from django_scopes import scope

    from .models import DeliveryStatus, WebhookDelivery
    from .webhooks import create_channel

    with scope(company=org.company.pk):
        channel = create_channel(
            company=org.company, name=f"{org.company.name} 目标群", platform="dingtalk",
            address=f"https://oapi.dingtalk.com/robot/send?access_token=tok{org.company.pk}x9",
            secret="SECfixture-secret", categories=["goals"])  # noqa: S106 (a test robot)
        delivery = WebhookDelivery.objects.create(
            company=org.company, channel=channel, kind=GOAL_CHANGED.key, notification_count=1,
            text=f"[{org.company.name}] 目标", status=DeliveryStatus.SENT, attempts=1,
            http_status=200)
    return {"dingtalk": channel, "delivery": delivery}


class RobotServer:
    """A local HTTP server standing in for a platform's robot endpoint: records every request
    (path, query, headers, JSON body) and answers from `answers` in turn (status, JSON), then
    with `default`.

        with RobotServer() as server:
            server.answers = [(500, {}), (200, {"errcode": 0})]
            ... server.url("/robot/send?access_token=abc") ... server.requests
    """

    def __init__(self, default=(200, {"errcode": 0, "errmsg": "ok"})):
        self.default = default
        self.answers: list[tuple[int, object]] = []
        self.requests: list[dict] = []

    def __enter__(self):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlsplit

        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                server.requests.append({
                    "path": parts.path, "query": parse_qs(parts.query), "raw_query": parts.query,
                    "headers": dict(self.headers), "raw": raw, "json": json.loads(raw or b"{}"),
                })
                status, answer = server.answers.pop(0) if server.answers else server.default
                content = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"


def run_retries(limit: int = 20) -> int:
    """Run the task retries Huey has scheduled (immediate mode keeps them in memory, due
    later): how many ran."""
    import datetime

    from huey.contrib.djhuey import HUEY

    ran = 0
    while ran < limit:
        due = HUEY.read_schedule(datetime.datetime(9999, 1, 1))
        if not due:
            break
        for task in due:
            HUEY.execute(task, timestamp=task.eta)  # as if its time had come
            ran += 1
    return ran
