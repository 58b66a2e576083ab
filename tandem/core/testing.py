"""Factories for tests and benchmarks: small, explicit, and scoped the way production code is."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django_scopes import scope

from tandem.core.models import Company, Membership, Role

PASSWORD = "correct-horse-battery"  # noqa: S105 (test accounts only)
_numbers = itertools.count(1)


def make_company(name: str = "星河科技", name_en: str = "Galaxy Tech") -> Company:
    return Company.objects.create(name=name, name_en=name_en)


def make_user(username: str, *, company: Company | None = None, role: str = Role.EMPLOYEE):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if company is not None:
        Membership.objects.create(user=user, company=company, role=role)
    return user


def make_department(company: Company, name: str, *, parent=None, leader=None, name_en: str = ""):
    from tandem.org.models import Department

    with scope(company=company.pk):
        return Department.objects.create(
            company=company, name=name, name_en=name_en or name, parent=parent, leader=leader
        )


def make_employee(company: Company, department, *, name: str | None = None, user=None,
                  manager=None, position=None, hire_date: date = date(2024, 3, 1), **extra):
    from tandem.org.models import Employee

    n = next(_numbers)
    with scope(company=company.pk):
        return Employee.objects.create(
            company=company, department=department, employee_number=f"E{n:05d}",
            name=name or f"员工{n}", user=user, manager=manager, position=position,
            hire_date=hire_date, **extra,
        )


@dataclass
class Org:
    """One company with a person in every role:

    研发部 R&D (leader: lead) ── 平台组 Platform
    销售部 Sales
    owner, hr, finance: in 销售部 (no leadership); staff: in 平台组, reports to lead;
    peer: in 销售部, not under lead.
    """

    company: Company
    rnd: object
    platform: object
    sales: object
    users: dict[str, object] = field(default_factory=dict)
    employees: dict[str, object] = field(default_factory=dict)


def make_org(prefix: str = "", name: str = "星河科技", name_en: str = "Galaxy Tech") -> Org:
    company = make_company(name, name_en)
    rnd = make_department(company, "研发部", name_en="R&D")
    platform = make_department(company, "平台组", parent=rnd, name_en="Platform")
    sales = make_department(company, "销售部", name_en="Sales")
    org = Org(company=company, rnd=rnd, platform=platform, sales=sales)
    roles = {
        "owner": (Role.OWNER, sales), "hr": (Role.HR, sales), "finance": (Role.FINANCE, sales),
        "lead": (Role.EMPLOYEE, rnd), "staff": (Role.EMPLOYEE, platform),
        "peer": (Role.EMPLOYEE, sales),
    }
    for key, (role, department) in roles.items():
        user = make_user(f"{prefix}{key}", company=company, role=role)
        org.users[key] = user
        manager = org.employees.get("lead") if key == "staff" else None
        org.employees[key] = make_employee(
            company, department, name=f"{prefix}{key}", user=user, manager=manager
        )
    with scope(company=company.pk):
        rnd.leader = org.employees["lead"]
        rnd.save()
    return org
