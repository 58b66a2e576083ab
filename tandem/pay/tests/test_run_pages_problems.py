"""The run page's problems: grouped by code, blocking groups first, each with what to do,
the people by name and the params in words (money formatted, scheme labels)."""

import re
from datetime import date

from django.conf import settings
from django_scopes import scope

from tandem.pay import services_payroll
from tandem.pay.testing import give_profile


def test_problems_are_grouped_blocking_first_with_words_and_what_to_do(org, client_as):
    """owner: no profile (blocking); hr: no bank account; finance: 2,000 a month, below
    Shanghai's 2,740 minimum wage and every base floor (test_payroll_inputs)."""
    with scope(company=org.company.pk):
        give_profile(org, "hr", bank_account="")
        give_profile(org, "finance", "2000.00")
        for key in ("lead", "staff", "peer"):
            give_profile(org, key)
        run = services_payroll.calculate_run(run=services_payroll.create_run(
            company=org.company, month=date(2026, 1, 1)), by=org.users["hr"])
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/pay/runs/{run.pk}/").content.decode()
    assert re.findall(r'td-problem-group" data-code="([a-z_]+)"', html) == [
        "no_salary_profile", "base_below_floor", "missing_bank_account",
        "pay_below_minimum_wage"]
    groups = html.split('td-problem-group" data-code=')[1:]
    assert "⛔ Blocking" in groups[0] and "No salary profile" in groups[0]
    assert ("What to do: Add a salary profile in force in this month, then calculate again."
            in groups[0])
    assert "<li><strong>owner</strong></li>" in groups[0]
    assert "⚠ Warning" in groups[1] and "(5)" in groups[1]
    assert ("<li><strong>finance</strong>: The declared base 2,000.00 is below the Pension "
            "floor; 7,460.00 was used.</li>") in groups[1]
    assert "What to do: Add a bank account to the salary profile." in groups[2]
    assert "<li><strong>hr</strong></li>" in groups[2]
    # 2,000 less the employee's own contributions (971.30 on the floor bases).
    assert ("<li><strong>finance</strong>: Pay counted for the minimum wage (1,028.70, "
            "without overtime, special allowances and the employee&#x27;s own social "
            "insurance and housing fund) is below the minimum wage for the time worked "
            "(2,740.00).</li>") in groups[3]


def test_a_run_without_problems_says_so(org, client_as):
    with scope(company=org.company.pk):
        for key in org.employees:
            give_profile(org, key)
        run = services_payroll.calculate_run(run=services_payroll.create_run(
            company=org.company, month=date(2026, 1, 1)), by=org.users["hr"])
    client = client_as(org.users["finance"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/pay/runs/{run.pk}/").content.decode()
    assert "td-problem-group" not in html and "No problems." in html
