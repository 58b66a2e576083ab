"""The bonus report (HR and finance): a published review cycle's bonuses against its OKR and
KPI scores, as a quadrant chart, a table per quadrant and a table per department (issue #7,
"Reports"). Reads only, a constant number of queries whatever the number of reviews: the
cycles (one), the departments (one), the reviews with their awards (one). Needs the company
scope.

Which cycles: published and closed ones — before publishing, the scores can still change and
no award has been proposed.

Which amount: the approved award (the pay item's amount when the award became one: that is
what payroll pays), else the proposed award, which can still change; a review no bonus
policy covers counts with 0. Each point and the report say which.

Which quadrant: a score at or above 100 is high — the expectation met (the scores of
`reviews.scoring`, 100 = expectation; ../shared/domain/okr-kpi.md). A review without an OKR or
a KPI score is in no quadrant; it is counted in its own row so the rows add up.

Which department: the one the review was made in (`Review.department`), so a later transfer
does not move a bonus.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go
from django import forms
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.core.models import bilingual
from tandem.reviews.models import AwardStatus, CycleStatus, Review, ReviewCycle

from .reports import DepartmentNode, department_nodes

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)
# ../shared/domain/okr-kpi.md: a score of 100 is the expectation met; at or above it is high.
HIGH = HUNDRED

APPROVED, PROPOSED, NONE = AwardStatus.APPROVED.value, AwardStatus.PROPOSED.value, "none"
HIGH_HIGH, HIGH_LOW, LOW_HIGH, LOW_LOW, UNPLACED = (
    "high_high", "high_low", "low_high", "low_low", "unplaced")
QUADRANTS = (HIGH_HIGH, HIGH_LOW, LOW_HIGH, LOW_LOW)


def fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def quadrant_of(okr: Decimal | None, kpi: Decimal | None) -> str:
    if okr is None or kpi is None:
        return UNPLACED
    if okr >= HIGH:
        return HIGH_HIGH if kpi >= HIGH else HIGH_LOW
    return LOW_HIGH if kpi >= HIGH else LOW_LOW


def quadrant_label(key: str) -> str:
    return {HIGH_HIGH: _("High OKR, high KPI"), HIGH_LOW: _("High OKR, low KPI"),
            LOW_HIGH: _("Low OKR, high KPI"), LOW_LOW: _("Low OKR, low KPI"),
            UNPLACED: _("Without an OKR or KPI score")}[key]


def quadrant_note(key: str) -> str:
    return {HIGH_LOW: _("exploring new ground"), LOW_HIGH: _("delivering")}.get(key, "")


# --- the people -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BonusPoint:
    """One review of the cycle: its scores and its bonus."""

    review_id: int
    name: str
    department_id: int | None
    department: str
    grade: str
    okr_score: Decimal | None
    kpi_score: Decimal | None
    bonus: Decimal
    # APPROVED, PROPOSED or NONE (no bonus policy covered the review).
    status: str
    policy_id: int | None = None
    budget: Decimal | None = None

    @property
    def quadrant(self) -> str:
        return quadrant_of(self.okr_score, self.kpi_score)


def report_cycles():
    """The review cycles the report is for: published and closed, the latest published
    first."""
    return (ReviewCycle.objects.filter(status__in=[CycleStatus.PUBLISHED, CycleStatus.CLOSED])
            .order_by(F("published_at").desc(nulls_last=True), "-pk"))


def bonus_points(cycle: ReviewCycle, nodes: dict[int, DepartmentNode]) -> list[BonusPoint]:
    """Every review of `cycle` with its award (one query), by employee number."""
    rows = (Review.objects.filter(cycle=cycle)
            .order_by("employee__employee_number", "pk")
            .values_list("pk", "employee__name", "employee__english_name", "department_id",
                         "okr_score", "kpi_score", "grade", "calculated_grade",
                         "bonus__amount", "bonus__status",
                         "bonus__pay_item__amount", "bonus__policy_id",
                         "bonus__policy__budget"))
    points = []
    for (pk, name, english_name, department_id, okr, kpi, grade, calculated, amount, status,
         paid, policy_id, budget) in rows:
        if status is None:
            bonus, status = ZERO, NONE
        elif status == APPROVED and paid is not None:
            bonus = paid
        else:
            bonus = amount
        node = nodes.get(department_id)
        points.append(BonusPoint(
            review_id=pk, name=bilingual(name, english_name), department_id=department_id,
            department=node.path if node else _("No department"),
            # The calibrated grade counts; the grade by score until there is one.
            grade=grade or calculated,
            okr_score=okr, kpi_score=kpi, bonus=fen(Decimal(bonus)), status=status,
            policy_id=policy_id, budget=budget))
    return points


def subtree(nodes: dict[int, DepartmentNode], root: int) -> set[int]:
    """`root` and every department below it."""
    found, stack = set(), [root]
    while stack:
        pk = stack.pop()
        if pk in nodes and pk not in found:
            found.add(pk)
            stack.extend(nodes[pk].children)
    return found


# --- the tables -------------------------------------------------------------------------------


@dataclass
class QuadrantRow:
    key: str
    label: str
    note: str = ""
    headcount: int = 0
    total: Decimal = ZERO
    # The row's total as a fraction of the report's base (the budget or all bonuses); None
    # when the base is 0.
    share: Decimal | None = None

    @property
    def average(self) -> Decimal | None:
        return fen(self.total / self.headcount) if self.headcount else None

    @property
    def share_percent(self) -> Decimal | None:
        if self.share is None:
            return None
        return (self.share * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class DepartmentRow:
    department_id: int | None
    name: str
    headcount: int = 0
    okr_average: Decimal | None = None
    kpi_average: Decimal | None = None
    total: Decimal = ZERO


def _average(values: Sequence[Decimal]) -> Decimal | None:
    return fen(sum(values, ZERO) / len(values)) if values else None


def _department_row(pk: int | None, name: str, members: Sequence[BonusPoint]) -> DepartmentRow:
    return DepartmentRow(
        pk, name, len(members),
        _average([p.okr_score for p in members if p.okr_score is not None]),
        _average([p.kpi_score for p in members if p.kpi_score is not None]),
        sum((p.bonus for p in members), ZERO))


def budget_of(points: Iterable[BonusPoint]) -> Decimal | None:
    """The budgets of the policies behind the awards, added up; None when one of them has no
    budget, or there is no award, or they add up to 0 (nothing to take a share of)."""
    budgets: dict[int, Decimal | None] = {}
    for point in points:
        if point.policy_id is not None:
            budgets[point.policy_id] = point.budget
    if not budgets or any(budget is None for budget in budgets.values()):
        return None
    total = fen(sum(budgets.values(), ZERO))
    return total if total > 0 else None


@dataclass
class BonusReport:
    cycle: ReviewCycle
    points: list[BonusPoint]
    quadrants: list[QuadrantRow]
    total: QuadrantRow
    departments: list[DepartmentRow]
    department_total: DepartmentRow
    # The base of the shares: the policies' budget, else all the bonuses shown.
    budget: Decimal | None
    approved: int
    proposed: int
    explanation: list[str]

    @property
    def placed(self) -> list[BonusPoint]:
        return [point for point in self.points if point.quadrant != UNPLACED]


def summarise(cycle: ReviewCycle, points: Sequence[BonusPoint],
              nodes: dict[int, DepartmentNode]) -> BonusReport:
    """The quadrant rows (the four, then the reviews in none when there are any), the
    department rows in tree order, their totals and what the figures mean."""
    total_bonus = sum((point.bonus for point in points), ZERO)
    budget = budget_of(points)
    base = budget if budget else total_bonus
    rows = {key: QuadrantRow(key, quadrant_label(key), quadrant_note(key))
            for key in (*QUADRANTS, UNPLACED)}
    for point in points:
        row = rows[point.quadrant]
        row.headcount += 1
        row.total += point.bonus
    if not rows[UNPLACED].headcount:
        del rows[UNPLACED]
    total = QuadrantRow("total", _("Total"), headcount=len(points), total=total_bonus)
    for row in (*rows.values(), total):
        row.share = row.total / base if base else None

    members: dict[int | None, list[BonusPoint]] = {}
    for point in points:
        members.setdefault(point.department_id if point.department_id in nodes else None,
                           []).append(point)
    departments = [_department_row(pk, node.path, members[pk])
                   for pk, node in nodes.items() if pk in members]
    if None in members:
        departments.append(_department_row(None, _("No department"), members[None]))

    approved = sum(1 for point in points if point.status == APPROVED)
    proposed = sum(1 for point in points if point.status == PROPOSED)
    explanation = [_("A score at or above 100 is high: the expectation met.")]
    if approved:
        explanation.append(ngettext(
            "%(count)s bonus is approved.", "%(count)s bonuses are approved.", approved)
            % {"count": approved})
    if proposed:
        explanation.append(ngettext(
            "%(count)s bonus is proposed, not approved yet: its amount can still change.",
            "%(count)s bonuses are proposed, not approved yet: their amounts can still change.",
            proposed) % {"count": proposed})
    uncovered = sum(1 for point in points if point.status == NONE)
    if uncovered:
        explanation.append(ngettext(
            "%(count)s person has no bonus award (no bonus policy covered them): counted with 0.",
            "%(count)s people have no bonus award (no bonus policy covered them): counted with 0.",
            uncovered) % {"count": uncovered})
    if budget:
        explanation.append(_("Shares are of the budget of the bonus policies, %(budget)s.")
                           % {"budget": f"{budget:,.2f}"})
    else:
        explanation.append(_("Shares are of all the bonuses shown: the bonus policies set no "
                             "budget."))
    return BonusReport(cycle, list(points), list(rows.values()), total, departments,
                       _department_row(None, _("Total"), points), budget, approved, proposed,
                       explanation)


def bonus_report(cycle: ReviewCycle, nodes: dict[int, DepartmentNode],
                 department: int | None = None) -> BonusReport:
    """The report of `cycle`, for `department` and those below it when given (one query;
    `nodes` from `reports.department_nodes`)."""
    points = bonus_points(cycle, nodes)
    if department is not None:
        chosen = subtree(nodes, department)
        points = [point for point in points if point.department_id in chosen]
        nodes = {pk: node for pk, node in nodes.items() if pk in chosen}
    return summarise(cycle, points, nodes)


# --- the chart --------------------------------------------------------------------------------


def _number(value: Decimal) -> float:
    # Plotly draws floats; the tables beside the chart show the exact Decimals.
    return float(value)


def _hover(point: BonusPoint) -> str:
    amount = f"{point.bonus:,.2f}"
    bonus = {APPROVED: _("Bonus: %(amount)s (approved)"),
             PROPOSED: _("Bonus: %(amount)s (proposed, not approved yet)"),
             NONE: _("No bonus award")}[point.status] % {"amount": amount}
    lines = [f"<b>{html.escape(point.name)}</b>", html.escape(point.department),
             _("Grade: %(grade)s") % {"grade": html.escape(point.grade or "—")},
             _("OKR score: %(score)s") % {"score": point.okr_score},
             _("KPI score: %(score)s") % {"score": point.kpi_score}, bonus]
    return "<br>".join(lines)


def _size(bonus: Decimal, most: Decimal) -> float:
    # The marker's area grows with the bonus: 8 px for none, 36 px for the largest.
    return 8 + 28 * math.sqrt(_number(bonus / most)) if most else 8


def _range(values: list[Decimal]) -> list[float]:
    low, high = min([*values, HIGH]), max([*values, HIGH])
    pad = max(Decimal(10), (high - low) / 10)
    return [_number(low - pad), _number(high + pad)]


def quadrant_figure(points: Sequence[BonusPoint]) -> go.Figure:
    """The placed reviews as points (x OKR score, y KPI score; size and colour the bonus; one
    trace per status, each with its own symbol, so colour is never the only sign), lines at
    100 on both axes and the four quadrants named in their corners."""
    placed = [point for point in points if point.quadrant != UNPLACED]
    most = max((point.bonus for point in placed), default=ZERO)
    figure = go.Figure()
    traces = ((APPROVED, _("Approved bonus"), "circle"),
              (PROPOSED, _("Proposed bonus, not approved yet"), "diamond"),
              (NONE, _("No bonus award"), "x"))
    scale_shown = False
    for status, name, symbol in traces:
        members = [point for point in placed if point.status == status]
        if not members:
            continue
        figure.add_trace(go.Scatter(
            x=[_number(point.okr_score) for point in members],
            y=[_number(point.kpi_score) for point in members],
            mode="markers", name=name,
            text=[_hover(point) for point in members], hovertemplate="%{text}<extra></extra>",
            marker={"symbol": symbol, "size": [_size(point.bonus, most) for point in members],
                    "color": [_number(point.bonus) for point in members],
                    "cmin": 0, "cmax": _number(most) or 1, "colorscale": "Viridis",
                    "showscale": not scale_shown, "line": {"width": 1, "color": "#343a40"},
                    "colorbar": {"title": {"text": _("Bonus (CNY)")},
                                 "separatethousands": True}}))
        scale_shown = True
    corners = ((HIGH_HIGH, 1, 1), (HIGH_LOW, 1, 0), (LOW_HIGH, 0, 1), (LOW_LOW, 0, 0))
    annotations = []
    for key, x, y in corners:
        note = quadrant_note(key)
        text = f"<b>{quadrant_label(key)}</b>" + (f"<br>{note}" if note else "")
        annotations.append({
            "text": text, "xref": "x domain", "yref": "y domain", "x": x, "y": y,
            "xanchor": "right" if x else "left", "yanchor": "top" if y else "bottom",
            "showarrow": False, "align": "right" if x else "left",
            "font": {"size": 11, "color": "#495057"}})
    reference = {"color": "#6c757d", "width": 1, "dash": "dash"}
    figure.update_layout(
        height=460, margin={"l": 56, "r": 24, "t": 16, "b": 48},
        xaxis={"title": {"text": _("OKR score")},
               "range": _range([point.okr_score for point in placed]), "zeroline": False},
        yaxis={"title": {"text": _("KPI score")},
               "range": _range([point.kpi_score for point in placed]), "zeroline": False},
        shapes=[{"type": "line", "xref": "x", "yref": "y domain", "x0": _number(HIGH),
                 "x1": _number(HIGH), "y0": 0, "y1": 1, "line": reference},
                {"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1,
                 "y0": _number(HIGH), "y1": _number(HIGH), "line": reference}],
        annotations=annotations, legend={"orientation": "h", "y": -0.15})
    return figure


# --- the choices ------------------------------------------------------------------------------


def cycle_label(cycle: ReviewCycle) -> str:
    return f"{cycle.name} · {cycle.get_status_display()}"


class BonusReportForm(forms.Form):
    """Which cycle (blank: the latest published) and which department (blank: all; a
    department counts those below it), read from the query string."""

    cycle = forms.TypedChoiceField(label=gettext_lazy("Review cycle"), coerce=int,
                                   required=False, empty_value=None)
    department = forms.TypedChoiceField(label=gettext_lazy("Department"), coerce=int,
                                        required=False, empty_value=None)

    def __init__(self, *args, nodes: dict[int, DepartmentNode], **kwargs):
        super().__init__(*args, **kwargs)
        # Read once (one query): the select's choices, the validation and the default.
        self.cycles = list(report_cycles())
        self.nodes = nodes
        self.fields["cycle"].choices = [("", _("Latest"))] + [
            (cycle.pk, cycle_label(cycle)) for cycle in self.cycles]
        self.fields["department"].choices = [("", _("All departments"))] + [
            (pk, node.path) for pk, node in nodes.items()]

    def chosen_cycle(self) -> ReviewCycle | None:
        """The chosen cycle, else the latest one (None without a published cycle)."""
        chosen = self.cleaned_data.get("cycle") if self.is_valid() else None
        for cycle in self.cycles:
            if cycle.pk == chosen:
                return cycle
        return self.cycles[0] if self.cycles else None

    def chosen_department(self) -> int | None:
        return self.cleaned_data.get("department") if self.is_valid() else None


def load(query) -> tuple[BonusReportForm, BonusReport | None, str | None]:
    """The form of the query string, the report of the chosen cycle and its figure as JSON
    (None without a cycle; no figure without a placed review): three queries."""
    nodes = department_nodes()
    form = BonusReportForm(query, nodes=nodes)
    cycle = form.chosen_cycle()
    if cycle is None:
        return form, None, None
    report = bonus_report(cycle, nodes, form.chosen_department())
    figure = quadrant_figure(report.points).to_json() if report.placed else None
    return form, report, figure
