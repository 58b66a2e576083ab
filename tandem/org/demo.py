"""The demo company 星河科技有限公司 / Galaxy Tech Co., Ltd.: a realistic, deterministic org chart
with five fixed sign-ins, written with a constant number of queries per batch.

The shape at the default 60 people:

    综合管理部 General Administration (leader: the CEO; HR, finance and admin people)
    研发中心 R&D Center (leader: the CTO) ── 后端组 Backend Team, 前端组 Frontend Team
    市场销售部 Sales & Marketing (leader: `lead`) ── 华东销售组 East China Sales (`staff` is here)

Larger companies grow by teams under the three level-1 departments (the tree stays two levels),
none with more than `MAX_TEAM_SIZE` people. `seed_demo` (the management command) is the CLI.
"""

from __future__ import annotations

import calendar
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scope
from faker import Faker

from tandem.core.models import Company, Membership, Role

from .models import (
    Department,
    Employee,
    EmployeeStatus,
    Gender,
    JobChange,
    JobHistory,
    Position,
)
from .validators import id_number_check_character

DEMO_PASSWORD = "tandem-demo"  # noqa: S105 (published demo accounts)
DEFAULT_EMPLOYEES = 60
DEFAULT_SEED = 2026
MIN_EMPLOYEES = 20
# Up to this head count the demo runs the first risk evaluation (kpis.demo) when seeding.
KPI_ALERTS_UP_TO = 500
MAX_TEAM_SIZE = 40
BATCH_SIZE = 1000
COMPANY_NAME = "星河科技有限公司"
COMPANY_NAME_EN = "Galaxy Tech Co., Ltd."
EMAIL_DOMAIN = "galaxy-tech.example.com"
# 《劳动合同法》第十九条: probation may last at most six months, for contracts of three years or
# more (or open-ended ones), which is what the demo company signs.
PROBATION_MONTHS = 6
HISTORY_YEARS = 4

POSITIONS: dict[str, tuple[str, str]] = {
    "ceo": ("首席执行官", "Chief Executive Officer"),
    "hr_manager": ("人力资源经理", "HR Manager"),
    "hrbp": ("HRBP", "HRBP"),
    "recruiter": ("招聘专员", "Recruiter"),
    "finance_manager": ("财务经理", "Finance Manager"),
    "accountant": ("会计", "Accountant"),
    "cashier": ("出纳", "Cashier"),
    "admin_specialist": ("行政专员", "Administrative Specialist"),
    "cto": ("首席技术官", "CTO"),
    "product_manager": ("产品经理", "Product Manager"),
    "qa_engineer": ("测试工程师", "QA Engineer"),
    "backend_lead": ("后端组长", "Backend Team Lead"),
    "senior_backend": ("高级后端工程师", "Senior Backend Engineer"),
    "backend": ("后端工程师", "Backend Engineer"),
    "frontend_lead": ("前端组长", "Frontend Team Lead"),
    "frontend": ("前端工程师", "Frontend Engineer"),
    "ui_designer": ("UI设计师", "UI Designer"),
    "sales_director": ("销售总监", "Sales Director"),
    "marketing_manager": ("市场经理", "Marketing Manager"),
    "marketing_specialist": ("市场专员", "Marketing Specialist"),
    "sales_manager": ("销售经理", "Sales Manager"),
    "sales_rep": ("销售代表", "Sales Representative"),
    "qa_lead": ("测试组长", "QA Team Lead"),
    "data_lead": ("数据组长", "Data Team Lead"),
    "data_engineer": ("数据工程师", "Data Engineer"),
    "data_analyst": ("数据分析师", "Data Analyst"),
    "marketing_lead": ("市场组长", "Marketing Team Lead"),
    "hr_supervisor": ("人事主管", "HR Supervisor"),
    "hr_specialist": ("人事专员", "HR Specialist"),
    "finance_supervisor": ("财务主管", "Finance Supervisor"),
    "admin_supervisor": ("行政主管", "Administration Supervisor"),
}

LEVEL1: dict[str, tuple[str, str]] = {
    "ga": ("综合管理部", "General Administration"),
    "rnd": ("研发中心", "R&D Center"),
    "sm": ("市场销售部", "Sales & Marketing"),
}


@dataclass(frozen=True)
class Group:
    """People who share a department kind. `team` is None for the direct members of a level-1
    department (its leader comes first in `roster`); otherwise `(名称词干, English name)` of a team
    whose first member leads it with the `lead` position."""

    key: str
    parent: str  # the level-1 department (a key of LEVEL1)
    team: tuple[str, str] | None
    lead: str | None
    roster: tuple[str, ...]  # positions of the first people, in order
    members: tuple[tuple[str, int], ...]  # weighted positions of everyone after the roster
    minimum: int  # head count for the smallest company
    base: int  # head count at DEFAULT_EMPLOYEES
    growth: int  # share of the people beyond DEFAULT_EMPLOYEES (0 for direct members: a
    # level-1 department keeps its handful of direct people and grows by teams)


GROUPS: tuple[Group, ...] = (
    Group("ga", "ga", None, None,
          ("ceo", "hr_manager", "accountant", "hrbp", "finance_manager", "recruiter", "cashier",
           "admin_specialist"), (("admin_specialist", 1),), 3, 8, 0),
    Group("rnd", "rnd", None, None,
          ("cto", "product_manager", "qa_engineer", "product_manager", "qa_engineer"),
          (("product_manager", 1),), 1, 5, 0),
    Group("sm", "sm", None, None,
          ("sales_director", "marketing_manager", "marketing_specialist"),
          (("marketing_specialist", 1),), 1, 5, 0),
    Group("backend", "rnd", ("后端", "Backend Team"), "backend_lead", ("senior_backend",),
          (("backend", 3), ("senior_backend", 1)), 2, 16, 16),
    Group("frontend", "rnd", ("前端", "Frontend Team"), "frontend_lead", (),
          (("frontend", 4), ("ui_designer", 1)), 2, 12, 10),
    Group("east", "sm", ("华东销售", "East China Sales"), "sales_manager", ("sales_rep",),
          (("sales_rep", 1),), 2, 14, 8),
    Group("north", "sm", ("华北销售", "North China Sales"), "sales_manager", (),
          (("sales_rep", 1),), 0, 0, 8),
    Group("south", "sm", ("华南销售", "South China Sales"), "sales_manager", (),
          (("sales_rep", 1),), 0, 0, 6),
    Group("qa", "rnd", ("测试", "QA Team"), "qa_lead", (), (("qa_engineer", 1),), 0, 0, 5),
    Group("data", "rnd", ("数据", "Data Team"), "data_lead", (),
          (("data_engineer", 2), ("data_analyst", 1)), 0, 0, 4),
    Group("marketing", "sm", ("市场", "Marketing Team"), "marketing_lead", (),
          (("marketing_specialist", 1),), 0, 0, 3),
    Group("hr", "ga", ("人事", "HR Team"), "hr_supervisor", (),
          (("hr_specialist", 2), ("recruiter", 1)), 0, 0, 3),
    Group("finance", "ga", ("财务", "Finance Team"), "finance_supervisor", (),
          (("accountant", 2), ("cashier", 1)), 0, 0, 2),
    Group("admin", "ga", ("行政", "Administration Team"), "admin_supervisor", (),
          (("admin_specialist", 1),), 0, 0, 2),
)

# Who signs in, where they sit: (group key, index in its first department, role).
SIGN_INS: dict[str, tuple[str, int, str]] = {
    "admin": ("ga", 0, Role.OWNER),
    "hr": ("ga", 1, Role.HR),
    "finance": ("ga", 2, Role.FINANCE),
    "lead": ("sm", 0, Role.EMPLOYEE),
    "staff": ("east", 1, Role.EMPLOYEE),
}

# Real county-level codes (GB/T 2260) for the first six digits of identity numbers.
AREA_CODES = (
    "110105", "110108", "310104", "310115", "320106", "320583", "330106", "330203", "340104",
    "350203", "370102", "410105", "420106", "430104", "440106", "440305", "500103", "510107",
    "610113", "321002",
)


@dataclass
class SignIn:
    username: str
    role: str
    employee: Employee


@dataclass
class DemoCompany:
    company: Company
    sign_ins: list[SignIn]
    employee_count: int
    department_count: int


@dataclass
class _Unit:
    name: str
    name_en: str
    parent: _Unit | None = None
    positions: list[str] = field(default_factory=list)
    leader: _Person | None = None
    obj: Department | None = None
    position_objs: dict[str, Position] = field(default_factory=dict)


@dataclass
class _Person:
    unit: _Unit
    position: str
    tier: int  # 0 CEO, 1 level-1 leaders, 2 team leaders, 3 everyone else: creation order
    manager: _Person | None = None
    sign_in: str | None = None
    hire_date: date | None = None
    leave_date: date | None = None
    names: tuple[str, str] = ("", "")  # surname, given name
    obj: Employee | None = None


# ---------------------------------------------------------------------------------------------
# Dates and numbers


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def chinese_numeral(n: int) -> str:
    """1–99 as Chinese numerals (二, 十一, 二十三), for team names like 后端二组."""
    digits = "零一二三四五六七八九"
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def apportion(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder, ties to the first)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum == 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def group_sizes(employees: int) -> dict[str, int]:
    """Head count per group: the default shape at DEFAULT_EMPLOYEES, scaled down to each group's
    minimum below it, and the surplus spread by `growth` above it."""
    if employees <= DEFAULT_EMPLOYEES:
        extra = apportion(employees - sum(g.minimum for g in GROUPS),
                          [g.base - g.minimum for g in GROUPS])
        return {g.key: g.minimum + e for g, e in zip(GROUPS, extra, strict=True)}
    extra = apportion(employees - DEFAULT_EMPLOYEES, [g.growth for g in GROUPS])
    return {g.key: g.base + e for g, e in zip(GROUPS, extra, strict=True)}


# ---------------------------------------------------------------------------------------------
# The plan: departments and people as plain objects, before anything is written


def _plan(employees: int, rng: random.Random) -> tuple[list[_Unit], list[_Person]]:
    level1 = {key: _Unit(name, name_en) for key, (name, name_en) in LEVEL1.items()}
    units: list[_Unit] = list(level1.values())
    people: list[_Person] = []
    sizes = group_sizes(employees)
    for group in GROUPS:
        size = sizes[group.key]
        if size == 0:
            continue
        parent = level1[group.parent]
        team_count = math.ceil(size / MAX_TEAM_SIZE)
        base, rest = divmod(size, team_count)
        for index in range(team_count):
            if group.team is None:
                unit = parent
            else:
                stem, name_en = group.team
                number = index + 1
                unit = _Unit(
                    f"{stem}组" if number == 1 else f"{stem}{chinese_numeral(number)}组",
                    name_en if number == 1 else f"{name_en} {number}",
                    parent=parent,
                )
                units.append(unit)
            people.extend(_staff_unit(unit, group, base + (index < rest), first=index == 0, rng=rng))
    return units, people


def _staff_unit(unit: _Unit, group: Group, size: int, *, first: bool,
                rng: random.Random) -> list[_Person]:
    opening = ((group.lead,) if group.lead else ()) + group.roster
    member_keys = [key for key, _ in group.members]
    member_weights = [weight for _, weight in group.members]
    positions = list(opening[:size])
    positions += rng.choices(member_keys, member_weights, k=size - len(positions))
    for key in dict.fromkeys(positions):
        unit.positions.append(key)
    out: list[_Person] = []
    for index, position in enumerate(positions):
        if index == 0:
            tier = 0 if position == "ceo" else (2 if group.team else 1)
            person = _Person(unit, position, tier)
            unit.leader = person
        else:
            person = _Person(unit, position, 3, manager=unit.leader)
        out.append(person)
    if first:
        for username, (group_key, index, _role) in SIGN_INS.items():
            if group_key == group.key:
                out[index].sign_in = username
    return out


def _link_leaders(people: list[_Person]) -> None:
    """Level-1 leaders report to the CEO, team leaders to their parent department's leader."""
    ceo = next(p for p in people if p.tier == 0)
    for person in people:
        if person.tier == 1:
            person.manager = ceo
        elif person.tier == 2:
            person.manager = person.unit.parent.leader


def _schedule(people: list[_Person], rng: random.Random, today: date) -> None:
    """Hire and leave dates: leaders and sign-ins early and still here; a few joiners and
    leavers this month; everyone else spread over the company's four years."""
    founded = add_months(today, -12 * HISTORY_YEARS)
    month_start = today.replace(day=1)
    ordinary = [p for p in people if p.tier == 3 and p.sign_in is None]
    n = len(people)
    movers = rng.sample(ordinary, max(3, n // 30) + max(2, n // 60) + max(2, n // 30))
    joiners = movers[: max(3, n // 30)]
    leavers_now = movers[len(joiners): len(joiners) + max(2, n // 60)]
    leavers_before = movers[len(joiners) + len(leavers_now):]
    for person in people:
        if person.tier == 0:
            person.hire_date = founded
        elif person.tier == 1:
            person.hire_date = _between(rng, founded, add_months(founded, 6))
        elif person.tier == 2 or person.sign_in is not None:
            person.hire_date = _between(rng, add_months(founded, 1), add_months(today, -12))
        else:
            person.hire_date = _between(rng, founded, today)
    for person in joiners:
        person.hire_date = _between(rng, month_start, today)
    for person in leavers_now:
        person.hire_date = _between(rng, founded, month_start - timedelta(days=30))
        person.leave_date = _between(rng, month_start, today)
    for person in leavers_before:
        person.hire_date = _between(rng, founded, month_start - timedelta(days=120))
        person.leave_date = _between(rng, person.hire_date + timedelta(days=60),
                                     month_start - timedelta(days=1))


# ---------------------------------------------------------------------------------------------
# Personal details


class _Details:
    """Names, contacts and identity numbers from seeded Faker instances."""

    def __init__(self, seed: int, today: date, domain: str):
        self.zh = Faker("zh_CN")
        self.zh.seed_instance(seed)
        self.en = Faker("en_US")
        self.en.seed_instance(seed)
        self.rng = random.Random(seed + 1)
        self.today = today
        self.domain = domain
        self.id_numbers: set[str] = set()

    def employee(self, person: _Person, number: int, company: Company) -> Employee:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < 0.45 else Gender.MALE
        female = gender == Gender.FEMALE
        surname = self.zh.last_name()
        given = self.zh.first_name_female() if female else self.zh.first_name_male()
        english = ""
        if rng.random() < 0.15:
            english = self.en.first_name_female() if female else self.en.first_name_male()
        low, high = (32, 50) if person.tier < 3 else (22, 55)
        birth = self._birth_date(int(rng.triangular(low, high, low + 6)))
        probation_end = add_months(person.hire_date, PROBATION_MONTHS)
        if person.leave_date:
            status = EmployeeStatus.LEFT
        elif probation_end > self.today:
            status = EmployeeStatus.PROBATION
        else:
            status = EmployeeStatus.ACTIVE
        employee = Employee(
            company=company, employee_number=f"E{number:04d}", name=surname + given,
            english_name=english, gender=gender, email=f"e{number:04d}@{self.domain}",
            phone=self.zh.phone_number(), department=person.unit.obj,
            position=person.unit.position_objs[person.position],
            manager=person.manager.obj if person.manager else None,
            status=status, hire_date=person.hire_date, probation_end_date=probation_end,
            leave_date=person.leave_date, birth_date=birth,
            id_number=self._id_number(birth, female), home_address=self.zh.address(),
            emergency_contact_name=self.zh.name(), emergency_contact_phone=self.zh.phone_number(),
        )
        person.names = (surname, given)
        return employee

    def _birth_date(self, age: int) -> date:
        anniversary = add_months(self.today, -12 * age)
        return anniversary - timedelta(days=self.rng.randint(0, 364))

    def _id_number(self, birth: date, female: bool) -> str:
        # GB 11643-1999: area code, birth date, a sequence whose last digit is even for women
        # and odd for men, and the MOD 11-2 check character.
        while True:
            sequence = self.rng.randrange(0, 1000)
            if sequence % 2 != (0 if female else 1):
                sequence = (sequence + 1) % 1000
            first17 = f"{self.rng.choice(AREA_CODES)}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_number_check_character(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number


# ---------------------------------------------------------------------------------------------
# Writing


def existing_sign_ins() -> list[SignIn]:
    """The first demo company's sign-ins that still work with the demo password, for
    `make demo` to show again on later runs."""
    memberships = {
        m.user.username: m
        for m in Membership.objects.filter(user__username__in=list(SIGN_INS), is_active=True)
        .select_related("user", "company").order_by("company_id")
    }
    found = []
    for username, (_group, _index, role) in SIGN_INS.items():
        membership = memberships.get(username)
        if membership is None or not membership.user.check_password(DEMO_PASSWORD):
            continue
        with scope(company=membership.company_id):
            employee = (Employee.objects.filter(user=membership.user)
                        .select_related("position", "department").first())
        if employee is not None and employee.position is not None:
            found.append(SignIn(username, membership.role or role, employee))
    return found


def free_username_suffix() -> str:
    """'' when the five demo user names are free, else the first '-2', '-3'… that is."""
    users = get_user_model().objects
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        if not users.filter(username__in=[name + suffix for name in SIGN_INS]).exists():
            return suffix
    raise RuntimeError("no free suffix for the demo user names")


@transaction.atomic
def seed_demo_company(*, employees: int = DEFAULT_EMPLOYEES, seed: int = DEFAULT_SEED,
                      today: date | None = None, payroll_runs: bool = True) -> DemoCompany:
    """Create the demo company with `employees` people (at least MIN_EMPLOYEES), all or nothing.
    `payroll_runs=False` leaves out its payroll history (most of the time of a large demo)."""
    if employees < MIN_EMPLOYEES:
        raise ValueError(f"the demo company needs at least {MIN_EMPLOYEES} employees")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    units, people = _plan(employees, rng)
    _link_leaders(people)
    _schedule(people, rng, today)

    suffix = free_username_suffix()
    copy = suffix.lstrip("-")
    company = Company.objects.create(
        name=COMPANY_NAME + (f"（{copy}）" if copy else ""),
        name_en=COMPANY_NAME_EN + (f" ({copy})" if copy else ""),
    )
    domain = f"galaxy-tech-{copy}.example.com" if copy else EMAIL_DOMAIN
    with scope(company=company.pk):
        _write_departments(company, units)
        _write_positions(company, units)
        users = _write_employees(company, people, _Details(seed, today, domain), suffix)
        _write_job_history(company, people)
        Department.objects.bulk_update([u.obj for u in units], ["leader"], batch_size=BATCH_SIZE)
        Department.history.bulk_history_create([u.obj for u in units], batch_size=BATCH_SIZE)
    # The goals app builds on the org chart; its demo OKRs follow the people just written.
    from tandem.goals.demo import seed_demo_goals
    from tandem.kpis.demo import seed_demo_kpis
    from tandem.pay.demo import seed_demo_pay
    from tandem.reviews.demo import seed_demo_reviews

    seed_demo_goals(company, today)
    seed_demo_kpis(company, today, alerts=employees <= KPI_ALERTS_UP_TO)
    seed_demo_pay(company, today, payroll_runs=payroll_runs)
    seed_demo_reviews(company, today)
    sign_ins = [
        SignIn(user.username, SIGN_INS[name][2], person.obj)
        for name, (user, person) in users.items()
    ]
    return DemoCompany(company, sign_ins, len(people), len(units))


def _write_departments(company: Company, units: list[_Unit]) -> None:
    for depth_units in ([u for u in units if u.parent is None], [u for u in units if u.parent]):
        objs = [
            Department(company=company, name=u.name, name_en=u.name_en,
                       parent=u.parent.obj if u.parent else None)
            for u in depth_units
        ]
        Department.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        for unit, obj in zip(depth_units, objs, strict=True):
            unit.obj = obj


def _write_positions(company: Company, units: list[_Unit]) -> None:
    pending: list[tuple[_Unit, str, Position]] = []
    for unit in units:
        for key in unit.positions:
            title, title_en = POSITIONS[key]
            pending.append(
                (unit, key, Position(company=company, title=title, title_en=title_en,
                                     department=unit.obj))
            )
    Position.objects.bulk_create([p for _, _, p in pending], batch_size=BATCH_SIZE)
    Position.history.bulk_history_create([p for _, _, p in pending], batch_size=BATCH_SIZE)
    for unit, key, position in pending:
        unit.position_objs[key] = position


def _write_employees(company: Company, people: list[_Person], details: _Details,
                     suffix: str) -> dict[str, tuple[object, _Person]]:
    """Employees tier by tier (so that each manager has a key before their reports), numbered
    in hire order; the sign-in users and memberships first."""
    order = sorted(range(len(people)), key=lambda i: (people[i].hire_date, people[i].tier, i))
    for number, index in enumerate(order, start=1):
        people[index].obj = details.employee(people[index], number, company)
    users = _write_users(company, people, suffix)
    for tier in range(4):
        objs = [p.obj for p in people if p.tier == tier]
        for person in people:
            if person.tier == tier and person.manager is not None:
                person.obj.manager = person.manager.obj
        Employee.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        Employee.history.bulk_history_create(objs, batch_size=BATCH_SIZE)
    for person in people:
        if person is person.unit.leader:
            person.unit.obj.leader = person.obj
    return users


def _write_users(company: Company, people: list[_Person],
                 suffix: str) -> dict[str, tuple[object, _Person]]:
    User = get_user_model()  # noqa: N806
    # One hash for the five accounts: they share the published password, and hashing is slow
    # on purpose.
    password = make_password(DEMO_PASSWORD)
    chosen = {p.sign_in: p for p in people if p.sign_in}
    users = {}
    for name in SIGN_INS:
        person = chosen[name]
        surname, given = person.names
        users[name] = User(
            username=name + suffix, password=password, first_name=given, last_name=surname,
            email=person.obj.email, is_staff=name == "admin", is_superuser=name == "admin",
        )
    User.objects.bulk_create(users.values())
    Membership.objects.bulk_create(
        Membership(user=user, company=company, role=SIGN_INS[name][2])
        for name, user in users.items()
    )
    for name, user in users.items():
        chosen[name].obj.user = user
    return {name: (user, chosen[name]) for name, user in users.items()}


def _write_job_history(company: Company, people: list[_Person]) -> None:
    rows = []
    for person in people:
        employee = person.obj
        rows.append(JobHistory(
            company=company, employee=employee, effective_date=employee.hire_date,
            change=JobChange.HIRE, department=employee.department, position=employee.position,
            manager=employee.manager,
        ))
        if employee.leave_date:
            rows.append(JobHistory(
                company=company, employee=employee, effective_date=employee.leave_date,
                change=JobChange.EXIT, department=employee.department,
                position=employee.position, manager=employee.manager,
            ))
    JobHistory.objects.bulk_create(rows, batch_size=BATCH_SIZE)
