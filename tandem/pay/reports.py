"""Salary reports (HR and finance): the cost of a run by department, and the trend of the last
twelve runs. Reads only: each report is a constant number of queries whatever the headcount,
and its figures add up to the run's own totals to the fen. Needs the company scope.

Which runs: only approved and paid ones. A calculated run can still change, so its figures
are not yet anyone's cost.

Which department: the one the employee belonged to in the payroll month (the job history in
force on the month's last day; the current department when there is no history), so a
transfer after the month does not move last month's cost. That is how finance books it: the
cost centre of the month.

Flat or rolled up: the default is flat — each person counted once, in their own department,
so the rows add up to the run's totals like the lines of a ledger; `rollup` shows each
department with everything below it instead (the rows then overlap; the totals row is still
the run's).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
from django.db.models import BigIntegerField, Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tandem.core.models import bilingual
from tandem.org.models import Department, JobHistory

from .calculation import PayMonth
from .models import LOCKED_STATUSES, PayrollRun, Payslip

ZERO = Decimal("0.00")
TREND_RUNS = 12


def report_runs():
    """The runs the reports and exports are for: approved and paid, newest first."""
    return PayrollRun.objects.filter(status__in=LOCKED_STATUSES).order_by("-month")


def department_of_month(month: date):
    """An expression for a Payslip query: the id of the employee's department on the last
    day of `month` (the job history in force then, else the current department)."""
    last_day = PayMonth(month.year, month.month).last_day
    history = (JobHistory.objects.filter(employee=OuterRef("employee_id"),
                                         effective_date__lte=last_day)
               .order_by("-effective_date", "-recorded_at", "-pk").values("department_id")[:1])
    return Coalesce(Subquery(history), F("employee__department_id"),
                    output_field=BigIntegerField())


# --- the department tree ------------------------------------------------------------------


@dataclass
class DepartmentNode:
    pk: int
    name: str
    parent_id: int | None
    depth: int = 0
    path: str = ""
    children: list[int] = field(default_factory=list)


def department_nodes() -> dict[int, DepartmentNode]:
    """Every department of the company with its depth and path ("研发部 / 平台组"), in
    depth-first order by name (the dict keeps that order): one query."""
    rows = list(Department.objects.values_list("pk", "name", "name_en", "parent_id"))
    nodes = {pk: DepartmentNode(pk, bilingual(name, name_en), parent)
             for pk, name, name_en, parent in rows}
    roots = []
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node.pk)
        else:
            roots.append(node.pk)
    ordered: dict[int, DepartmentNode] = {}

    def walk(pk: int, depth: int, path: str) -> None:
        node = nodes[pk]
        node.depth, node.path = depth, f"{path} / {node.name}" if path else node.name
        ordered[pk] = node
        for child in sorted(node.children, key=lambda child: (nodes[child].name, child)):
            walk(child, depth + 1, node.path)

    for pk in sorted(roots, key=lambda root: (nodes[root].name, root)):
        walk(pk, 0, "")
    return ordered


# --- cost by department -------------------------------------------------------------------


@dataclass
class CostRow:
    """One department's share of a run (or the totals, `department` None)."""

    department_id: int | None
    name: str
    depth: int = 0
    headcount: int = 0
    gross: Decimal = ZERO
    employee_contributions: Decimal = ZERO
    tax: Decimal = ZERO
    post_tax_deductions: Decimal = ZERO
    net: Decimal = ZERO
    employer_contributions: Decimal = ZERO
    employer_cost: Decimal = ZERO

    @property
    def indent(self) -> int:
        """Bootstrap's padding step (ps-2 … ps-5) of the row's depth in the tree."""
        return min(2 + self.depth, 5)

    def add(self, other: CostRow) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


FIGURES = tuple(f.name for f in fields(CostRow)
                if f.name not in ("department_id", "name", "depth"))


@dataclass
class CostReport:
    run: PayrollRun
    rollup: bool
    rows: list[CostRow]
    total: CostRow


def _department_sums(run: PayrollRun) -> dict[int, CostRow]:
    """The run's payslips summed by department of the month: one query."""
    sums = (Payslip.objects.filter(run=run)
            .annotate(department=department_of_month(run.month))
            .values("department").order_by("department")
            .annotate(headcount=Count("pk"), gross=Sum("gross"),
                      employee_contributions=Sum("employee_contributions"),
                      tax=Sum(F("tax_withheld") + F("annual_bonus_tax")),
                      post_tax_deductions=Sum("post_tax_deductions"), net=Sum("net"),
                      employer_contributions=Sum("employer_contributions"),
                      employer_cost=Sum("employer_cost")))
    out = {}
    for row in sums:
        out[row["department"]] = CostRow(
            row["department"], "", headcount=row["headcount"],
            **{name: Decimal(row[name] or 0).quantize(ZERO) for name in FIGURES
               if name != "headcount"})
    return out


def cost_by_department(run: PayrollRun, *, rollup: bool = False) -> CostReport:
    """The run's cost per department (flat: each person in their own department; `rollup`:
    each department with its sub-departments), in tree order, and the totals, which equal the
    run's totals: two queries."""
    sums = _department_sums(run)
    nodes = department_nodes()
    total = CostRow(None, _("Total"))
    for row in sums.values():
        total.add(row)
    rows = []
    if rollup:
        rolled = {pk: CostRow(pk, node.name, node.depth) for pk, node in nodes.items()}
        for pk, row in sums.items():
            ancestor = pk
            seen = set()
            while ancestor in nodes and ancestor not in seen:
                seen.add(ancestor)
                rolled[ancestor].add(row)
                ancestor = nodes[ancestor].parent_id
        rows = [row for row in rolled.values() if row.headcount]
    else:
        for pk, node in nodes.items():
            if pk in sums:
                row = sums[pk]
                row.name = node.path
                rows.append(row)
    return CostReport(run, rollup, rows, total)


# --- month-over-month trend ---------------------------------------------------------------


def trend_runs(until: PayrollRun | None = None, count: int = TREND_RUNS) -> list[PayrollRun]:
    """The last `count` approved or paid runs up to `until`'s month (all when None), oldest
    first: one query."""
    runs = report_runs()
    if until is not None:
        runs = runs.filter(month__lte=until.month)
    return list(runs[:count])[::-1]


def _number(value: Decimal) -> float:
    # Plotly draws floats; the table next to the chart shows the exact Decimals.
    return float(value)


def trend_figure(runs: list[PayrollRun]) -> go.Figure:
    """Gross pay, employer cost and net pay as bars by month, and the headcount as a line on
    the right axis."""
    months = [run.month.strftime("%Y-%m") for run in runs]
    most = max((run.employee_count for run in runs), default=0)
    step = max(1, math.ceil(most / 5))
    figure = go.Figure()
    for name, attribute, colour in (
            (_("Gross pay"), "gross_total", "#0d6efd"),
            (_("Employer cost"), "employer_cost_total", "#6f42c1"),
            (_("Net pay"), "net_total", "#198754")):
        figure.add_trace(go.Bar(x=months, y=[_number(getattr(run, attribute)) for run in runs],
                                name=name, marker={"color": colour}))
    figure.add_trace(go.Scatter(x=months, y=[run.employee_count for run in runs],
                                name=_("Headcount"), mode="lines+markers", yaxis="y2",
                                line={"color": "#fd7e14"}))
    figure.update_layout(
        barmode="group", height=340, margin={"l": 64, "r": 48, "t": 16, "b": 32},
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Amount (CNY)")}, "rangemode": "tozero",
               "separatethousands": True},
        # Whole people on the right axis: a tick every `step` from 0.
        yaxis2={"title": {"text": _("Headcount")}, "overlaying": "y", "side": "right",
                "range": [0, most + step], "dtick": step, "tickformat": ",d",
                "showgrid": False},
        legend={"orientation": "h"})
    return figure


@dataclass
class TrendRow:
    run: PayrollRun
    gross_change: Decimal | None
    cost_change: Decimal | None


def trend_rows(runs: list[PayrollRun]) -> list[TrendRow]:
    """Each run with the change of its gross pay and employer cost from the run before."""
    rows = []
    previous = None
    for run in runs:
        rows.append(TrendRow(
            run,
            None if previous is None else run.gross_total - previous.gross_total,
            None if previous is None else run.employer_cost_total - previous.employer_cost_total))
        previous = run
    return rows


