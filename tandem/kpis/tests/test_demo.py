"""The demo company's KPIs: the library, position sets, the brief's worked example linked to
its KPI, a department KPI with its own figures beside its key results, and items at risk."""

from collections import defaultdict
from datetime import date
from decimal import Decimal as D

import pytest
from django_scopes import scope

from tandem.core.notifications.models import Notification
from tandem.kpis.models import ActualSource, Assignment, Indicator, KeyResultLink, RiskState
from tandem.org.demo import seed_demo_company

TODAY = date(2026, 11, 26)


@pytest.fixture
def scoped(db):
    company = seed_demo_company(today=TODAY, payroll_runs=False).company
    with scope(company=company.pk):
        yield


def test_the_demo_kpis(scoped):
    """One seeding for the four parts (seeding takes most of the time)."""
    _library_and_everyone_s_weights()
    _worked_example_feeds_the_salesperson_s_sales_kpi()
    _department_keeps_its_figures_beside_its_key_results()
    _some_items_are_at_risk_and_their_people_were_told()


def _library_and_everyone_s_weights():
    assert Indicator.objects.count() == 11
    weights = defaultdict(D)
    # The current quarter's (the reviews demo adds the finished previous quarter's).
    current = Assignment.objects.filter(employee__isnull=False, cycle__status="active")
    for employee_id, weight in current.values_list("employee_id", "weight"):
        weights[employee_id] += weight
    assert weights and set(weights.values()) == {D(1)}


def _worked_example_feeds_the_salesperson_s_sales_kpi():
    sales = Assignment.objects.get(employee__user__username="staff", indicator__code="SALES",
                                   cycle__status="active")
    assert (sales.target, sales.actual_source) == (D(1_000_000), ActualSource.KEY_RESULTS)
    link = KeyResultLink.objects.get(assignment=sales)
    assert "250,000 sales each month" in link.key_result.title
    # October's 240,000 and November's 262,000 so far.
    assert (sales.actual, sales.attainment) == (D("502000"), D("0.5020"))


def _department_keeps_its_figures_beside_its_key_results():
    department = Assignment.objects.get(department__name_en="Sales & Marketing",
                                        indicator__code="SALES", cycle__status="active")
    assert department.actual_source == ActualSource.OWN
    assert department.key_result_links.count() == 2
    assert department.actual is not None and department.linked_actual is not None
    assert department.actual != department.linked_actual


def _some_items_are_at_risk_and_their_people_were_told():
    at_risk = RiskState.objects.filter(at_risk=True)
    assert at_risk.exists()
    assert Notification.objects.filter(kind__startswith="kpis.").exists()
