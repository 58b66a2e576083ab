"""The run page's comparison with the previous run: who has a different net pay, by how
much, and why (joined, left, base changed, bonus, tax bracket), from the payslips' lines."""

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django_scopes import scope

from tandem.core.testing import make_employee
from tandem.pay import services_payroll
from tandem.pay.testing import give_everyone_profiles, give_profile


def _run(org, month):
    run = services_payroll.create_run(company=org.company, month=month, by=org.users["hr"])
    return services_payroll.calculate_run(run=run, by=org.users["hr"])


def test_the_changes_since_last_month_with_their_reasons(org, client_as):
    """January: everyone on 10,000 (net 8,152.50). February: staff on 12,000, peer with a
    30,000 bonus, owner left in January, a joiner from February 1st; the others unchanged."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        january = _run(org, date(2026, 1, 1))
        services_payroll.approve_run(run=january, by=org.users["finance"])
        give_profile(org, "staff", "12000.00", effective_from=date(2026, 2, 1))
        services_payroll.create_pay_item(
            company=org.company, employee=org.employees["peer"], month=date(2026, 2, 1),
            kind="regular_bonus", name="季度奖", amount=Decimal("30000.00"))
        owner = org.employees["owner"]
        owner.leave_date = date(2026, 1, 31)
        owner.save()
        org.employees["joiner"] = make_employee(org.company, org.sales, name="joiner",
                                                hire_date=date(2026, 2, 1))
        give_profile(org, "joiner", effective_from=date(2026, 2, 1))
        february = _run(org, date(2026, 2, 1))
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/pay/runs/{february.pk}/").content.decode()
    card = html.split("td-run-comparison", 1)[1].split("td-run-payslips", 1)[0]
    assert "Net pay that changed since 2026-01, and why: 4 people." in card
    rows = re.findall(r'<tr class="td-change">\s*<td>([^<]+)</td>\s*'
                      r'<td class="text-end">([^<]+)</td>\s*<td class="text-end">([^<]+)</td>'
                      r'\s*<td class="text-end td-change-difference">([^<]+)</td>\s*</tr>\s*'
                      r'<tr class="td-change-reasons">.*?<ul[^>]*>(.*?)</ul>', card, re.S)
    found = {name: (before, now, difference, re.findall(r"<li>([^<]+)</li>", reasons))
             for name, before, now, difference, reasons in rows}
    assert sorted(found) == ["joiner", "owner", "peer", "staff"]
    assert found["owner"] == ("8,152.50", "—", "-8,152.50",
                              ["No payslip this month (left, or a blocking problem)."])
    # The joiner's first month has no housing fund (住房公积金管理条例 Art. 17): 700 more,
    # and tax on 10,000 − 5,000 − 1,050 = 3,950 × 3 % = 118.50: 10,000 − 1,050 − 118.50.
    assert found["joiner"] == ("—", "8,831.50", "+8,831.50",
                               ["No payslip last time (joined, or a blocking problem then)."])
    # February with a 30,000 bonus: cumulative 50,000 − 10,000 − 3,500 = 36,500 → 10 % −
    # 2,520 = 1,130, minus January's 97.50 = 1,032.50 (test_payroll_run).
    assert found["peer"] == ("8,152.50", "37,217.50", "+29,065.00", [
        "Tax bracket changed: 3 % → 10 %", "Bonus: 0.00 → 30,000.00",
        "Individual income tax: -97.50 → -1,032.50"])
    # 12,000: contributions 2,100 (17.5 %); cumulative 22,000 − 10,000 − 3,850 = 8,150 × 3 %
    # = 244.50, minus 97.50 = 147.00; net 12,000 − 2,100 − 147 = 9,753.00.
    assert found["staff"] == ("8,152.50", "9,753.00", "+1,600.50", [
        "Base wage changed: 10,000.00 → 12,000.00", "Medical insurance: -200.00 → -240.00",
        "Pension: -800.00 → -960.00", "Unemployment insurance: -50.00 → -60.00",
        "Housing fund: -700.00 → -840.00", "Individual income tax: -97.50 → -147.00"])


def test_without_an_earlier_run_there_is_nothing_to_compare(org, client_as):
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        run = _run(org, date(2026, 1, 1))
    client = client_as(org.users["finance"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/pay/runs/{run.pk}/").content.decode()
    assert "No earlier run to compare with." in html and "td-change" not in html


def test_the_reasons_speak_chinese_by_default(org, client_as):
    """Line labels come from the calculation's catalogue (already translated)."""
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        january = _run(org, date(2026, 1, 1))
        services_payroll.approve_run(run=january, by=org.users["finance"])
        services_payroll.create_pay_item(
            company=org.company, employee=org.employees["peer"], month=date(2026, 2, 1),
            kind="regular_bonus", name="季度奖", amount=Decimal("30000.00"))
        february = _run(org, date(2026, 2, 1))
    html = client_as(org.users["hr"]).get(f"/pay/runs/{february.pk}/").content.decode()
    card = html.split("td-run-comparison", 1)[1].split("td-run-payslips", 1)[0]
    assert card.count('<tr class="td-change">') == 1
    assert "个人所得税" in card


def test_the_changes_come_a_page_at_a_time(org, client_as, monkeypatch):
    """A run of thousands lists its changes 50 a page (2 here), and reads only that page's
    payslip lines."""
    monkeypatch.setattr("tandem.pay.selectors_runs.COMPARISON_PAGE_SIZE", 2)
    with scope(company=org.company.pk):
        give_everyone_profiles(org)
        january = _run(org, date(2026, 1, 1))
        services_payroll.approve_run(run=january, by=org.users["finance"])
        for key in ("hr", "peer", "staff"):
            services_payroll.create_pay_item(
                company=org.company, employee=org.employees[key], month=date(2026, 2, 1),
                kind="regular_bonus", name="奖金", amount=Decimal("100.00"))
        february = _run(org, date(2026, 2, 1))
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def names(page):
        html = client.get(f"/pay/runs/{february.pk}/?changes={page}").content.decode()
        card = html.split("td-run-comparison", 1)[1].split("td-run-payslips", 1)[0]
        return re.findall(r'<tr class="td-change">\s*<td>([^<]+)</td>', card), card

    first, card = names(1)
    assert "why: 3 people." in card and "Page 1 of 2" in card and "td-changes-next" in card
    second, card = names(2)
    assert "td-changes-previous" in card and "td-changes-next" not in card
    assert first + second == sorted(org.employees[k].name for k in ("hr", "peer", "staff"))
