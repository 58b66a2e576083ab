"""The page shell: left navigation by role, top bar with company, language switch and user
menu, static assets from installed packages."""

import re

import pytest
from django.conf import settings


def nav_labels(html: str) -> list[str]:
    nav = html.split('<nav class="td-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="nav-link[^"]*" href="([^"]+)"', nav)


# Approvals and the team page are for those who approve: department leaders, HR, admins.
# KPIs: everyone has My KPIs and the library; leaders, HR and admins the team page and the
# assignments; HR and admins the import (see with_kpi_import). The OKR–KPI synergy report
# (Reports) is for leaders, HR and admins.
APPROVERS = ["/", "/goals/", "/goals/team/", "/goals/tree/", "/goals/approvals/",
             "/goals/templates/", "/kpis/", "/kpis/team/", "/kpis/library/",
             "/kpis/assignments/", "/kpis/tracking/risks/", "/kpis/tracking/calibration/",
             "/pay/payslips/", "/pay/salary-profiles/", "/pay/deductions/",
             "/pay/calculators/", "/people/employees/",
             "/people/departments/", "/people/positions/", "/insights/synergy/"]
EVERYONE_ELSE = ["/", "/goals/", "/goals/tree/", "/goals/templates/", "/kpis/",
                 "/kpis/library/", "/kpis/tracking/risks/", "/kpis/tracking/calibration/",
                 "/pay/payslips/", "/pay/salary-profiles/", "/pay/deductions/",
                 "/pay/calculators/", "/people/employees/",
                 "/people/departments/", "/people/positions/"]


def with_kpi_import(menu: list[str]) -> list[str]:
    """HR and administrators import KPI figures and set the pace and alert thresholds."""
    at = menu.index("/kpis/assignments/") + 1
    end = menu.index("/kpis/tracking/calibration/") + 1
    return [*menu[:at], "/kpis/import/", *menu[at:end], "/kpis/tracking/", *menu[end:]]


def with_payroll_runs(menu: list[str]) -> list[str]:
    """HR and finance also run payroll (pay.rules_payroll), read the salary reports and keep
    the monthly inputs of payroll (everyone reads their own salary profile and declarations)."""
    at = menu.index("/pay/salary-profiles/")
    end = menu.index("/pay/calculators/")
    return [*menu[:at], "/pay/runs/", "/pay/reports/", *menu[at:end], "/pay/attendance/",
            "/pay/pay-items/", "/pay/openings/", *menu[end:]]


# HR and administrators also configure the notification channels (Settings, last).
PEOPLE_ADMINS_MENU = [*with_kpi_import(APPROVERS), "/settings/channels/"]


def with_reviews(menu: list[str], *, team: bool = False, bonus: bool = False,
                 admin: bool = False) -> list[str]:
    """Reviews, after KPIs: everyone has their reviews and improvement plans; leaders, HR,
    administrators and finance the team reviews; HR and administrators run the cycles, keep
    the rules and settings; they and finance read the bonus policies."""
    at = menu.index("/pay/payslips/")
    block = ["/reviews/", *(["/reviews/team/"] if team else []), "/reviews/plans/",
             *(["/reviews/cycles/"] if admin else []), *(["/reviews/bonus/"] if bonus else []),
             *(["/reviews/plans/rules/", "/reviews/settings/"] if admin else [])]
    return [*menu[:at], *block, *menu[at:]]


EXPECTED_MENU = {
    "owner": with_reviews(PEOPLE_ADMINS_MENU, team=True, bonus=True, admin=True),
    "hr": with_payroll_runs(with_reviews(PEOPLE_ADMINS_MENU, team=True, bonus=True,
                                         admin=True)),
    "lead": with_reviews(APPROVERS, team=True),
    "finance": with_payroll_runs(with_reviews(EVERYONE_ELSE, team=True, bonus=True)),
    "staff": with_reviews(EVERYONE_ELSE), "peer": with_reviews(EVERYONE_ELSE)}


@pytest.mark.parametrize("role", sorted(EXPECTED_MENU))
def test_every_member_sees_the_modules_their_role_may_use(org, client_as, role):
    html = client_as(org.users[role]).get("/").content.decode()

    assert nav_labels(html) == EXPECTED_MENU[role]


def test_the_current_page_is_marked_in_the_navigation(org, client_as):
    html = client_as(org.users["staff"]).get("/people/employees/").content.decode()

    active = re.findall(r'class="nav-link active" href="([^"]+)" aria-current="page"', html)
    assert active == ["/people/employees/"]


def test_top_bar_shows_company_user_language_switch_and_sign_out(org, client_as):
    client = client_as(org.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/people/positions/?x=1").content.decode()

    assert '<div class="td-company">Galaxy Tech</div>' in html
    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/people/positions/?x=1">' in html
    assert 'name="language" value="zh-hans"' in html
    assert 'name="language" value="en"' in html
    assert '<form method="post" action="/logout/">' in html
    assert f'href="/people/employees/{org.employees["hr"].pk}/"' in html  # "My profile"


def test_company_name_follows_the_language(org, client_as):
    html = client_as(org.users["hr"]).get("/").content.decode()

    assert '<div class="td-company">星河科技</div>' in html


def test_assets_come_from_installed_packages_never_a_cdn(org, client_as):
    html = client_as(org.users["staff"]).get("/").content.decode()

    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">' in html
    assert '<script src="/static/bootstrap/js/bootstrap.bundle.min.js" defer></script>' in html
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert '<script src="/static/web/tandem.js" defer></script>' in html
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_static_files_are_served(org, client):
    for path in ("/static/bootstrap/css/bootstrap.min.css",
                 "/static/bootstrap/js/bootstrap.bundle.min.js",
                 "/static/django_htmx/htmx-2.min.js", "/static/web/tandem.css",
                 "/static/web/tandem.js", "/static/web/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)


def test_phones_get_a_collapsible_navigation(org, client_as):
    html = client_as(org.users["staff"]).get("/").content.decode()

    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert 'class="td-sidebar offcanvas-lg offcanvas-start"' in html
    assert 'data-bs-toggle="offcanvas"' in html
    assert 'data-bs-target="#td-sidebar"' in html
