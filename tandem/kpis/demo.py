"""KPIs of the demo company (see `org.demo`, after `goals.demo`): a library of indicators, a
default KPI set per position applied to the current quarter (so everyone holds their
position's KPIs), department KPIs, figures entered over the weeks so far, and key results
linked to KPIs — the brief's worked example first: the salesperson's KR "250,000 sales each
month" feeds their KPI "sales attainment" (target 1,000,000). The Sales & Marketing
department keeps its own sales figures and is also fed by its department KR, so the report
shows both side by side. Written through the services, so every rule holds."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django_scopes import scope

from tandem.core.models import Company
from tandem.goals.models import Cycle, CycleKind, KeyResult
from tandem.org.models import Department, Employee, EmployeeStatus, Position

from . import links, services
from .models import Assignment, Indicator, Measurement

D = Decimal
CHUNK = 2000

# code: (name, English name, unit, direction, aggregation, rule, options)
LIBRARY: dict[str, tuple] = {
    "SALES": ("销售额", "Sales", "元", "higher", "sum", "ratio",
              {"category": "sales", "tags": ["销售", "sales"]}),
    "NEW_CUST": ("新签客户数", "New customers", "家", "higher", "sum", "ratio",
                 {"category": "sales", "tags": ["客户开发", "prospecting"]}),
    "COLLECTION": ("回款率", "Collection rate", "%", "higher", "last", "ratio",
                   {"category": "sales", "tags": ["回款", "collection"]}),
    "LEADS": ("有效商机数", "Qualified leads", "个", "higher", "sum", "ratio",
              {"category": "marketing", "tags": ["市场", "marketing"]}),
    "MKT_COST": ("获客成本", "Cost per lead", "元", "lower", "average", "reverse_deviation",
                 {"category": "marketing", "tags": ["成本", "cost"]}),
    "ON_TIME": ("按时交付率", "On-time delivery", "%", "higher", "last", "banded",
                {"category": "delivery", "tags": ["交付", "delivery"],
                 "bands": [["1.0", "100"], ["0.95", "90"], ["0.9", "80"], ["0.8", "60"]]}),
    "DEFECTS": ("线上缺陷数", "Escaped defects", "个", "lower", "last", "inverse_ratio",
                {"category": "quality", "tags": ["质量", "quality"]}),
    "INCIDENTS": ("严重故障", "Severe incidents", "次", "lower", "sum", "penalty",
                  {"category": "quality", "tags": ["稳定性", "reliability"],
                   "points_per_unit": D(20)}),
    "HIRING": ("招聘到岗率", "Hiring fill rate", "%", "higher", "last", "ratio",
               {"category": "people", "tags": ["招聘", "hiring"]}),
    "CSAT": ("内部服务满意度", "Internal satisfaction", "分", "higher", "average", "ratio",
             {"category": "service", "tags": ["服务", "service"], "capped": True}),
    "CLOSE": ("月结及时率", "Month-end close on time", "%", "higher", "last", "ratio",
              {"category": "finance", "tags": ["财务", "finance"]}),
}

ENGINEERING = [("ON_TIME", "95", "0.5"), ("DEFECTS", "5", "0.3"), ("INCIDENTS", "0", "0.2")]
TEAM_LEAD = [("ON_TIME", "95", "0.6"), ("INCIDENTS", "0", "0.4")]
# position key (org.demo.POSITIONS): [(indicator, target, weight)], weights adding up to 1.
POSITION_SETS: dict[str, list[tuple[str, str, str]]] = {
    "sales_rep": [("SALES", "1000000", "0.6"), ("NEW_CUST", "8", "0.2"),
                  ("COLLECTION", "95", "0.2")],
    "sales_manager": [("SALES", "3000000", "0.7"), ("COLLECTION", "95", "0.3")],
    "sales_director": [("SALES", "6000000", "0.7"), ("COLLECTION", "95", "0.3")],
    "marketing_manager": [("LEADS", "120", "0.6"), ("MKT_COST", "800", "0.4")],
    "marketing_lead": [("LEADS", "120", "0.6"), ("MKT_COST", "800", "0.4")],
    "marketing_specialist": [("LEADS", "40", "0.7"), ("MKT_COST", "800", "0.3")],
    "backend": ENGINEERING, "senior_backend": ENGINEERING, "frontend": ENGINEERING,
    "data_engineer": ENGINEERING,
    "backend_lead": TEAM_LEAD, "frontend_lead": TEAM_LEAD, "qa_lead": TEAM_LEAD,
    "data_lead": TEAM_LEAD, "cto": TEAM_LEAD, "product_manager": TEAM_LEAD,
    "qa_engineer": [("DEFECTS", "5", "0.5"), ("ON_TIME", "95", "0.5")],
    "ui_designer": [("ON_TIME", "95", "1")], "data_analyst": [("ON_TIME", "95", "1")],
    "hr_manager": [("HIRING", "90", "0.6"), ("CSAT", "4.5", "0.4")],
    "hr_supervisor": [("HIRING", "90", "0.6"), ("CSAT", "4.5", "0.4")],
    "hrbp": [("HIRING", "90", "0.5"), ("CSAT", "4.5", "0.5")],
    "recruiter": [("HIRING", "90", "1")],
    "hr_specialist": [("CSAT", "4.5", "1")],
    "finance_manager": [("CLOSE", "100", "1")], "finance_supervisor": [("CLOSE", "100", "1")],
    "accountant": [("CLOSE", "100", "1")], "cashier": [("CLOSE", "100", "1")],
    "admin_specialist": [("CSAT", "4.5", "1")], "admin_supervisor": [("CSAT", "4.5", "1")],
}
DEPARTMENT_SETS: dict[str, list[tuple[str, str, str]]] = {
    "Sales & Marketing": [("SALES", "6000000", "0.7"), ("COLLECTION", "95", "0.3")],
    "R&D Center": [("ON_TIME", "95", "0.5"), ("INCIDENTS", "0", "0.5")],
    "General Administration": [("HIRING", "90", "0.5"), ("CLOSE", "100", "0.5")],
}


def seed_demo_kpis(company: Company, today: date, *, seed: int = 13, alerts: bool = True) -> int:
    """Adds the demo KPIs to the demo company (after its OKRs); returns the number of
    assignments. With `alerts`, the daily risk evaluation runs once, so the items at risk
    are known and their owners and leads have their alerts (a large demo leaves that to the
    nightly task: its first evaluation alerts thousands of people)."""
    rng = random.Random(seed)
    count = _seed(company, today, rng)
    if alerts and count:
        from .risk import evaluate

        evaluate(today, company_ids=[company.pk])
    return count


def _seed(company: Company, today: date, rng: random.Random) -> int:
    with scope(company=company.pk):
        quarter = (Cycle.objects.filter(kind=CycleKind.QUARTER, start__lte=today,
                                        end__gte=today).order_by("start").first())
        if quarter is None:
            return 0
        library = _library(company)
        _position_sets(library)
        services.apply_position_sets(cycle=quarter)
        _department_kpis(quarter, library)
        _link_personal(quarter, library)
        _figures(quarter, today, rng)
        _link_department(quarter, library)
        return Assignment.objects.filter(cycle=quarter).count()


def _library(company: Company) -> dict[str, Indicator]:
    library = {}
    for code, (name, name_en, unit, direction, aggregation, rule, options) in LIBRARY.items():
        library[code] = services.create_indicator(
            company=company, code=code, name=name, name_en=name_en, unit=unit,
            direction=direction, aggregation=aggregation, rule=rule, **options)
    return library


def _position_sets(library: dict[str, Indicator]) -> None:
    from tandem.org.demo import POSITIONS

    titles = {title_en: key for key, (_title, title_en) in POSITIONS.items()}
    for position in Position.objects.order_by("pk"):
        lines = POSITION_SETS.get(titles.get(position.title_en, ""), [])
        if lines:
            services.set_position_kpis(position=position, lines=[
                {"indicator": library[code], "target": D(target), "weight": D(weight)}
                for code, target, weight in lines])


def _department_kpis(quarter: Cycle, library: dict[str, Indicator]) -> None:
    for department in Department.objects.filter(parent=None):
        for code, target, weight in DEPARTMENT_SETS.get(department.name_en, []):
            services.assign(cycle=quarter, indicator=library[code], target=D(target),
                            weight=D(weight), department=department)


def _link_personal(quarter: Cycle, library: dict[str, Indicator]) -> None:
    """The worked example and the sales reps' new-customer KRs: these KPIs take their actual
    from the key results."""
    monthly = _monthly_sales_kr(quarter)
    if monthly is not None:
        owner = monthly.objective.owner_employee
        sales = _personal(quarter, owner, library["SALES"], target=D(1_000_000))
        links.link(key_result=monthly, assignment=sales)
    for kr in KeyResult.objects.filter(objective__cycle=quarter,
                                       title__startswith="新签客户数").select_related(
                                           "objective__owner_employee"):
        assignment = _personal(quarter, kr.objective.owner_employee, library["NEW_CUST"],
                               target=D(8))
        # The KR counts customers signed so far: each check-in adds its increase.
        links.link(key_result=kr, assignment=assignment, mode="increment")


def _monthly_sales_kr(quarter: Cycle) -> KeyResult | None:
    return (KeyResult.objects.filter(objective__cycle=quarter,
                                     title__startswith="每月销售额 25 万元")
            .select_related("objective__owner_employee").first())


def _link_department(quarter: Cycle, library: dict[str, Indicator]) -> None:
    """Sales & Marketing's sales KPI keeps its own figures (entered from the finance system)
    and is also fed by the salesperson's key results: the pages and the report show what the
    key results imply beside the KPI's own figures, never added."""
    monthly = _monthly_sales_kr(quarter)
    if monthly is None:
        return
    department = monthly.objective.owner_employee.department
    while department.parent_id is not None:
        department = department.parent
    assignment = Assignment.objects.filter(cycle=quarter, indicator=library["SALES"],
                                           department=department).first()
    if assignment is None:
        return
    links.link(key_result=monthly, assignment=assignment)
    quarterly = KeyResult.objects.filter(objective=monthly.objective,
                                         title__startswith="个人季度销售额").first()
    if quarterly is not None:
        links.link(key_result=quarterly, assignment=assignment, mode="increment")


def _personal(quarter: Cycle, person: Employee, indicator: Indicator, *, target: Decimal
              ) -> Assignment:
    """The person's assignment of `indicator` in the quarter, given to them (weight taken
    from their other KPIs) when their position does not carry it."""
    held = Assignment.objects.filter(cycle=quarter, employee=person, indicator=indicator).first()
    if held is not None:
        return held
    others = list(Assignment.objects.filter(cycle=quarter, employee=person))
    for other in others:
        other.weight = (other.weight * D("0.5")).quantize(D("0.0001"))
    Assignment.objects.bulk_update(others, ["weight"])
    weight = D(1) - sum((other.weight for other in others), D(0))
    return services.assign(cycle=quarter, indicator=indicator, target=target, weight=weight,
                           employee=person)


def _figures(quarter: Cycle, today: date, rng: random.Random) -> None:
    """Entered figures for every assignment that keeps its own, so far in the quarter:
    month-end amounts for summed indicators, a latest reading for the others. Most people are
    on pace; about one in eight lags."""
    month_ends = _month_ends(quarter, today)
    rows = []
    measured = set(Measurement.objects.filter(assignment__cycle=quarter)
                   .values_list("assignment_id", flat=True))
    own = (Assignment.objects.filter(cycle=quarter, actual_source="own", position=None)
           .exclude(employee__status=EmployeeStatus.LEFT)
           .select_related("indicator", "cycle").order_by("pk"))
    for assignment in own:
        if assignment.pk in measured:
            continue
        pace = D(rng.choice(["0.55", "0.8", "0.9", "0.95", "1.0", "1.05", "1.1", "1.2"]))
        rows += _readings(assignment, month_ends, pace, rng)
        if len(rows) >= CHUNK:
            services.record_measurements(rows=rows)
            rows = []
    if rows:
        services.record_measurements(rows=rows)


def _month_ends(quarter: Cycle, today: date) -> list[date]:
    days, month = [], quarter.start
    while month <= min(today, quarter.end):
        next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        days.append(min(next_month - timedelta(days=1), today, quarter.end))
        month = next_month
    return days


def _readings(assignment: Assignment, days: list[date], pace: Decimal, rng) -> list[dict]:
    indicator = assignment.indicator
    target = assignment.target
    rows = []
    if indicator.aggregation == "sum":
        share = D(1) / D(3)  # a quarter's target spread over its three months
        for day in days:
            if indicator.direction == "lower":
                amount = D(rng.choice([0, 0, 0, 1]))
            else:
                amount = (target * share * pace * D(rng.uniform(0.9, 1.1))).quantize(D(1))
            rows.append({"assignment": assignment, "date": day, "value": amount})
        return rows
    day = days[-1]
    if indicator.direction == "lower":
        value = (target / pace * D(rng.uniform(0.9, 1.1))).quantize(D("0.01"))
    else:
        value = min(target * pace, target * D("1.1")).quantize(D("0.01"))
        if indicator.unit == "%":
            value = min(value, D(100))
        if indicator.unit == "分":
            value = min(value, D(5))
    return [{"assignment": assignment, "date": day, "value": value}]
