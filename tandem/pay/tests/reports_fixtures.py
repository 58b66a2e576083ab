"""Runs for the report and export tests: six people in three departments, paid December 2025
and January 2026 (approved), and a draft for February.

- staff: base 20,000, an allowance (taxable), a tax-free meal allowance, a deduction after
  tax and one before tax in January; in 平台组 (Platform, under 研发部 R&D) in January,
  transferred to 销售部 (Sales) from 2026-02-01 — January's cost stays with Platform;
- lead (研发部 R&D): an annual one-time bonus of 36,000 taxed separately in January;
- peer (销售部 Sales): no bank account;
- owner, hr, finance (销售部 Sales): 10,000 each.
"""

from datetime import date
from decimal import Decimal

from django_scopes import scope

from tandem.org import services as org_services
from tandem.org.models import JobChange, JobHistory
from tandem.pay import services_payroll
from tandem.pay.models import PayrollRun
from tandem.pay.testing import give_profile

DECEMBER, JANUARY, FEBRUARY = date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)


def hire_history(org) -> None:
    """The hire entries `org.services.create_employee` would have written (make_org writes
    employees directly)."""
    for employee in org.employees.values():
        JobHistory.objects.create(company=org.company, employee=employee,
                                  effective_date=employee.hire_date, change=JobChange.HIRE,
                                  department=employee.department)


def approved(org, month: date) -> PayrollRun:
    run = services_payroll.create_run(company=org.company, month=month, by=org.users["hr"])
    run = services_payroll.calculate_run(run=run, by=org.users["hr"])
    return services_payroll.approve_run(run=run, by=org.users["finance"])


def item(org, key: str, kind: str, name: str, amount: str, month: date = JANUARY, **extra):
    return services_payroll.create_pay_item(
        company=org.company, employee=org.employees[key], month=month, kind=kind, name=name,
        amount=Decimal(amount), by=org.users["hr"], **extra)


def make_runs(org, extra_people: int = 0):
    """December and January approved, February a draft; returns (december, january,
    february). `extra_people` more people in Sales on 10,000 (for the query counts)."""
    from tandem.core.testing import make_employee

    with scope(company=org.company.pk):
        for n in range(extra_people):
            org.employees[f"e{n}"] = make_employee(org.company, org.sales, name=f"e{n}")
        hire_history(org)
        for key in org.employees:
            if key == "staff":
                give_profile(org, key, "20000.00")
            elif key == "peer":
                give_profile(org, key, bank_account="", bank_name="")
            else:
                give_profile(org, key)
        december = approved(org, DECEMBER)
        item(org, "staff", "allowance", "交通补贴", "800.00")
        item(org, "staff", "allowance", "餐补", "300.00", taxable=False)
        item(org, "staff", "deduction", "借款扣回", "200.00")
        item(org, "staff", "deduction", "企业年金", "100.00", taxable=False)
        item(org, "lead", "annual_bonus", "年终奖", "36000.00", annual_bonus_method="separate")
        january = approved(org, JANUARY)
        org_services.update_employee(employee=org.employees["staff"], department=org.sales,
                                     effective_date=FEBRUARY, by=org.users["hr"])
        february = services_payroll.create_run(company=org.company, month=FEBRUARY,
                                               by=org.users["hr"])
    return december, january, february
