"""The run pages read in a constant number of queries whatever the headcount: the list, and
one run's page with its inputs check, problems, totals and a page of payslips."""

from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay import services, services_payroll
from tandem.pay.testing import give_profile

# The request's session, user, membership and navigation, then the page's own reads (the
# detail: the run, four of the inputs check, two of the problems, three of the comparison, two
# of the payslips' page);
# measured with 5 and 25 employees alike, so a query per employee fails.
LIST_QUERIES = 10
DETAIL_QUERIES = 16


@pytest.fixture(params=[5, 25])
def run(request, org):
    """`headcount` employees with profiles (one of them without a bank account, so a
    warning), the owner without a profile (a blocking problem), and each with an
    attendance summary and a bonus item in January 2026; December 2025 calculated too, so
    every January payslip differs from the one before."""
    headcount = request.param
    with scope(company=org.company.pk):
        for n in range(headcount - 5):
            org.employees[f"e{n}"] = make_employee(org.company, org.sales, name=f"e{n}")
        for key in org.employees:
            if key == "owner":
                continue
            give_profile(org, key, **({"bank_account": ""} if key == "peer" else {}))
            services.create_attendance_summary(
                company=org.company, employee=org.employees[key], month=date(2026, 1, 1),
                paid_days=Decimal("21.75"), overtime_workday_hours=Decimal("2"),
                by=org.users["hr"])
            services_payroll.create_pay_item(
                company=org.company, employee=org.employees[key], month=date(2026, 1, 1),
                kind="regular_bonus", name="奖金", amount=Decimal("100.00"))
        # December's run, for the comparison.
        services_payroll.calculate_run(run=services_payroll.create_run(
            company=org.company, month=date(2025, 12, 1)))
        created = services_payroll.create_run(company=org.company, month=date(2026, 1, 1))
        calculated = services_payroll.calculate_run(run=created)
    assert calculated.employee_count == headcount
    return calculated


def test_the_run_page_takes_the_same_queries_for_5_or_25(
        run, org, client_as, django_assert_max_num_queries):
    client = client_as(org.users["hr"])
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(f"/pay/runs/{run.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'td-inputs-employed">{run.employee_count + 1}</dd>' in html
    assert html.count('<tr class="td-change">') == run.employee_count


def test_the_list_takes_the_same_queries_for_5_or_25(
        run, org, client_as, django_assert_max_num_queries):
    client = client_as(org.users["finance"])
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/pay/runs/")
    assert response.status_code == 200
