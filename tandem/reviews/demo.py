"""Reviews of the demo company (see `org.demo`, after the goals, KPI and pay demos).

The previous quarter is added as a closed goal cycle: company and department objectives, one or
two individual objectives for everyone employed since before it began (committed and
aspirational, with monthly check-ins whose final values spread progress from about 0.3 to 1.3),
the position KPI sets applied to it and final figures imported (attainments about 0.6–1.2).
The brief's worked example is among them (../shared/domain/okr-kpi.md, last section): the
salesperson's KPI "sales attainment" ends at 800,000 of 1,000,000 (80 %) and their key result
"new customer development" at 12 of 10 (120 %), so their improvement plan says "strengthen
repeat-purchase skills" (a course) and "keep the new-customer pace".

Then the review of that quarter goes through every step (self and manager assessments with a
few difficulty coefficients and adjustments, calibration moving a few grades with reasons,
publication with improvement plans and bonus awards, approval of the awards into the first pay
month still open, acknowledgements), under the company's bonus policy with the brief's
thresholds and a Sales & Marketing one; and the current quarter's review is open, some people
through their self assessment and a few managers already writing.

Everything that carries a rule goes through the services; the individual objectives of a
company of thousands are written in bulk with the progress `goals.progress` gives and the
history rows the services would add (one service call per objective would take minutes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_scopes import scope

from tandem.core.models import Company
from tandem.core.notifications.models import Notification
from tandem.goals import services as goals_services
from tandem.goals.models import (
    CheckIn,
    Cycle,
    CycleKind,
    CycleStatus,
    KeyResult,
    Level,
    Objective,
    ObjectiveKind,
    ObjectiveStatus,
)
from tandem.goals.policy import policy_for
from tandem.goals.progress import KeyResultInput, Weighted, kr_progress, objective_progress
from tandem.kpis import services as kpis_services
from tandem.kpis.models import Assignment, MeasurementSource
from tandem.org.demo import POSITIONS, add_months
from tandem.org.models import Department, Employee, EmployeeStatus
from tandem.pay.models import PayrollRun, RunStatus
from tandem.pay.models.payroll import LOCKED_STATUSES
from tandem.pay.services_payroll import calculate_run

from . import bonus, notifications, services, services_bonus
from .models import EventKind, ImprovementPlan, Review, ReviewCycle, ReviewEvent, Stage
from .policy import frozen_for

D = Decimal
CHUNK = 2000
WORKED_EXAMPLE_TITLE = "本季度完成 100 万元销售额（Complete 1,000,000 sales this quarter）"
NEW_CUSTOMER_KR = "新客户开发（New customer development）"
MONTHLY_SALES_KR = "每月销售额 25 万元 (250,000 sales each month)"
# The worked example's months: 800,000 in all against the KPI's 1,000,000 (80 %); the last
# month's 238,000 is the monthly key result's final value (0.952, no plan item of its own).
WORKED_EXAMPLE_SALES = (D(262_000), D(300_000), D(238_000))
WORKED_EXAMPLE_CUSTOMERS = (D(4), D(9), D(12))  # of 10: 120 %
POLICY_NAME = "季度绩效奖金（Quarterly performance bonus）"
SALES_POLICY_NAME = "销售绩效奖金（Sales performance bonus）"
BUDGET_PER_PERSON = D(4_000)
BUDGET_STEP = D(10_000)
# At most this many reviews go through the services one by one at each step, besides the
# sign-ins' (see `_detailed`); the rest are written in bulk. And at most this many managers
# are already writing in the open review.
DETAILED = 120
MANAGERS = 40
# Days after the quarter's end: self, manager, calibration, acknowledgement deadlines.
DEADLINES = (10, 20, 27, 36)
MEASURES = {"元": "currency", "%": "percent"}
COUNT_UNITS = ("个", "家", "次", "人", "场", "条", "天")

# Objective templates by family: (title, kind, [(KR title, unit, start, target)]).
Template = tuple[str, str, list[tuple[str, str, str, str]]]
TEMPLATES: dict[str, list[Template]] = {
    "sales": [
        ("签约新客户，扩大华东市场份额（Win new customers）", "committed",
         [("新签客户 8 家 (New customers signed)", "家", "0", "8"),
          ("季度回款 90 万元 (Collections)", "元", "0", "900000")]),
        ("提升老客户复购（Grow repeat business）", "aspirational",
         [("复购客户 6 家 (Repeat customers)", "家", "0", "6")]),
    ],
    "marketing": [
        ("提升线索质量（Better leads）", "committed",
         [("有效商机 40 个 (Qualified leads)", "个", "0", "40"),
          ("获客成本从 1000 元降到 800 元 (Cost per lead)", "元", "1000", "800")]),
        ("打响品牌（Build the brand）", "aspirational",
         [("行业活动 3 场 (Industry events)", "场", "0", "3")]),
    ],
    "engineering": [
        ("按期交付迭代功能（Ship the sprint features on time）", "committed",
         [("按期交付需求 20 个 (Features shipped on time)", "个", "0", "20"),
          ("线上缺陷从 10 个降到 4 个 (Escaped defects)", "个", "10", "4")]),
        ("提升系统性能（Make the system faster）", "aspirational",
         [("核心接口 P95 从 800ms 降到 300ms (API p95 latency)", "ms", "800", "300")]),
    ],
    "qa": [
        ("提升测试自动化（Automate the tests）", "committed",
         [("自动化用例 300 条 (Automated test cases)", "条", "0", "300"),
          ("回归测试从 3 天缩短到 1 天 (Regression test days)", "天", "3", "1")]),
    ],
    "product": [
        ("打磨核心产品体验（Polish the core experience）", "committed",
         [("完成用户访谈 15 次 (User interviews)", "次", "0", "15"),
          ("需求评审通过率 70% → 90% (Spec approval rate)", "%", "70", "90")]),
        ("提升用户活跃度（Grow active users）", "aspirational",
         [("周活跃用户从 2 万到 3 万 (Weekly active users)", "人", "20000", "30000")]),
    ],
    "people": [
        ("关键岗位按期到岗（Fill key roles on time）", "committed",
         [("入职人数 10 人 (People hired)", "人", "0", "10"),
          ("试用期转正率 70% → 90% (Probation pass rate)", "%", "70", "90")]),
        ("提升员工敬业度（Raise engagement）", "aspirational",
         [("敬业度调研得分 3.8 → 4.3 (Engagement score)", "分", "3.8", "4.3")]),
    ],
    "finance": [
        ("准确及时完成月结（Close the books on time）", "committed",
         [("月结用时从 8 天降到 5 天 (Days to close)", "天", "8", "5"),
          ("报销 3 日内处理率 80% → 95% (Expenses paid within 3 days)", "%", "80", "95")]),
    ],
    "admin": [
        ("提升行政服务满意度（Better office services）", "committed",
         [("内部满意度 4.0 → 4.6 (Internal satisfaction)", "分", "4.0", "4.6"),
          ("办公采购成本降低 10% (Purchasing cost cut)", "%", "0", "10")]),
    ],
}
FAMILIES: dict[str, str] = {
    "sales_rep": "sales", "sales_manager": "sales", "sales_director": "sales",
    "marketing_manager": "marketing", "marketing_specialist": "marketing",
    "marketing_lead": "marketing",
    "backend": "engineering", "senior_backend": "engineering", "frontend": "engineering",
    "data_engineer": "engineering", "backend_lead": "engineering",
    "frontend_lead": "engineering", "data_lead": "engineering", "cto": "engineering",
    "qa_engineer": "qa", "qa_lead": "qa",
    "product_manager": "product", "ui_designer": "product", "data_analyst": "product",
    "hr_manager": "people", "hrbp": "people", "recruiter": "people",
    "hr_supervisor": "people", "hr_specialist": "people",
    "finance_manager": "finance", "accountant": "finance", "cashier": "finance",
    "finance_supervisor": "finance",
    "admin_specialist": "admin", "admin_supervisor": "admin", "ceo": "admin",
}

# Texts people write, by how the quarter went.
SELF_TEXTS = {
    "high": (
        "本季度目标全部达成，还主动承担了跨团队协作。（Met every goal this quarter and took "
        "on cross-team work.）",
        "超额完成了主要指标，沉淀了可复用的方法。（Beat my main targets and wrote down what "
        "others can reuse.）",
    ),
    "mid": (
        "大部分目标按计划完成，个别指标略有差距，下季度重点补齐。（Most goals on plan; a couple "
        "of figures fell short, which I will close next quarter.）",
        "整体稳定推进，需要在时间管理上再加强。（Steady progress overall; I need to manage my "
        "time better.）",
    ),
    "low": (
        "本季度进度落后，主要受资源调整影响，已和主管制定改进计划。（Behind plan this quarter, "
        "mostly from resource changes; I agreed a recovery plan with my lead.）",
        "几个关键结果没有达到预期，我会拆解成每周行动来追赶。（Several key results fell short; "
        "I will break them into weekly steps to catch up.）",
    ),
    "new": (
        "入职时间较短，正在熟悉业务和团队。（Joined recently; still learning the business and "
        "the team.）",
    ),
}
MANAGER_TEXTS = {
    "high": (
        "成果突出，是团队的骨干，建议承担更多带教工作。（Outstanding results and a pillar of the "
        "team; ready to mentor others.）",
        "目标达成好，协作主动，值得肯定。（Strong delivery and proactive teamwork.）",
    ),
    "mid": (
        "完成了岗位基本要求，个别指标需要加强。（Meets the role's expectations; a few figures "
        "need work.）",
        "表现稳定，下季度希望在主动性上有提升。（Steady; more initiative next quarter.）",
    ),
    "low": (
        "多个目标未达成，需要制定明确的改进计划并按周跟进。（Several goals missed; needs a clear "
        "plan followed up weekly.）",
    ),
    "new": (
        "入职不足一个季度，本期不评分，重点是融入团队。（Joined after the quarter: not scored "
        "this time; the focus is settling in.）",
    ),
}
WORKED_EXAMPLE_SELF = (
    "销售额完成 80 万元，未达到 100 万元目标，主要是老客户复购下滑；新客户开发 12 家，超出目标。"
    "（800,000 in sales against 1,000,000: repeat orders dropped; 12 new customers developed, "
    "above target.）")
WORKED_EXAMPLE_MANAGER = (
    "新客户开发势头很好，销售额缺口主要在老客户复购，下季度需要补强复购技巧。（Great pace in new "
    "customers; the sales gap is in repeat purchases, which need strengthening next quarter.）")
DIFFICULTIES = (
    (D("1.2"), "目标涉及新市场开拓，难度明显高于同岗位（A new market: clearly harder than peers' "
               "goals）"),
    (D("1.1"), "需求变更频繁，交付难度较大（Frequent requirement changes made delivery harder）"),
    (D("0.9"), "目标设定偏保守（The target was set on the conservative side）"),
)
ADJUSTMENTS = (
    (D(3), "主动支援其他团队上线（Stepped in to help another team's launch）"),
    (D(5), "妥善处理重大客户投诉（Handled a major customer escalation very well）"),
    (D(-3), "多次延误周报与复盘（Repeatedly late with weekly reports and retrospectives）"),
)
GRADE_UP = "校准会一致认可其对重点项目的贡献（The calibration panel recognised the key-project work）"
GRADE_DOWN = "与同级相比产出偏低，校准下调一档（Output below peers at the same level: one grade down）"
ACK_COMMENTS = (
    "", "", "认可评估结果，下季度继续努力。（I accept the result and will keep improving.）",
    "感谢主管的反馈。（Thanks for the feedback.）",
)


def seed_demo_reviews(company: Company, today: date, *, seed: int = 17) -> None:
    """Adds the previous quarter's goals, KPIs and finished review, the bonus policies and the
    current quarter's open review to the demo company (after its goals, KPIs and pay)."""
    rng = random.Random(seed)
    with scope(company=company.pk):
        current = (Cycle.objects.filter(kind=CycleKind.QUARTER, start__lte=today,
                                        end__gte=today).order_by("start").first())
        if current is None:
            return
        _Seeder(company, today, current, rng).run()


def previous_quarter(start: date) -> tuple[date, date, int]:
    """(start, end, number) of the quarter before the one starting on `start`."""
    end = start - timedelta(days=1)
    first = date(end.year, end.month - 2, 1)
    return first, end, (end.month - 1) // 3 + 1


def _moment(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _quantized(value: Decimal, unit: str) -> Decimal:
    step = D(1) if unit in COUNT_UNITS else D("0.01")
    return value.quantize(step, rounding=ROUND_HALF_UP)


@dataclass
class _People:
    everyone: list[Employee]  # still employed, by employee number
    settled: list[Employee]  # employed since before the previous quarter began
    after: list[Employee]  # hired after the previous quarter ended


class _Seeder:
    def __init__(self, company: Company, today: date, current: Cycle, rng: random.Random):
        self.company = company
        self.today = today
        self.current = current
        self.rng = rng
        self.batch: list[tuple[Review, list[str], ReviewEvent]] = []

    def run(self) -> None:
        self.previous = self._previous_cycle()
        self.people = self._people()
        self.salesperson = self._salesperson()
        self._previous_goals()
        self._previous_kpis()
        self._close_previous()
        self._bonus_policies()
        self._finished_review()
        self._open_review()

    # -- the previous quarter ---------------------------------------------------------------

    def _previous_cycle(self) -> Cycle:
        start, end, number = previous_quarter(self.current.start)
        year = Cycle.objects.filter(kind=CycleKind.YEAR, start__lte=start, end__gte=end).first()
        if year is None:
            year = goals_services.create_cycle(
                company=self.company, name=f"{start.year}", kind=CycleKind.YEAR,
                start=date(start.year, 1, 1), end=date(start.year, 12, 31),
                status=CycleStatus.CLOSED)
        # Each month's last day: when the monthly figures and check-ins came in.
        self.months = [add_months(start, n + 1) - timedelta(days=1) for n in range(3)]
        return goals_services.create_cycle(
            company=self.company, name=f"{start.year}-Q{number}", kind=CycleKind.QUARTER,
            start=start, end=end, status=CycleStatus.ACTIVE, parent=year)

    def _people(self) -> _People:
        everyone = list(Employee.objects.exclude(status=EmployeeStatus.LEFT)
                        .select_related("position", "department").order_by("employee_number"))
        return _People(
            everyone=everyone,
            settled=[p for p in everyone if p.hire_date < self.previous.start],
            after=[p for p in everyone if p.hire_date > self.previous.end])

    def _salesperson(self) -> Employee | None:
        """The owner of the worked example's objective in the current quarter (goals.demo)."""
        objective = (Objective.objects.filter(cycle=self.current, level=Level.INDIVIDUAL,
                                              title=WORKED_EXAMPLE_TITLE)
                     .select_related("owner_employee").first())
        return objective.owner_employee if objective is not None else None

    def _previous_goals(self) -> None:
        self.top = {d.pk: d for d in Department.objects.filter(parent=None).order_by("pk")}
        self.parents = dict(Department.objects.values_list("pk", "parent_id"))
        self.department_objectives = self._company_and_departments()
        if self.salesperson is not None:
            self._worked_example()
        self._individuals()

    def _company_and_departments(self) -> dict[int, Objective]:
        """One company objective and one objective per level-1 department aligned to it,
        through the services, with their final figures."""
        quarter = self.previous
        company_o = goals_services.create_objective(
            company=self.company, cycle=quarter, level=Level.COMPANY,
            title=f"{quarter.name} 实现稳健增长（Grow steadily in {quarter.name}）")
        sales_kr = goals_services.create_key_result(
            objective=company_o, title="季度销售额 900 万元 (Quarterly sales)",
            measure_type="currency", unit="元", target_value=D(9_000_000))
        self._final_check_in(sales_kr, D(8_460_000))
        by_department = {}
        wording = {
            "Sales & Marketing": ("市场销售部完成 550 万元销售额（Sales & Marketing sells 5.5 "
                                  "million）", "部门销售额 (Department sales)", "元",
                                  D(5_500_000), D(5_170_000)),
            "R&D Center": ("按期交付 2.8 版本（Ship release 2.8 on time）",
                           "按期交付需求 60 个 (Features shipped on time)", "个", D(60), D(54)),
            "General Administration": ("保障业务所需人才与服务（Staff and serve the business）",
                                       "入职人数 20 人 (People hired)", "人", D(20), D(17)),
        }
        for department in self.top.values():
            title, kr_title, unit, target, reach = wording.get(
                department.name_en, (f"{department.name} 季度目标（Quarterly goals of "
                                     f"{department.name_en or department.name}）",
                                     "关键任务完成数 (Key tasks done)", "个", D(10), D(9)))
            objective = goals_services.create_objective(
                company=self.company, cycle=quarter, level=Level.DEPARTMENT,
                owner_department=department, parent=company_o, title=title)
            kr = goals_services.create_key_result(objective=objective, title=kr_title,
                                                  unit=unit, target_value=target)
            self._final_check_in(kr, reach)
            by_department[department.pk] = objective
        self._approve([company_o, *by_department.values()])
        return by_department

    def _approve(self, objectives: list[Objective]) -> None:
        # Reloaded: the check-ins rolled their progress up since these instances were made.
        for objective in Objective.objects.filter(pk__in=[o.pk for o in objectives]):
            goals_services.submit_objective(objective=objective)
            goals_services.approve_objective(objective=objective)

    def _final_check_in(self, kr: KeyResult, value: Decimal) -> None:
        entry = goals_services.check_in(key_result=kr, value=value, confidence=8,
                                        comment="季度结算 (quarter close)")
        CheckIn.objects.filter(pk=entry.pk).update(created_at=_moment(self.previous.end))

    def _level1(self, department_id: int | None) -> int | None:
        seen = set()
        while department_id is not None and self.parents.get(department_id) is not None:
            if department_id in seen:
                break
            seen.add(department_id)
            department_id = self.parents[department_id]
        return department_id

    def _worked_example(self) -> None:
        """The brief's salesperson, through the services: the monthly sales key result checked
        in each month, and new customer development reaching 12 of 10."""
        person = self.salesperson
        objective = goals_services.create_objective(
            company=self.company, cycle=self.previous, level=Level.INDIVIDUAL,
            owner_employee=person, title=WORKED_EXAMPLE_TITLE,
            parent=self.department_objectives.get(self._level1(person.department_id)))
        monthly = goals_services.create_key_result(
            objective=objective, title=MONTHLY_SALES_KR, measure_type="currency", unit="元",
            target_value=D(250_000))
        customers = goals_services.create_key_result(
            objective=objective, title=NEW_CUSTOMER_KR, unit="家", target_value=D(10))
        for day, sales, count in zip(self.months, WORKED_EXAMPLE_SALES,
                                     WORKED_EXAMPLE_CUSTOMERS, strict=True):
            for kr, value, comment in ((monthly, sales, "月度销售额 (monthly sales)"),
                                       (customers, count, "累计新客户 (new customers so far)")):
                entry = goals_services.check_in(key_result=kr, value=value, confidence=7,
                                                comment=comment)
                CheckIn.objects.filter(pk=entry.pk).update(created_at=_moment(day))
        self._approve([objective])

    def _individuals(self) -> None:
        """Everyone else employed since before the quarter: one or two objectives written in
        bulk, approved, with monthly check-ins ending at a realistic spread of progress."""
        keys = {title_en: key for key, (_title, title_en) in POSITIONS.items()}
        goals_policy = policy_for(self.company)
        plans = []
        for person in self.people.settled:
            if self.salesperson is not None and person.pk == self.salesperson.pk:
                continue
            family = FAMILIES.get(keys.get(person.position.title_en if person.position else "",
                                           ""), "admin")
            templates = TEMPLATES[family]
            count = 2 if len(templates) > 1 and self.rng.random() < 0.4 else 1
            parent = self.department_objectives.get(self._level1(person.department_id))
            for template in templates[:count]:
                aligned = parent if self.rng.random() < 0.9 else None
                plans.append((person, template, aligned))
        objectives, key_results, check_ins = [], [], []
        for person, (title, kind, krs), parent in plans:
            objective = Objective(
                company=self.company, cycle=self.previous, level=Level.INDIVIDUAL,
                owner_employee=person, title=f"{person.name}：{title}", kind=kind,
                status=ObjectiveStatus.APPROVED, parent=parent)
            objectives.append(objective)
            low, high, mode = ((0.4, 1.3, 1.0) if kind == ObjectiveKind.COMMITTED
                               else (0.3, 1.1, 0.75))
            aim = self.rng.triangular(low, high, mode)
            parts = []
            for kr_title, unit, start, target in krs:
                start, target = D(start), D(target)
                share = D(str(round(max(0.0, aim + self.rng.uniform(-0.15, 0.15)), 3)))
                final = _quantized(start + (target - start) * share, unit)
                progress = kr_progress(KeyResultInput("number", start, target, final),
                                       goals_policy).value
                kr = KeyResult(company=self.company, objective=objective, title=kr_title,
                               owner=person, measure_type=MEASURES.get(unit, "number"),
                               start_value=start, target_value=target,
                               current_value=final, unit=unit, progress=progress)
                key_results.append(kr)
                parts.append(Weighted(kr.weight, progress))
                check_ins += self._monthly(kr, start, final, goals_policy)
            objective.progress = objective_progress(parts).value
        Objective.objects.bulk_create(objectives, batch_size=CHUNK)
        Objective.history.bulk_history_create(objectives, batch_size=CHUNK,
                                               default_change_reason="approved")
        for kr in key_results:
            kr.objective_id = kr.objective.pk
        KeyResult.objects.bulk_create(key_results, batch_size=CHUNK)
        KeyResult.history.bulk_history_create(key_results, batch_size=CHUNK)
        for entry, _day in check_ins:
            entry.key_result_id = entry.key_result.pk
        CheckIn.objects.bulk_create([entry for entry, _day in check_ins], batch_size=CHUNK)
        # auto_now_add stamped them now: they were made at each month's end.
        for day in self.months:
            ids = [entry.pk for entry, when in check_ins if when == day]
            for first in range(0, len(ids), CHUNK):
                CheckIn.objects.filter(pk__in=ids[first:first + CHUNK]).update(
                    created_at=_moment(day))

    def _monthly(self, kr: KeyResult, start: Decimal, final: Decimal,
                 goals_policy) -> list[tuple[CheckIn, date]]:
        rows = []
        for index, day in enumerate(self.months, start=1):
            if index == len(self.months):
                value = final
            else:
                step = D(index) / D(len(self.months))
                noise = D(str(round(self.rng.uniform(0.85, 1.1), 3)))
                value = _quantized(start + (final - start) * step * noise, kr.unit)
            progress = kr_progress(KeyResultInput("number", kr.start_value, kr.target_value,
                                                  value), goals_policy).value
            rows.append((CheckIn(company=self.company, key_result=kr, value=value,
                                 progress=progress, confidence=self.rng.randint(5, 9)), day))
        return rows

    # -- the previous quarter's KPIs ---------------------------------------------------------

    def _previous_kpis(self) -> None:
        """The position sets applied to the quarter, without the people hired after it, and
        the quarter's final figures imported."""
        kpis_services.apply_position_sets(cycle=self.previous)
        late = [p.pk for p in self.people.after]
        for assignment in Assignment.objects.filter(cycle=self.previous, employee_id__in=late):
            kpis_services.delete_assignment(assignment=assignment)
        assignments = (Assignment.objects.filter(cycle=self.previous, employee__isnull=False,
                                                 actual_source="own")
                       .select_related("indicator", "cycle").order_by("pk"))
        example = self.salesperson.pk if self.salesperson is not None else None
        rows = []
        for assignment in assignments:
            if assignment.employee_id == example:
                rows += self._worked_example_figures(assignment)
            else:
                # Banded indicators (on-time delivery) score 0 below their lowest band.
                low, high, mode = ((0.85, 1.05, 0.98) if assignment.indicator.rule == "banded"
                                   else (0.6, 1.2, 1.02))
                rows += self._figures(assignment, D(str(round(
                    self.rng.triangular(low, high, mode), 3))))
            if len(rows) >= CHUNK:
                kpis_services.record_measurements(rows=rows, source=MeasurementSource.IMPORT)
                rows = []
        if rows:
            kpis_services.record_measurements(rows=rows, source=MeasurementSource.IMPORT)

    def _worked_example_figures(self, assignment: Assignment) -> list[dict]:
        """Sales at 80 % of the target; the salesperson's other KPIs just above theirs, so that
        the plan holds the worked example's two items and nothing else."""
        if assignment.indicator.code == "SALES":
            scale = assignment.target / D(1_000_000)
            return [{"assignment": assignment, "date": day, "value": value * scale,
                     "note": "财务系统导出 (finance system export)"}
                    for day, value in zip(self.months, WORKED_EXAMPLE_SALES, strict=True)]
        return self._figures(assignment, D("1.1") if assignment.indicator.direction == "higher"
                             else D("1.05"))

    def _figures(self, assignment: Assignment, aim: Decimal) -> list[dict]:
        """The figures that give `assignment` about the attainment `aim`: monthly amounts for
        summed indicators, one reading at the quarter's end for the others."""
        indicator = assignment.indicator
        target = assignment.target
        unit = indicator.unit
        if indicator.direction == "lower":
            if target == 0 or indicator.rule == "penalty":
                total = D(self.rng.choice((0, 0, 0, 1)))
            elif indicator.rule == "reverse_deviation":
                total = target * (D(2) - aim)
            else:
                total = target / aim
        else:
            total = target * aim
            if unit == "%":
                total = min(total, D(100))
            elif unit == "分":
                total = min(total, D(5))
        total = _quantized(max(total, D(0)), unit)
        note = "季度数据导入 (quarter figures import)"
        if indicator.aggregation != "sum":
            return [{"assignment": assignment, "date": self.months[-1], "value": total,
                     "note": note}]
        shares = [D(str(round(self.rng.uniform(0.28, 0.38), 3))) for _ in self.months[:-1]]
        amounts = [_quantized(total * share, unit) for share in shares]
        amounts.append(max(total - sum(amounts, D(0)), D(0)))
        return [{"assignment": assignment, "date": day, "value": amount, "note": note}
                for day, amount in zip(self.months, amounts, strict=True)]

    def _close_previous(self) -> None:
        """Every objective of the quarter closed (with its history row), then the quarter."""
        Objective.objects.filter(cycle=self.previous).update(status=ObjectiveStatus.CLOSED)
        objectives = list(Objective.objects.filter(cycle=self.previous))
        Objective.history.bulk_history_create(objectives, batch_size=CHUNK, update=True,
                                              default_change_reason="closed")
        goals_services.update_cycle(cycle=self.previous, status=CycleStatus.CLOSED)
        year = self.previous.parent
        if year is not None and year.end < self.today and year.status != CycleStatus.CLOSED:
            goals_services.update_cycle(cycle=year, status=CycleStatus.CLOSED)

    # -- bonuses -------------------------------------------------------------------------------

    def _bonus_policies(self) -> None:
        """The company's policy with the brief's formula and thresholds (bonus.DEMO_FORMULA),
        budgeted from the head count, and a richer one for Sales & Marketing."""
        count = D(len(self.people.everyone))
        budget = (count * BUDGET_PER_PERSON / BUDGET_STEP).quantize(
            D(1), rounding=ROUND_HALF_UP) * BUDGET_STEP
        services_bonus.save_policy(
            actor=None, company=self.company, name=POLICY_NAME, formula=bonus.DEMO_FORMULA,
            base_bonus=D(10_000), extra_bonus=D(5_000), budget=max(budget, BUDGET_STEP))
        sales = next((d for d in self.top.values() if d.name_en == "Sales & Marketing"), None)
        if sales is not None:
            services_bonus.save_policy(
                actor=None, company=self.company, name=SALES_POLICY_NAME,
                formula=bonus.DEMO_FORMULA, base_bonus=D(15_000), extra_bonus=D(8_000),
                minimum_final_score=D(70), cap=D(40_000), department=sales)

    # -- the finished review ---------------------------------------------------------------------

    def _deadlines(self, end: date, latest: date | None) -> list[date]:
        """The steps' deadlines after `end`, squeezed before `latest` when given."""
        days = list(DEADLINES)
        if latest is not None:
            room = (latest - end).days - 1
            if room < DEADLINES[-1]:
                days = [max(1, day * room // DEADLINES[-1]) for day in DEADLINES]
        return [end + timedelta(days=day) for day in days]

    def _finished_review(self) -> None:
        quarter = self.previous
        due = self._deadlines(quarter.end, self.today)
        cycle = services.save_cycle(
            actor=None, company=self.company, goal_cycles=[quarter],
            name=f"{quarter.name} 绩效评估（Performance review）", calibration=True,
            acknowledgement=True, self_deadline=due[0], manager_deadline=due[1],
            calibration_deadline=due[2], acknowledgement_deadline=due[3])
        told = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        services.open_cycle(actor=None, cycle=cycle)
        reviews = self._reviews(cycle)
        example = self.salesperson.pk if self.salesperson is not None else None
        notes = {review.pk: self._manager_notes(review, example) for review in reviews}
        detailed = self._detailed(reviews, {pk for pk, note in notes.items()
                                            if note[0] or note[1]})
        for review in reviews:
            text = (WORKED_EXAMPLE_SELF if review.employee_id == example
                    else self.rng.choice(SELF_TEXTS[self._level(review)]))
            if review.pk in detailed:
                services.submit_self(actor=None, review=review, summary=text)
            else:
                self._bulk_self(review, text)
        self._flush()
        for review in self._reviews(cycle):
            ratings, adjustment, reason = notes[review.pk]
            text = (WORKED_EXAMPLE_MANAGER if review.employee_id == example
                    else self.rng.choice(MANAGER_TEXTS[self._level(review)]))
            if review.pk in detailed:
                services.assess(actor=None, review=review, summary=text, adjustment=adjustment,
                                adjustment_reason=reason, ratings=ratings, submit=True)
            else:
                self._bulk_assessed(review, text)
        self._flush()
        cycle = services.start_calibration(actor=None, cycle=cycle)
        self._calibrate(cycle, example)
        cycle = services.publish(actor=None, cycle=cycle)
        self._approve_awards(cycle)
        for review in self._reviews(cycle):
            if review.employee_id != example and self.rng.random() >= 0.9:
                continue  # a few have not acknowledged yet
            comment = self.rng.choice(ACK_COMMENTS)
            if review.pk in detailed:
                services.acknowledge(actor=None, review=review, comment=comment)
            else:
                self._bulk_acknowledged(review, comment)
        self._flush()
        self._backdate(cycle, quarter.end, due, told)

    def _reviews(self, cycle: ReviewCycle) -> list[Review]:
        return list(Review.objects.filter(cycle=cycle)
                    .select_related("employee", "reviewer", "cycle")
                    .order_by("employee__employee_number"))

    def _detailed(self, reviews: list[Review], chosen: set[int]) -> set[int]:
        """The reviews that go through the services one by one: those of the demo's sign-ins
        and of the people they review, the worked example, the ones with a difficulty or an
        adjustment, then others up to DETAILED. The rest are written in bulk with the same
        fields, history and events; no notifications (nobody can sign in as those people)."""
        signed_in = {p.pk for p in self.people.everyone if p.user_id is not None}
        if self.salesperson is not None:
            signed_in.add(self.salesperson.pk)
        detailed = set(chosen) | {r.pk for r in reviews if r.employee_id in signed_in
                                  or r.reviewer_id in signed_in}
        others = [r.pk for r in reviews if r.pk not in detailed]
        room = max(DETAILED - len(detailed), 0)
        return detailed | set(self.rng.sample(others, min(room, len(others))))

    def _level(self, review: Review) -> str:
        if review.final_score is None:
            return "new"
        if review.final_score >= 100:
            return "high"
        return "mid" if review.final_score >= 85 else "low"

    def _manager_notes(self, review: Review, example: int | None) -> tuple[dict, Decimal, str]:
        """Now and then a difficulty coefficient or an adjustment, each with its reason
        (never on the worked example, to keep its figures plain)."""
        ratings, adjustment, reason = {}, D(0), ""
        objectives = review.inputs.get("objectives", [])
        if review.employee_id != example:
            if objectives and self.rng.random() < 0.06:
                difficulty, why = self.rng.choice(DIFFICULTIES)
                ratings[objectives[0]["key"]] = (difficulty, why)
            if review.final_score is not None and self.rng.random() < 0.04:
                adjustment, reason = self.rng.choice(ADJUSTMENTS)
        return ratings, adjustment, reason

    # What `submit_self`, `assess` and `acknowledge` write, for many reviews at once.

    def _bulk_self(self, review: Review, text: str) -> None:
        review.self_summary, review.self_submitted_at = text, timezone.now()
        review.stage = Stage.MANAGER
        self._pending(review, ["self_summary", "self_submitted_at", "stage"],
                      ReviewEvent(kind=EventKind.SELF_SUBMITTED))

    def _bulk_assessed(self, review: Review, text: str) -> None:
        review.manager_summary, review.manager_submitted_at = text, timezone.now()
        review.stage = Stage.ASSESSED
        self._pending(review, ["manager_summary", "manager_submitted_at", "stage"],
                      ReviewEvent(kind=EventKind.MANAGER_SUBMITTED, data={
                          "final_score": str(review.final_score), "grade": review.grade}))

    def _bulk_acknowledged(self, review: Review, comment: str) -> None:
        review.acknowledged_at, review.acknowledgement_comment = timezone.now(), comment
        review.stage = Stage.ACKNOWLEDGED
        self._pending(review, ["acknowledged_at", "acknowledgement_comment", "stage"],
                      ReviewEvent(kind=EventKind.ACKNOWLEDGED, reason=comment[:500]))

    def _pending(self, review: Review, fields: list[str], event: ReviewEvent) -> None:
        review.version += 1
        event.company, event.review = self.company, review
        self.batch.append((review, fields, event))

    def _flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        reviews = [review for review, _fields, _event in batch]
        Review.objects.bulk_update(reviews, [*batch[0][1], "version"], batch_size=CHUNK)
        Review.history.bulk_history_create(reviews, batch_size=CHUNK, update=True)
        ReviewEvent.objects.bulk_create([event for _r, _f, event in batch], batch_size=CHUNK)

    def _calibrate(self, cycle: ReviewCycle, example: int | None) -> None:
        """Two to four grades moved one step, with reasons: people just under a band up,
        people just over one down."""
        policy = frozen_for(cycle).policy
        names = [band.grade for band in policy.grades]
        minimum = {band.grade: band.minimum for band in policy.grades}
        up, down = [], []
        for review in Review.objects.filter(cycle=cycle).exclude(final_score=None).exclude(
                employee_id=example).order_by("employee__employee_number"):
            index = names.index(review.grade)
            if index > 0 and minimum[names[index - 1]] - review.final_score <= 3:
                up.append((review, names[index - 1], GRADE_UP))
            elif index < len(names) - 1 and review.final_score - minimum[review.grade] <= 2:
                down.append((review, names[index + 1], GRADE_DOWN))
        wanted = self.rng.randint(2, 4)
        picks = self.rng.sample(up, min(len(up), (wanted + 1) // 2))
        picks += self.rng.sample(down, min(len(down), wanted - len(picks)))
        if len(picks) < wanted:
            picks += [move for move in up if move not in picks][:wanted - len(picks)]
        for review, grade, reason in picks:
            services.change_grade(actor=None, review=review, grade=grade, reason=reason)

    def _approve_awards(self, cycle: ReviewCycle) -> None:
        """Into the first month from the current one whose payroll is not approved yet; its
        draft run, if calculated already, is calculated again with the bonuses."""
        month = self.today.replace(day=1)
        locked = set(PayrollRun.objects.filter(status__in=LOCKED_STATUSES)
                     .values_list("month", flat=True))
        while month in locked:
            month = add_months(month, 1)
        services_bonus.approve_awards(actor=None, cycle=cycle, month=month)
        run = PayrollRun.objects.filter(month=month, status=RunStatus.CALCULATED).first()
        if run is not None:
            calculate_run(run=run, by=run.calculated_by)

    def _backdate(self, cycle: ReviewCycle, end: date, due: list[date], told: int) -> None:
        """The steps happened over the weeks after the quarter, not today: opened the day
        after it ended, each step before its deadline, published after calibration; the
        notifications they sent went out then and were read, but for the results still
        waiting for an acknowledgement."""
        opened, published = _moment(end + timedelta(days=1), 10), _moment(due[2], 17)
        reviews = list(Review.objects.filter(cycle=cycle).order_by("pk"))
        for review in reviews:
            review.self_submitted_at = self._between(end + timedelta(days=1), due[0])
            review.manager_submitted_at = self._between(due[0], due[1])
            review.scored_at = review.manager_submitted_at
            review.published_at = published
            if review.acknowledged_at is not None:
                review.acknowledged_at = self._between(due[2] + timedelta(days=1), due[3])
        Review.objects.bulk_update(reviews, ["self_submitted_at", "manager_submitted_at",
                                             "scored_at", "published_at", "acknowledged_at"],
                                   batch_size=CHUNK)
        ReviewCycle.objects.filter(pk=cycle.pk).update(created_at=opened, opened_at=opened,
                                                       published_at=published)
        events = ReviewEvent.objects.filter(review__cycle=cycle)
        stamp = {EventKind.SELF_SUBMITTED: "self_submitted_at",
                 EventKind.MANAGER_SUBMITTED: "manager_submitted_at",
                 EventKind.ADJUSTED: "manager_submitted_at",
                 EventKind.DIFFICULTY: "manager_submitted_at",
                 EventKind.ACKNOWLEDGED: "acknowledged_at"}
        for kind, field in stamp.items():
            events.filter(kind=kind).update(at=Subquery(
                Review.objects.filter(pk=OuterRef("review_id")).values(field)[:1]))
        events.filter(kind=EventKind.OPENED).update(at=opened)
        events.filter(kind=EventKind.GRADE_CHANGED).update(at=_moment(due[2], 11))
        events.filter(kind=EventKind.PUBLISHED).update(at=published)
        ImprovementPlan.objects.filter(review__cycle=cycle).update(created_at=published)
        sent = Notification.objects.filter(pk__gt=told, kind__startswith="reviews.")
        waiting = Review.objects.filter(cycle=cycle, stage=Stage.PUBLISHED).values(
            "employee_id")
        for kind, moment in ((notifications.SELF_ASSESSMENT_DUE.key, opened),
                             (notifications.MANAGER_ASSESSMENT_DUE.key,
                              _moment(due[0], 18)),
                             (notifications.PUBLISHED.key, published)):
            sent.filter(kind=kind).update(created_at=moment)
        sent.exclude(kind=notifications.PUBLISHED.key, recipient_id__in=waiting).update(
            read_at=_moment(due[3], 12))

    def _between(self, first: date, last: date) -> datetime:
        days = max((last - first).days, 0)
        day = first + timedelta(days=self.rng.randint(0, days))
        return _moment(day, self.rng.randint(9, 20))

    # -- the current quarter's open review -------------------------------------------------------

    def _open_review(self) -> None:
        """Opened a few days ago: about a third of the people have written their self
        assessment, and a few managers have started theirs (some submitted, some drafts)."""
        quarter = self.current
        due = self._deadlines(max(quarter.end, self.today), None)
        cycle = services.save_cycle(
            actor=None, company=self.company, goal_cycles=[quarter],
            name=f"{quarter.name} 绩效评估（Performance review）", calibration=True,
            acknowledgement=True, self_deadline=due[0], manager_deadline=due[1],
            calibration_deadline=due[2], acknowledgement_deadline=due[3])
        services.open_cycle(actor=None, cycle=cycle)
        reviews = self._reviews(cycle)
        early = [review for review in reviews if self.rng.random() < 0.35]
        detailed = self._detailed(early, set())
        for review in early:
            text = self.rng.choice(SELF_TEXTS[self._level(review)])
            if review.pk in detailed:
                services.submit_self(actor=None, review=review, summary=text)
            else:
                self._bulk_self(review, text)
        self._flush()
        writing = self.rng.sample(early, min(len(early), max(2, len(early) // 8), MANAGERS))
        for index, review in enumerate(writing):
            review = Review.objects.select_related("employee").get(pk=review.pk)
            services.assess(actor=None, review=review,
                            summary=self.rng.choice(MANAGER_TEXTS[self._level(review)]),
                            submit=index % 3 != 2)
