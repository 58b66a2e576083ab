"""notify_many(): many events in one write, told exactly as the same `notify()` calls would tell
them (recipients, actor, mutes per category and channel), checked before anything is written,
in a constant number of queries; after the commit one robot message per event and one email
per notification, the company's email routing asked once per company and category."""

import pytest
from django.db import transaction
from django_scopes import scope, scopes_disabled
from huey.contrib.djhuey import HUEY
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from tandem.core.notifications import Message, notify, notify_many, services, webhooks
from tandem.core.notifications.models import Notification, WebhookDelivery
from tandem.core.notifications.services import set_mutes
from tandem.core.notifications.testing import GOAL_CHANGED, PAYSLIP_READY, RobotServer

pytestmark = pytest.mark.django_db

PEOPLE = ("owner", "hr", "finance", "lead", "staff", "peer")
KINDS = (GOAL_CHANGED.key, PAYSLIP_READY.key)  # categories "goals" and "pay"
CHANNELS = ("in_app", "email", "webhook")


@pytest.fixture
def two(org, other_org):
    """Both companies, staff and peer with a work email in each."""
    for company in (org, other_org):
        with scope(company=company.company.pk):
            for key in ("staff", "peer"):
                person = company.employees[key]
                person.email = f"{person.name}@example.com"
                person.save()
    return {"a": org, "b": other_org}


def rows_of(rows):
    return [(row.company_id, row.recipient_id, row.kind, row.params, row.url, row.actor_id,
             row.shown_in_app) for row in rows]


def deliveries_of(callbacks):
    """What the after-commit callbacks would hand each channel: (channel, kind, recipient)."""
    return sorted((callback.func.__self__.key, row.kind, row.recipient_id)
                  for callback in callbacks for batch in callback.args[0] for row in batch)


class Rollback(Exception):
    pass


def attempt(run, capture):
    """Rows and after-commit deliveries of `run()`, then everything undone."""
    try:
        with transaction.atomic():
            with capture(execute=False) as callbacks:
                result = run()
            seen = (result, deliveries_of(callbacks))
            raise Rollback
    except Rollback:
        return seen


message_specs = st.lists(
    st.fixed_dictionaries({
        "company": st.sampled_from("ab"),
        "recipients": st.lists(st.sampled_from(PEOPLE), max_size=5),
        "kind": st.sampled_from(KINDS),
        "actor": st.none() | st.sampled_from(PEOPLE),
        "n": st.integers(0, 99),
    }),
    max_size=6,
)
mute_specs = st.sets(st.tuples(st.sampled_from("ab"), st.sampled_from(PEOPLE),
                               st.sampled_from(("goals", "pay")), st.sampled_from(CHANNELS)),
                     max_size=8)


@examples(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=message_specs, mutes=mute_specs)
def test_the_same_rows_and_deliveries_as_one_notify_per_message(
        two, django_capture_on_commit_callbacks, specs, mutes):
    def person(company, key):
        return two[company].employees[key]

    def setup():
        wanted = {}
        for company, key, category, channel in mutes:
            wanted.setdefault((company, key), []).append((category, channel))
        for company in "ab":
            for key in PEOPLE:
                set_mutes(employee=person(company, key),
                          muted=wanted.get((company, key), []))

    messages = [
        Message(company=two[spec["company"]].company,
                recipients=[person(spec["company"], key) for key in spec["recipients"]],
                kind=spec["kind"], params={"key_result": f"KR {spec['n']}", "month": spec["n"]},
                url=f"/goals/{spec['n']}/",
                actor=spec["actor"] and person(spec["company"], spec["actor"]))
        for spec in specs
    ]

    def many():
        setup()
        return [rows_of(rows) for rows in notify_many(messages)]

    def one_by_one():
        setup()
        return [rows_of(notify(company=m.company, recipients=m.recipients, kind=m.kind,
                               params=m.params, url=m.url, actor=m.actor)) for m in messages]

    with scopes_disabled():
        together = attempt(many, django_capture_on_commit_callbacks)
        apart = attempt(one_by_one, django_capture_on_commit_callbacks)
    assert together == apart
    assert len(together[0]) == len(messages)


def test_rows_recipients_actor_and_mutes_per_category_and_channel(
        two, django_capture_on_commit_callbacks):
    a, b = two["a"].employees, two["b"].employees
    with scopes_disabled():
        set_mutes(employee=a["staff"], muted=[("goals", "in_app"), ("pay", "email")])
        set_mutes(employee=b["peer"], muted=[("goals", "email")])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            made = notify_many([
                Message(company=two["a"].company, recipients=[a["staff"], a["lead"], a["staff"]],
                        kind=GOAL_CHANGED.key, params={"key_result": "ARR"}, url="/g/",
                        actor=a["lead"]),
                Message(company=two["a"].company, recipients=[a["lead"]], kind=GOAL_CHANGED.key,
                        params={}, actor=a["lead"]),
                Message(company=two["a"].company, recipients=[a["staff"], a["peer"]],
                        kind=PAYSLIP_READY.key, params={"month": 11}),
                Message(company=two["b"].company, recipients=[b["peer"], b["staff"]],
                        kind=GOAL_CHANGED.key, params={"key_result": "GMV"}),
            ])
        stored = Notification.objects.count()

    goals, pay = GOAL_CHANGED.key, PAYSLIP_READY.key
    ca, cb = two["a"].company.pk, two["b"].company.pk
    assert [rows_of(rows) for rows in made] == [
        [(ca, a["staff"].pk, goals, {"key_result": "ARR"}, "/g/", a["lead"].pk, False)],
        [],
        [(ca, a["staff"].pk, pay, {"month": "11"}, "", None, True),
         (ca, a["peer"].pk, pay, {"month": "11"}, "", None, True)],
        [(cb, b["peer"].pk, goals, {"key_result": "GMV"}, "", None, True),
         (cb, b["staff"].pk, goals, {"key_result": "GMV"}, "", None, True)],
    ]
    assert stored == 5
    # Email: staff of a muted pay email, peer of b muted goals email; the rest have an address.
    assert [(key, kind, person) for key, kind, person in deliveries_of(callbacks)
            if key == "email"] == sorted([
                ("email", goals, a["staff"].pk), ("email", pay, a["peer"].pk),
                ("email", goals, b["staff"].pk)])


def test_another_companys_employee_is_refused_before_anything_is_written(
        two, django_capture_on_commit_callbacks):
    a, b = two["a"], two["b"]
    with scopes_disabled():
        with (django_capture_on_commit_callbacks(execute=False) as callbacks,
              pytest.raises(ValueError, match=f"company {a.company.pk}")):
            notify_many([
                Message(company=a.company, recipients=[a.employees["staff"]],
                        kind=GOAL_CHANGED.key, params={}),
                Message(company=a.company, recipients=[a.employees["peer"], b.employees["peer"]],
                        kind=GOAL_CHANGED.key, params={}),
            ])
        with pytest.raises(ValueError, match="no.such"):
            notify_many([
                Message(company=a.company, recipients=[a.employees["staff"]],
                        kind=GOAL_CHANGED.key, params={}),
                Message(company=a.company, recipients=[a.employees["staff"]], kind="no.such",
                        params={}),
            ])
        assert Notification.objects.count() == 0
    assert callbacks == []


def test_nothing_to_tell_costs_nothing(org, django_assert_num_queries):
    lead = org.employees["lead"]
    with django_assert_num_queries(0):
        assert notify_many([]) == []
        assert notify_many([Message(company=org.company, recipients=[lead],
                                    kind=GOAL_CHANGED.key, params={}, actor=lead),
                            Message(company=org.company, recipients=[],
                                    kind=GOAL_CHANGED.key, params={})]) == [[], []]


def messages_for(two, count):
    people = [two[c].employees[k] for c in "ab" for k in PEOPLE]
    return [Message(company=two["ab"[n % 2]].company,
                    recipients=[people[(n % 2) * len(PEOPLE) + n % len(PEOPLE)]],
                    kind=KINDS[n % 2], params={"key_result": str(n)})
            for n in range(count)]


def test_one_or_fifty_messages_cost_the_same_two_queries(two, django_assert_num_queries):
    with scopes_disabled():
        set_mutes(employee=two["a"].employees["owner"], muted=[("goals", "in_app")])
        set_mutes(employee=two["b"].employees["hr"], muted=[("pay", "in_app")])
    # The mutes of both companies, the rows (50 rows fit one SQLite insert).
    with django_assert_num_queries(2), scopes_disabled():
        [[one]] = notify_many(messages_for(two, 1))
    with django_assert_num_queries(2), scopes_disabled():
        fifty = notify_many(messages_for(two, 50))

    assert one.shown_in_app is False  # owner of a, muted goals in the app
    assert [len(rows) for rows in fifty] == [1] * 50
    hidden = {(row.recipient_id, row.kind) for rows in fifty for row in rows
              if not row.shown_in_app}
    assert hidden == {(two["a"].employees["owner"].pk, GOAL_CHANGED.key),
                      (two["b"].employees["hr"].pk, PAYSLIP_READY.key)}
    with scopes_disabled():
        assert Notification.objects.count() == 51


def test_many_recipients_read_the_mutes_of_their_companies(
        two, monkeypatch, django_assert_num_queries):
    """Past the named-people limit the query reads the companies' mutes for the categories:
    still one query, still only the recipients' own mutes applied."""
    monkeypatch.setattr(services, "NAMED_PEOPLE_LIMIT", 1)
    a, b = two["a"].employees, two["b"].employees
    with scopes_disabled():
        set_mutes(employee=a["hr"], muted=[("goals", "in_app")])
        set_mutes(employee=b["hr"], muted=[("goals", "in_app")])
        set_mutes(employee=a["peer"], muted=[("goals", "in_app")])
    with django_assert_num_queries(2), scope(company=two["a"].company.pk):
        [rows] = notify_many([Message(company=two["a"].company,
                                      recipients=[a["hr"], a["staff"], a["owner"]],
                                      kind=GOAL_CHANGED.key, params={})])
    assert [(row.recipient_id, row.shown_in_app) for row in rows] == [
        (a["hr"].pk, False), (a["staff"].pk, True), (a["owner"].pk, True)]


@pytest.fixture
def robot(settings):
    settings.TANDEM_WEBHOOK_ALLOW_ANY_HOST = True
    settings.SITE_URL = "https://hr.galaxy.example"
    HUEY.storage.flush_all()
    with RobotServer() as server:
        yield server
    HUEY.storage.flush_all()


def test_a_group_robot_gets_one_message_per_event(two, robot, django_capture_on_commit_callbacks):
    a, b = two["a"], two["b"]
    with scope(company=a.company.pk):
        webhooks.create_channel(company=a.company, name="目标群", platform="wecom",
                                address=robot.url("/cgi-bin/webhook/send?key=a"),
                                categories=["goals"])
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        notify_many([
            Message(company=a.company, recipients=[a.employees["staff"], a.employees["peer"]],
                    kind=GOAL_CHANGED.key, params={"key_result": "ARR"}),
            Message(company=a.company, recipients=[a.employees["peer"]],
                    kind=PAYSLIP_READY.key, params={"month": "11"}),  # not this robot's
            Message(company=a.company, recipients=[a.employees["lead"]],
                    kind=GOAL_CHANGED.key, params={"key_result": "GMV"}),
            Message(company=b.company, recipients=[b.employees["staff"]],  # b has no robot
                    kind=GOAL_CHANGED.key, params={"key_result": "NPS"}),
        ])

    texts = [request["json"]["text"]["content"] for request in robot.requests]
    assert sorted(text.split("\n")[0] for text in texts) == [
        "[星河科技] 目标 · ARR", "[星河科技] 目标 · GMV"]
    with scopes_disabled():
        assert sorted(WebhookDelivery.objects.values_list("company_id", "notification_count",
                                                          "status")) == [
            (a.company.pk, 1, "sent"), (a.company.pk, 2, "sent")]


def test_the_robots_are_read_once_for_all_the_events_of_a_call(
        two, robot, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries):
    a, b = two["a"], two["b"]
    for company, name in ((a, "目标群"), (b, "Goals")):
        with scope(company=company.company.pk):
            webhooks.create_channel(company=company.company, name=name, platform="wecom",
                                    address=robot.url(f"/cgi-bin/webhook/send?key={name}"),
                                    categories=["goals"])
    queued = []
    monkeypatch.setattr(webhooks, "enqueue", queued.append)
    messages = [Message(company=company.company, recipients=[company.employees["staff"]],
                        kind=GOAL_CHANGED.key, params={"key_result": f"KR {n}"})
                for n in range(5) for company in (a, b)]
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_many(messages)
    [robots] = [callback for callback in callbacks
                if callback.func.__self__.key == "webhook"]
    with django_assert_num_queries(2):  # the two companies' channels, one insert
        robots()
    with scopes_disabled():
        made = list(WebhookDelivery.objects.order_by("pk").values_list("pk", "company_id",
                                                                         "text"))
    assert queued == [pk for pk, _company, _text in made]
    assert [(company, text.split("\n")[0]) for _pk, company, text in made] == [
        (company.company.pk, f"[{company.company}] 目标 · KR {n}")
        for company in (a, b) for n in range(5)]


def test_many_events_of_one_kind_reach_a_robot_as_one_summary(
        two, robot, monkeypatch, django_capture_on_commit_callbacks):
    a = two["a"]
    with scope(company=a.company.pk):
        webhooks.create_channel(company=a.company, name="目标群", platform="wecom",
                                address=robot.url("/cgi-bin/webhook/send?key=a"),
                                categories=["goals", "pay"])
        for key, phone in (("staff", "13800000001"), ("peer", "13800000002")):
            a.employees[key].phone = phone
            a.employees[key].save()
    monkeypatch.setattr(webhooks, "enqueue", lambda pk: None)
    people = [a.employees["staff"], a.employees["peer"]]
    messages = [Message(company=a.company, recipients=[people[n % 2]], kind=GOAL_CHANGED.key,
                        params={"key_result": f"KR {n}"}) for n in range(12)]
    messages.append(Message(company=a.company, recipients=people, kind=PAYSLIP_READY.key,
                            params={"month": "11"}))
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        notify_many(messages)

    with scopes_disabled():
        made = list(WebhookDelivery.objects.order_by("pk").values_list(
            "kind", "notification_count", "mentions", "text"))
    assert [row[:3] for row in made] == [
        (GOAL_CHANGED.key, 12, ["13800000001", "13800000002"]),
        (PAYSLIP_READY.key, 2, ["13800000001", "13800000002"])]
    assert made[0][3].split("\n") == [
        "[星河科技] 目标: 12 条通知",
        *(f"· 目标 · KR {n}" for n in range(10)),
        "…… 还有 2 条",
        "查看：https://hr.galaxy.example/notifications/"]


def test_a_summary_mentions_nobody_when_it_concerns_many_people(two, monkeypatch):
    monkeypatch.setattr(webhooks, "SUMMARY_MENTIONS", 1)
    a = two["a"]
    with scope(company=a.company.pk):
        channel = webhooks.create_channel(
            company=a.company, name="目标群", platform="dingtalk",
            address="https://oapi.dingtalk.com/robot/send?access_token=t", categories=["goals"])
        for key, phone in (("staff", "13800000001"), ("peer", "13800000002")):
            a.employees[key].phone = phone
            a.employees[key].save()
        rows = [notify(company=a.company, recipients=[a.employees[key]], kind=GOAL_CHANGED.key,
                       params={"key_result": str(n)})
                for n, key in enumerate(["staff", "peer"] * 3)]
    monkeypatch.setattr(webhooks, "enqueue", lambda pk: None)
    with scopes_disabled():
        [summary] = webhooks.queue_for_events(rows)
    assert (summary.channel_id, summary.notification_count, summary.mentions) == (
        channel.pk, 6, [])


def test_each_notification_is_emailed_once_and_the_routing_asked_per_company_and_category(
        two, monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    a, b = two["a"], two["b"]
    with scope(company=a.company.pk):
        webhooks.set_routing(company=a.company, email=["goals"], channels={})  # a: no pay mail
    asked = []
    allowed = webhooks.email_allowed

    def counting(notification):
        asked.append((notification.company_id, notification.category))
        return allowed(notification)

    monkeypatch.setattr(webhooks, "email_allowed", counting)
    messages = [
        Message(company=company.company, recipients=[company.employees[key]], kind=kind,
                params={"key_result": f"{key} {n}", "month": str(n)})
        for n in range(3) for company in (a, b) for key in ("staff", "peer", "lead")
        for kind in KINDS
    ]
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        made = notify_many(messages)

    assert sorted(asked) == sorted([(a.company.pk, "goals"), (a.company.pk, "pay"),
                                    (b.company.pk, "goals"), (b.company.pk, "pay")])
    # lead has no address; a's pay emails are switched off by the company.
    emailed = [row for rows in made for row in rows if row.recipient.email
               and not (row.company_id == a.company.pk and row.kind == PAYSLIP_READY.key)]
    assert len(emailed) == 3 * (2 + 2 * 2)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        row.recipient.email for row in emailed)
    with scopes_disabled():
        sent = Notification.objects.filter(emailed_at__isnull=False).values_list("pk", flat=True)
        assert sorted(sent) == sorted(row.pk for row in emailed)
