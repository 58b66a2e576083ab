"""The daily risk evaluation: every key result of an open objective and every employee or
department KPI assignment of the active cycles, of every company, judged with one rule
(`kpis.pace`), the verdict kept per item (`RiskState`), and one alert per change of verdict
(`kpis.alerts`). Reads are a constant number of queries whatever the number of items and
companies; writes are bulk (batches of `BATCH`), and only rows whose verdict, reasons or alert
marks changed are written, so a day without changes writes nothing.

Who hears of an item: its owner (a key result's owner, else its objective's owner, else the
leader of the objective's department; an employee assignment's employee; a department
assignment's leader) and their lead, the first leader above the owner walking up the
department tree (for a department: from its parent). The next leader up after the lead is the
one an escalation goes to."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_scopes import scopes_disabled

from tandem.goals.models import CheckIn, KeyResult, Milestone
from tandem.goals.progress import MeasureType
from tandem.org.models import Department

from . import attainment
from . import pace as rules
from .models import Assignment, Indicator
from .models_tracking import ItemKind, RiskState, TrackingSettings

BATCH = 500
OPEN_CYCLE = "active"
STATE_FIELDS = ["owner", "department", "at_risk", "reasons", "expected", "progress", "since",
                "last_alerted_at", "escalated_at"]


@dataclass(frozen=True)
class Settings:
    policy: rules.Policy = rules.Policy()
    weekly_alert_cap: int = 5
    escalation_grace_days: int = 7


DEFAULT_SETTINGS = Settings()


@dataclass
class Item:
    kind: str
    item_id: int
    company_id: int
    cycle_id: int
    title: str
    owner_id: int | None  # the person told first
    owner_name: str  # the person or the department
    department_id: int | None  # whose leaders see it: the owner's, or the owning department
    chain: tuple[int, ...]  # leaders above the owner, nearest first
    url: str
    expected: Decimal
    progress: Decimal
    last_update: date | None
    assessment: rules.Assessment
    # A key result's latest check-in time: an update after an alert is judged by the time.
    last_update_at: datetime | None = None

    def updated_since(self, alerted_at: datetime) -> bool:
        """Was there a check-in after the alert (a measurement dated its day or later)?"""
        if self.last_update_at is not None:
            return self.last_update_at > alerted_at
        return self.last_update is not None and \
            self.last_update >= timezone.localdate(alerted_at)

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.company_id, self.kind, self.item_id)

    @property
    def lead_id(self) -> int | None:
        return self.chain[0] if self.chain else None

    @property
    def escalation_id(self) -> int | None:
        return self.chain[1] if len(self.chain) > 1 else None


@dataclass
class Summary:
    items: int = 0
    at_risk: int = 0
    changed: int = 0
    alerts: int = 0
    digests: int = 0
    escalated: int = 0
    written: int = 0
    # Seconds spent reading and judging, sending the alerts (the notifications' rows; their
    # emails and robot messages are queued after the commit), writing the verdicts.
    seconds: dict[str, float] = field(default_factory=dict)


def settings_by_company(company_ids: Iterable[int] | None = None) -> dict[int, Settings]:
    """The companies' tracking settings in one query (missing rows: the defaults)."""
    rows = TrackingSettings.objects.all()
    if company_ids is not None:
        rows = rows.filter(company_id__in=list(company_ids))
    return {row.company_id: settings_of(row) for row in rows}


def settings_of(row: TrackingSettings | None) -> Settings:
    if row is None:
        return DEFAULT_SETTINGS
    return Settings(policy=rules.Policy(risk_margin=row.risk_margin,
                                        low_confidence=row.low_confidence,
                                        stale_days=row.stale_days),
                    weekly_alert_cap=row.weekly_alert_cap,
                    escalation_grace_days=row.escalation_grace_days)


# --- who ------------------------------------------------------------------------------------


class Tree:
    """The departments of the companies, read once: parent and leader of each."""

    def __init__(self, company_ids=None):
        rows = Department.objects.all()
        if company_ids is not None:
            rows = rows.filter(company_id__in=list(company_ids))
        self.nodes = {pk: (parent, leader)
                      for pk, parent, leader in rows.values_list("pk", "parent_id", "leader_id")}

    def leader(self, department_id) -> int | None:
        return self.nodes.get(department_id, (None, None))[1]

    def parent(self, department_id) -> int | None:
        return self.nodes.get(department_id, (None, None))[0]

    def leaders_from(self, department_id, owner_id) -> tuple[int, ...]:
        """The leaders of `department_id` and the departments above it, nearest first, the
        owner and repeats left out."""
        out: list[int] = []
        seen = set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            parent, leader = self.nodes.get(department_id, (None, None))
            if leader is not None and leader != owner_id and leader not in out:
                out.append(leader)
            department_id = parent
        return tuple(out)


# --- what -----------------------------------------------------------------------------------


def _key_result_rows(company_ids):
    latest = CheckIn.objects.filter(key_result=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = (KeyResult.objects.filter(objective__cycle__status=OPEN_CYCLE)
            .exclude(objective__status="closed")
            .annotate(last_at=Subquery(latest.values("created_at")[:1]),
                      last_confidence=Subquery(latest.values("confidence")[:1])))
    if company_ids is not None:
        rows = rows.filter(company_id__in=list(company_ids))
    return rows.values(
        "pk", "company_id", "title", "progress", "measure_type", "pace_plan",
        "driven_by_objective_id", "objective_id", "objective__cycle_id",
        "objective__cycle__start", "objective__cycle__end", "objective__owner_department_id",
        "owner_id", "owner__name", "owner__department_id",
        "objective__owner_employee_id", "objective__owner_employee__name",
        "objective__owner_employee__department_id", "objective__owner_department__name",
        "last_at", "last_confidence").order_by("pk")


def _milestones(company_ids) -> dict[int, list]:
    rows = Milestone.objects.filter(key_result__objective__cycle__status=OPEN_CYCLE,
                                    key_result__measure_type=MeasureType.MILESTONE)
    if company_ids is not None:
        rows = rows.filter(company_id__in=list(company_ids))
    out: dict[int, list] = {}
    for key_result_id, due, weight in rows.values_list("key_result_id", "due", "weight"):
        out.setdefault(key_result_id, []).append((due, weight))
    return out


def _kr_owner(row, tree: Tree) -> tuple[int | None, str, int | None, tuple[int, ...]]:
    """(owner, owner's name, department, leaders above the owner)."""
    if row["owner_id"] is not None:
        owner, department = row["owner_id"], row["owner__department_id"]
        return owner, row["owner__name"], department, tree.leaders_from(department, owner)
    if row["objective__owner_employee_id"] is not None:
        owner = row["objective__owner_employee_id"]
        department = row["objective__owner_employee__department_id"]
        return (owner, row["objective__owner_employee__name"], department,
                tree.leaders_from(department, owner))
    department = row["objective__owner_department_id"]
    if department is not None:
        owner = tree.leader(department)
        return owner, row["objective__owner_department__name"], department, \
            tree.leaders_from(tree.parent(department), owner)
    return None, "", None, ()


def key_result_items(today: date, settings: dict[int, Settings], tree: Tree,
                     company_ids=None) -> list[Item]:
    """Two queries: the key results with their latest check-in, the milestones."""
    milestones = _milestones(company_ids)
    items = []
    for row in _key_result_rows(company_ids):
        start, end = row["objective__cycle__start"], row["objective__cycle__end"]
        expected = rules.expected(
            start, end, today, plan=row["pace_plan"],
            milestones=(milestones.get(row["pk"], ())
                        if row["measure_type"] == MeasureType.MILESTONE else ()))
        last = timezone.localdate(row["last_at"]) if row["last_at"] is not None else None
        # An item is stale only once the cycle has run stale_days without an update; a key
        # result driven by an aligned objective expects no check-ins at all.
        last_update = today if row["driven_by_objective_id"] else (last or start)
        policy = settings.get(row["company_id"], DEFAULT_SETTINGS).policy
        assessment = rules.assess(progress=row["progress"], expected=expected, today=today,
                                  last_update=last_update, confidence=row["last_confidence"],
                                  policy=policy, stale=rules.STALE_CHECK_IN)
        owner, owner_name, department, chain = _kr_owner(row, tree)
        items.append(Item(
            kind=ItemKind.KEY_RESULT, item_id=row["pk"], company_id=row["company_id"],
            cycle_id=row["objective__cycle_id"], title=row["title"], owner_id=owner,
            owner_name=owner_name, department_id=department, chain=chain,
            url=f"/goals/objectives/{row['objective_id']}/", expected=expected,
            progress=row["progress"], last_update=last, assessment=assessment,
            last_update_at=row["last_at"]))
    return items


def assignment_items(today: date, settings: dict[int, Settings], tree: Tree,
                     company_ids=None) -> list[Item]:
    """Two queries: the employee and department assignments of the active cycles as plain
    rows (a position's assignment is followed through the employee assignments it hands
    down), and their indicators, whose rules are built once per indicator and override."""
    rows = (Assignment.objects.filter(cycle__status=OPEN_CYCLE, position__isnull=True)
            .order_by("pk"))
    if company_ids is not None:
        rows = rows.filter(company_id__in=list(company_ids))
    rows = list(rows.values(
        "pk", "company_id", "cycle_id", "cycle__start", "cycle__end", "indicator_id", "target",
        "actual", "rule", "cap", "floor", "pace_plan", "last_measured_on", "employee_id",
        "employee__name", "employee__department_id", "department_id", "department__name",
        "department__leader_id", "department__parent_id"))
    indicators = Indicator.objects.in_bulk({row["indicator_id"] for row in rows})
    rules_of: dict[tuple, attainment.Rule] = {}
    items = []
    for row in rows:
        indicator = indicators[row["indicator_id"]]
        rule_key = (row["indicator_id"], row["rule"], row["cap"], row["floor"])
        rule = rules_of.get(rule_key)
        if rule is None:
            rule = rules_of[rule_key] = Assignment(
                rule=row["rule"], cap=row["cap"], floor=row["floor"]).rule_for(indicator)
        start, end = row["cycle__start"], row["cycle__end"]
        expected = rules.expected(start, end, today, plan=row["pace_plan"])
        progress = attainment.progress_towards(row["actual"], row["target"], rule)
        policy = settings.get(row["company_id"], DEFAULT_SETTINGS).policy
        assessment = rules.assess(progress=progress, expected=expected, today=today,
                                  last_update=row["last_measured_on"] or start,
                                  policy=policy, stale=rules.STALE_MEASUREMENT)
        if row["employee_id"] is not None:
            owner = row["employee_id"]
            owner_name = row["employee__name"]
            department = row["employee__department_id"]
            chain = tree.leaders_from(department, owner)
        else:
            owner = row["department__leader_id"]
            owner_name = row["department__name"]
            department = row["department_id"]
            chain = tree.leaders_from(row["department__parent_id"], owner)
        items.append(Item(
            kind=ItemKind.ASSIGNMENT, item_id=row["pk"], company_id=row["company_id"],
            cycle_id=row["cycle_id"], title=f"{indicator.code} {indicator.name}",
            owner_id=owner, owner_name=owner_name, department_id=department, chain=chain,
            url=f"/kpis/assignments/{row['pk']}/", expected=expected, progress=progress,
            last_update=row["last_measured_on"], assessment=assessment))
    return items


def collect(today: date, settings: dict[int, Settings], company_ids=None) -> list[Item]:
    tree = Tree(company_ids)
    return (key_result_items(today, settings, tree, company_ids)
            + assignment_items(today, settings, tree, company_ids))


# --- the run --------------------------------------------------------------------------------


def _reasons(assessment: rules.Assessment) -> list:
    return [[msgid, params] for msgid, params in assessment.reasons]


def _codes(reasons) -> frozenset[str]:
    return frozenset(msgid for msgid, _params in reasons or ())


def _due_escalation(state: RiskState, item: Item, settings: Settings, today: date) -> bool:
    if not state.at_risk or state.last_alerted_at is None or state.escalated_at is not None:
        return False
    if (today - timezone.localdate(state.last_alerted_at)).days < settings.escalation_grace_days:
        return False
    return not item.updated_since(state.last_alerted_at)


def evaluate(today: date | None = None, *, company_ids: Iterable[int] | None = None) -> Summary:
    """Judge every item, keep the verdicts, send the alerts: one transaction."""
    from . import alerts

    today = today or timezone.localdate()
    company_ids = list(company_ids) if company_ids is not None else None
    summary = Summary()
    clock = time.perf_counter()
    with scopes_disabled(), transaction.atomic():
        settings = settings_by_company(company_ids)
        items = collect(today, settings, company_ids)
        states = RiskState.objects.filter(cycle__status=OPEN_CYCLE)
        if company_ids is not None:
            states = states.filter(company_id__in=company_ids)
        known = {(s.company_id, s.kind, s.item_id): s for s in states}
        new, dirty, changes, escalations, seen = [], {}, [], [], set()
        for item in items:
            summary.items += 1
            summary.at_risk += item.assessment.at_risk
            reasons = _reasons(item.assessment)
            state = known.get(item.key)
            if state is None:
                state = RiskState(company_id=item.company_id, kind=item.kind,
                                  item_id=item.item_id, cycle_id=item.cycle_id,
                                  owner_id=item.owner_id, department_id=item.department_id,
                                  at_risk=item.assessment.at_risk, reasons=reasons,
                                  expected=item.expected, progress=item.progress, since=today)
                new.append(state)
                if state.at_risk:
                    changes.append((item, state))
                continue
            seen.add(state.pk)
            moved = (state.owner_id, state.department_id) != (item.owner_id, item.department_id)
            state.owner_id, state.department_id = item.owner_id, item.department_id
            if state.at_risk != item.assessment.at_risk:
                state.at_risk = item.assessment.at_risk
                state.since = today
                state.escalated_at = None
                changes.append((item, state))
            elif _due_escalation(state, item, settings.get(item.company_id, DEFAULT_SETTINGS),
                                 today):
                escalations.append((item, state))
            elif _codes(state.reasons) == item.assessment.codes and not moved:
                continue
            state.reasons, state.expected, state.progress = reasons, item.expected, item.progress
            dirty[state.pk] = state
        summary.changed = len(changes)
        summary.seconds["judging"], clock = time.perf_counter() - clock, time.perf_counter()
        sent = alerts.send(changes=changes, escalations=escalations, settings=settings,
                           today=today)
        summary.alerts, summary.digests, summary.escalated = sent.alerts, sent.digests, \
            sent.escalated
        summary.seconds["alerting"], clock = time.perf_counter() - clock, time.perf_counter()
        RiskState.objects.bulk_create(new, batch_size=BATCH)
        if dirty:
            RiskState.objects.bulk_update(list(dirty.values()), STATE_FIELDS, batch_size=BATCH)
        # Items deleted since, or moved out of the active cycles: their verdicts go.
        gone = [pk for pk in (s.pk for s in known.values()) if pk not in seen]
        for at in range(0, len(gone), BATCH):
            RiskState.objects.filter(pk__in=gone[at:at + BATCH]).delete()
        summary.written = len(new) + len(dirty) + len(gone)
        summary.seconds["writing"] = time.perf_counter() - clock
    return summary


def states_of(kind: str, item_ids: Iterable[int]) -> dict[int, RiskState]:
    """The stored verdicts of some items of one kind (inside a company scope), one query."""
    return {state.item_id: state
            for state in RiskState.objects.filter(kind=kind, item_id__in=list(item_ids))}

