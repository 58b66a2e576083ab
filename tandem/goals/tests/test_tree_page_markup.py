"""The alignment tree page: company and department levels with the page, each node's
individual objectives in a closed group that htmx loads when opened, what people typed
escaped."""

from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import Level, Objective
from tandem.goals.testing import make_goals


def test_the_page_nests_company_and_department_and_lists_orphans_apart(client_as, org, goals):
    response = client_as(org.users["peer"]).get(f"/goals/tree/?cycle={goals.quarter.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    company = html.index(
        f'<li class="td-tree-node td-tree-company" data-objective="{goals.company.pk}">')
    rnd = html.index(
        f'<li class="td-tree-node td-tree-department" data-objective="{goals.rnd.pk}">')
    orphans = html.index('<ul class="td-tree td-orphans">')
    peer = html.index(f'data-objective="{goals.peer.pk}"')
    assert company < rnd < orphans < peer
    # Individual objectives aligned to a node wait in a closed group until it is opened.
    assert f'data-objective="{goals.staff.pk}"' not in html
    assert html.count("<details open>") == 2
    group = html.index(f'hx-get="/goals/tree/objectives/{goals.rnd.pk}/individuals/"')
    assert rnd < group < orphans
    assert html.count('hx-trigger="toggle once from:closest details"') == 1


def test_the_group_counts_the_individual_objectives(client_as, org, goals):
    with scope(company=org.company.pk):
        services.create_objective(company=org.company, cycle=goals.quarter,
                                  level=Level.INDIVIDUAL, owner_employee=org.employees["lead"],
                                  parent=goals.rnd, title="Hire two engineers")
    client = client_as(org.users["peer"])
    client.cookies["tandem_language"] = "en"
    html = client.get(f"/goals/tree/?cycle={goals.quarter.pk}").content.decode()
    assert "<details><summary>2 individual objectives</summary>" in html


def test_the_fragment_nests_and_escapes_what_people_typed(org, client_as):
    goals = make_goals(org)
    with scope(company=org.company.pk):
        services.create_objective(company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
                                  owner_employee=org.employees["staff"], parent=goals.rnd,
                                  title="<script>alert(1)</script>")
    client = client_as(org.users["staff"])
    html = client.get(f"/goals/tree/objectives/{goals.rnd.pk}/individuals/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index(f'data-objective="{goals.staff.pk}"') < html.index("&lt;script&gt;")
    assert f'<a href="/goals/objectives/{goals.staff.pk}/">Build the billing service</a>' in html
    # A leaf has no <details>; the page's first fragment has no "show more".
    assert "<details" not in html
    assert "td-tree-more" not in html


def test_an_individual_objective_with_objectives_below_gets_its_own_group(org, client_as, goals):
    # The services refuse an individual parent; older or imported data may still have one.
    with scope(company=org.company.pk):
        below = services.create_objective(
            company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["staff"], parent=goals.rnd,
            title="Write the invoices module")
        Objective.objects.filter(pk=below.pk).update(parent=goals.staff)
    html = client_as(org.users["staff"]).get(
        f"/goals/tree/objectives/{goals.rnd.pk}/individuals/").content.decode()
    assert f'hx-get="/goals/tree/objectives/{goals.staff.pk}/individuals/"' in html
    assert "Write the invoices module" not in html
    below = client_as(org.users["staff"]).get(
        f"/goals/tree/objectives/{goals.staff.pk}/individuals/").content.decode()
    assert "Write the invoices module" in below


def test_objectives_aligned_to_another_cycle_s_wait_in_a_group_at_the_top(
        client_as, org, goals):
    with scope(company=org.company.pk):
        year = services.create_objective(company=org.company, cycle=goals.year,
                                         level=Level.COMPANY, title="Win the year")
        mine = services.create_objective(
            company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["peer"], parent=year, title="Close ten deals")
    client = client_as(org.users["peer"])
    client.cookies["tandem_language"] = "en"
    html = client.get(f"/goals/tree/?cycle={goals.quarter.pk}").content.decode()
    fragment = f"/goals/tree/objectives/{year.pk}/individuals/?cycle={goals.quarter.pk}"
    assert (f'<details><summary>1 individual objective aligned to “Win the year” (2026)'
            f'</summary>\n  <ul class="td-tree-children" hx-get="{fragment}"') in html
    assert f'data-objective="{mine.pk}"' not in html
    assert f'data-objective="{mine.pk}"' in client.get(fragment).content.decode()
    # The year objective's own cycle has no individual objectives under it.
    own = client.get(f"/goals/tree/objectives/{year.pk}/individuals/").content.decode()
    assert "data-objective" not in own
