"""An employee checks in on a key result from My OKRs and sees the objective's progress move,
in place (htmx), on a desktop and on a 375 px phone."""

from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from tandem.core.testing import make_org
from tandem.goals.demo import quarter_of
from tandem.goals.models import Objective
from tandem.goals.testing import make_goals


def _setup():
    org = make_org()
    start, _end, _number = quarter_of(timezone.localdate())
    return org, make_goals(org, quarter_start=start)


def _check_in(page, goals, value: str):
    card = page.locator(f"#objective-{goals.staff.pk}")
    expect(card.locator(".td-okr-objective-progress")).to_contain_text("0 %")
    prefix = f"kr{goals.staff_kr.pk}"
    card.locator(f"input[name={prefix}-value]").fill(value)
    card.locator(f"input[name={prefix}-confidence]").fill("8")
    card.locator(f"input[name={prefix}-comment]").fill("good week")
    card.locator(".td-check-in-submit").click()
    return page.locator(f"#objective-{goals.staff.pk}")


def test_a_check_in_moves_the_objective_progress_in_place(page, sign_in):
    org, goals = _setup()
    sign_in(page, "staff")
    page.goto("/goals/")
    card = _check_in(page, goals, "75")
    expect(card.locator(".td-okr-objective-progress")).to_contain_text("75 %")
    expect(card.locator(".td-okr-objective-progress > .td-okr-green")).to_have_count(1)
    expect(card.locator("[role=status]")).to_be_visible()
    assert page.url.endswith("/goals/")  # no navigation: the card was swapped in place
    with scope(company=org.company.pk):
        assert str(Objective.objects.get(pk=goals.staff.pk).progress) == "0.7500"


def test_my_okrs_fits_a_phone_and_checks_in_one_handed(phone, sign_in):
    org, goals = _setup()
    sign_in(phone, "staff")
    phone.goto("/goals/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    card = _check_in(phone, goals, "30")
    expect(card.locator(".td-okr-objective-progress")).to_contain_text("30 %")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_tree_loads_a_department_s_people_when_opened_by_keyboard(page, sign_in):
    org, goals = _setup()
    sign_in(page, "peer")
    page.goto(f"/goals/tree/?cycle={goals.quarter.pk}")
    rnd = page.locator(f'li[data-objective="{goals.rnd.pk}"]')
    staff = page.locator(f'li[data-objective="{goals.staff.pk}"]')
    expect(rnd).to_be_visible()
    expect(staff).to_have_count(0)  # not loaded until the group is opened
    group = rnd.locator("li.td-tree-people > details > summary")
    expect(group).to_contain_text("1 个个人目标")  # Chinese: the default language
    group.focus()
    page.keyboard.press("Enter")
    expect(staff).to_be_visible()
    expect(rnd.locator("li.td-tree-people > details")).to_have_attribute("open", "")
    # Closing and opening again keeps what was loaded, without a second request.
    page.keyboard.press("Enter")
    expect(staff).to_be_hidden()
    page.keyboard.press("Enter")
    expect(staff).to_have_count(1)
    staff.locator("a").first.click()
    page.wait_for_url(f"**/goals/objectives/{goals.staff.pk}/")


def test_the_tree_fits_a_phone(phone, sign_in):
    org, goals = _setup()
    sign_in(phone, "peer")
    phone.goto(f"/goals/tree/?cycle={goals.quarter.pk}")
    rnd = phone.locator(f'li[data-objective="{goals.rnd.pk}"]')
    rnd.locator("li.td-tree-people > details > summary").click()
    expect(phone.locator(f'li[data-objective="{goals.staff.pk}"]')).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_hr_deletes_a_company_template_after_confirming(page, sign_in):
    from tandem.goals.testing_templates import make_templates

    org = make_org()
    templates = make_templates(org)
    sign_in(page, "hr")
    page.goto("/goals/templates/")
    card = page.locator(f'[data-template="{templates.saved.pk}"]')
    expect(page.locator(f'[data-template="{templates.builtin.pk}"] .td-template-delete')) \
        .to_have_count(0)
    card.locator(".td-template-delete").click()
    page.locator(".td-template-delete-confirm").click()
    page.wait_for_url("**/goals/templates/")
    expect(page.locator(f'[data-template="{templates.saved.pk}"]')).to_have_count(0)
    expect(page.locator(f'[data-template="{templates.builtin.pk}"]')).to_have_count(1)
