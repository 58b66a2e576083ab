"""OKRs of the demo company (see `org.demo`): the year and its current quarter, company,
department and individual objectives (mostly aligned, a few orphans), check-ins spread over the
weeks, one cascade chain (company sales 10 M → Sales & Marketing 60 % → the `staff`
salesperson 10 %) and the brief's worked example: the salesperson's objective "complete
1,000,000 sales this quarter" with the key result "250,000 sales each month", checked in
monthly. Written through the services, so every rule and roll-up holds."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import timezone
from django_scopes import scope

from tandem.core.models import Company
from tandem.org.models import Department, Employee, EmployeeStatus

from . import services
from .models import (
    CheckIn,
    CycleKind,
    CycleStatus,
    KeyResult,
    Level,
    Objective,
    ObjectiveStatus,
)
from .progress import forecast

D = Decimal
MONTHLY_SALES_TARGET = D(250_000)


def quarter_of(today: date) -> tuple[date, date, int]:
    first_month = (today.month - 1) // 3 * 3 + 1
    start = date(today.year, first_month, 1)
    end = (date(today.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
           - timedelta(days=1))
    return start, end, (first_month - 1) // 3 + 1


def seed_demo_goals(company: Company, today: date, *, seed: int = 7) -> None:
    """Adds the demo OKRs to the demo company built by `org.demo.seed_demo_company`."""
    rng = random.Random(seed)
    with scope(company=company.pk):
        _Seeder(company, today, rng).run()


class _Seeder:
    def __init__(self, company: Company, today: date, rng: random.Random):
        self.company = company
        self.today = today
        self.rng = rng

    def run(self) -> None:
        start, end, number = quarter_of(self.today)
        year = services.create_cycle(company=self.company, name=f"{self.today.year}",
                                     kind=CycleKind.YEAR, start=date(self.today.year, 1, 1),
                                     end=date(self.today.year, 12, 31),
                                     status=CycleStatus.ACTIVE)
        self.quarter = services.create_cycle(
            company=self.company, name=f"{self.today.year}-Q{number}", kind=CycleKind.QUARTER,
            start=start, end=end, status=CycleStatus.ACTIVE, parent=year)
        top = list(Department.objects.filter(parent=None).select_related("leader")
                   .order_by("pk"))
        by_name = {d.name_en: d for d in top}
        sales = by_name.get("Sales & Marketing", top[-1])
        rnd = by_name.get("R&D Center", top[min(1, len(top) - 1)])
        admin = by_name.get("General Administration", top[0])

        yearly = services.create_objective(
            company=self.company, cycle=year, level=Level.COMPANY,
            title="成为华东地区领先的 SaaS 服务商（Become the leading SaaS vendor in East China）",
            kind="aspirational")
        services.create_key_result(objective=yearly, title="年度销售额 4000 万元 (Annual sales)",
                                   measure_type="currency", unit="元",
                                   target_value=D(40_000_000))
        sales_o = self._company_and_sales(sales, yearly)
        self._rnd(rnd)
        self._orphans(admin)
        self._individuals(sales, rnd, sales_o)
        self._approve_most()
        self._ambition_examples()

    # -- company and departments -----------------------------------------------------------

    def _company_and_sales(self, sales: Department, yearly: Objective) -> Objective:
        self.company_sales = services.create_objective(
            company=self.company, cycle=self.quarter, level=Level.COMPANY, parent=yearly,
            title="本季度销售额达到 1000 万元（Reach 10 million in sales this quarter）")
        self.company_sales_kr = services.create_key_result(
            objective=self.company_sales, title="季度销售额 (Quarterly sales)",
            measure_type="currency", unit="元", target_value=D(10_000_000))
        self.company_quality = services.create_objective(
            company=self.company, cycle=self.quarter, level=Level.COMPANY,
            title="让客户更满意（Make customers happier）", kind="aspirational")
        nps = services.create_key_result(objective=self.company_quality,
                                         title="NPS 从 30 提升到 50 (NPS from 30 to 50)",
                                         start_value=D(30), target_value=D(50))
        incidents = services.create_key_result(
            objective=self.company_quality, title="严重故障从 8 次降到 2 次 (Severe incidents)",
            start_value=D(8), target_value=D(2), unit="次")
        self._weekly(nps, D(30), D(41), spread=D(2))
        self._weekly(incidents, D(8), D(4), spread=D(1), whole=True)

        sales_o = services.create_objective(
            company=self.company, cycle=self.quarter, level=Level.DEPARTMENT,
            owner_department=sales, parent=self.company_sales,
            title="市场销售部完成 600 万元销售额（Sales & Marketing sells 6 million）")
        self.sales_kr = services.create_key_result(
            objective=sales_o, title="部门销售额 (Department sales)", measure_type="currency",
            unit="元", parent_key_result=self.company_sales_kr, cascade_share=D("0.6"))
        leads = services.create_key_result(objective=sales_o,
                                           title="新增商机 120 个 (New opportunities)",
                                           target_value=D(120), unit="个")
        self._weekly(leads, D(0), D(70), spread=D(5), whole=True)
        services.create_key_result(objective=self.company_sales,
                                   title="市场销售部目标达成 (Sales & Marketing on target)",
                                   driven_by_objective=sales_o)
        return sales_o

    def _rnd(self, rnd: Department) -> None:
        self.rnd_o = services.create_objective(
            company=self.company, cycle=self.quarter, level=Level.DEPARTMENT,
            owner_department=rnd, parent=self.company_quality,
            title="按期高质量交付 3.0 版本（Ship release 3.0 on time and solid）")
        release = services.create_key_result(
            objective=self.rnd_o, title="3.0 版本里程碑 (Release 3.0 milestones)",
            measure_type="milestone", milestones=[
                services.MilestoneSpec("设计评审 (Design review)", D(1),
                                       self.quarter.start + timedelta(days=14)),
                services.MilestoneSpec("公测版 (Public beta)", D(2),
                                       self.quarter.start + timedelta(days=50)),
                services.MilestoneSpec("正式发布 (General availability)", D(2),
                                       self.quarter.end - timedelta(days=7)),
            ])
        for milestone in release.milestones.order_by("due"):
            if milestone.due <= self.today:
                entry = services.check_in(key_result=release, milestone=milestone,
                                          milestone_done=True, confidence=8)
                self._date(entry, milestone.due)
        coverage = services.create_key_result(
            objective=self.rnd_o, title="自动化测试覆盖率 60% → 80% (Test coverage)",
            measure_type="percent", start_value=D(60), target_value=D(80), unit="%")
        self._weekly(coverage, D(60), D(71), spread=D(1))
        services.create_key_result(objective=self.company_quality,
                                   title="研发中心目标达成 (R&D Center on target)",
                                   driven_by_objective=self.rnd_o)

    def _orphans(self, admin: Department) -> None:
        hiring = services.create_objective(
            company=self.company, cycle=self.quarter, level=Level.DEPARTMENT,
            owner_department=admin, title="本季度招聘到位 15 人（Hire 15 people this quarter）")
        hires = services.create_key_result(objective=hiring, title="入职人数 (People hired)",
                                           target_value=D(15), unit="人")
        self._weekly(hires, D(0), D(6), spread=D(1), whole=True)

    # -- people ------------------------------------------------------------------------------

    def _individuals(self, sales: Department, rnd: Department, sales_o: Objective) -> None:
        people = list(Employee.objects.exclude(status=EmployeeStatus.LEFT)
                      .select_related("department", "user").order_by("employee_number"))
        in_sales = [p for p in people if p.department_id != sales.pk
                    and p.department.parent_id == sales.pk]
        salesperson = next((p for p in in_sales if p.user_id is not None), in_sales[0])
        self._worked_example(salesperson, sales_o)
        others = [p for p in in_sales if p.pk != salesperson.pk][:3]
        for person in others:
            objective = services.create_objective(
                company=self.company, cycle=self.quarter, level=Level.INDIVIDUAL,
                owner_employee=person, parent=sales_o,
                title=f"{person.name}：本季度签约 8 家新客户（Sign 8 new customers）")
            kr = services.create_key_result(objective=objective, title="新签客户数 (New customers)",
                                            target_value=D(8), unit="家")
            self._weekly(kr, D(0), D(self.rng.randint(3, 7)), spread=D(1), whole=True)
        engineers = [p for p in people if p.department.parent_id == rnd.pk][:3]
        for index, person in enumerate(engineers):
            parent = self.rnd_o if index < 2 else None  # the last one is an orphan
            objective = services.create_objective(
                company=self.company, cycle=self.quarter, level=Level.INDIVIDUAL,
                owner_employee=person, parent=parent,
                title=f"{person.name}：关闭 40 个缺陷（Close 40 bugs）")
            kr = services.create_key_result(objective=objective, title="关闭缺陷数 (Bugs closed)",
                                            target_value=D(40), unit="个")
            self._weekly(kr, D(0), D(self.rng.randint(12, 30)), spread=D(2), whole=True)

    def _worked_example(self, salesperson: Employee, sales_o: Objective) -> None:
        objective = services.create_objective(
            company=self.company, cycle=self.quarter, level=Level.INDIVIDUAL,
            owner_employee=salesperson, parent=sales_o,
            title="本季度完成 100 万元销售额（Complete 1,000,000 sales this quarter）")
        monthly = services.create_key_result(
            objective=objective, title="每月销售额 25 万元 (250,000 sales each month)",
            measure_type="currency", unit="元", target_value=MONTHLY_SALES_TARGET)
        # Checked in monthly: each month's sales, at the end of the month (or today).
        month_start = self.quarter.start
        figures = (D(240_000), D(262_000), D(251_000))
        for figure in figures:
            if month_start > self.today:
                break
            next_month = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1)
            day = min(next_month - timedelta(days=1), self.today)
            entry = services.check_in(key_result=monthly, value=figure, confidence=7,
                                      comment="月度销售额 (monthly sales)")
            self._date(entry, day)
            month_start = next_month
        share = services.create_key_result(
            objective=objective, title="个人季度销售额 (My quarterly sales)",
            measure_type="currency", unit="元", parent_key_result=self.company_sales_kr,
            cascade_share=D("0.1"))
        self._weekly(share, D(0), D(640_000), spread=D(20_000))
        services.create_key_result(objective=sales_o,
                                   title="华东销售代表目标达成 (East China rep on target)",
                                   driven_by_objective=objective)

    # -- history -------------------------------------------------------------------------------

    def _weekly(self, kr: KeyResult, start: Decimal, reach: Decimal, *, spread: Decimal,
                whole: bool = False) -> None:
        """Weekly check-ins from the start of the quarter to today, moving from `start` to
        about `reach` with some noise."""
        days = [self.quarter.start + timedelta(days=7 * n) for n in range(1, 14)]
        days = [day for day in days if day <= self.today]
        for index, day in enumerate(days, start=1):
            value = start + (reach - start) * D(index) / D(len(days))
            value += D(self.rng.uniform(-1, 1)) * spread
            value = value.quantize(D(1) if whole else D("0.01"))
            confidence = self.rng.randint(3, 9)
            entry = services.check_in(key_result=kr, value=value, confidence=confidence)
            self._date(entry, day)

    def _date(self, entry: CheckIn, day: date) -> None:
        moment = timezone.make_aware(datetime.combine(day, time(18, 0)))
        CheckIn.objects.filter(pk=entry.pk).update(created_at=moment)

    def _ambition_examples(self) -> None:
        """What the ambition guard shows a lead: an engineer who eased an approved target with
        a reason, and another whose re-planned target their own pace already promises."""
        bugs = list(KeyResult.objects.filter(
            objective__cycle=self.quarter, objective__status=ObjectiveStatus.APPROVED,
            objective__level=Level.INDIVIDUAL, title="关闭缺陷数 (Bugs closed)")
            .select_related("objective__cycle", "objective__owner_employee__user", "owner")
            .order_by("pk"))
        if len(bugs) < 2:
            return
        eased, replanned = bugs[0], bugs[1]
        # Eased, yet still above the pace so far: a reason, and no flag.
        reach = self._reach(eased)
        target = eased.target_value - 2
        if reach is not None and reach + 3 < eased.target_value:
            target = (reach + 3).quantize(D(1), rounding=ROUND_CEILING)
        services.update_key_result(
            key_result=eased, target_value=target, by=eased.objective.owner_employee.user,
            reason="两名工程师调去支援客户故障处理 (two engineers moved to incident support)")
        reach = self._reach(replanned)
        if reach is None or reach < D(2):
            return
        # The pace so far reaches `reach` by the end of the quarter: a target just below it is
        # already promised, and the lead sees the flag.
        target = (reach * D("0.9")).quantize(D(1), rounding=ROUND_FLOOR)
        if target == replanned.target_value:
            target -= 1
        services.update_key_result(
            key_result=replanned, target_value=target,
            by=replanned.objective.owner_employee.user,
            reason="按目前进度重新规划 (re-planned from the pace so far)")

    def _reach(self, kr: KeyResult) -> Decimal | None:
        """Where the check-ins' trend line reaches by the end of the quarter."""
        points = [(self.quarter.start, kr.start_value)] + [
            (timezone.localdate(moment), value) for moment, value in CheckIn.objects.filter(
                key_result=kr).order_by("created_at").values_list("created_at", "value")]
        return forecast(points, self.quarter.end) if len(points) > 2 else None

    def _approve_most(self) -> None:
        objectives = list(Objective.objects.filter(cycle__in=[self.quarter]).order_by("pk"))
        for index, objective in enumerate(objectives):
            if index % 7 == 6:
                continue  # a few stay drafts
            services.submit_objective(objective=objective)
            if index % 5 != 4:
                services.approve_objective(objective=objective)
        for objective in Objective.objects.filter(cycle__kind=CycleKind.YEAR):
            services.submit_objective(objective=objective)
            services.approve_objective(objective=objective)

