from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import Level
from tandem.goals.testing import make_goals


def test_the_tree_page_nests_and_escapes_what_people_typed(org, client_as):
    goals = make_goals(org)
    with scope(company=org.company.pk):
        services.create_objective(company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
                                  owner_employee=org.employees["staff"], parent=goals.rnd,
                                  title="<script>alert(1)</script>")
    html = client_as(org.users["staff"]).get(f"/goals/tree/?cycle={goals.quarter.pk}").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    company = html.index(f'data-objective="{goals.company.pk}"')
    rnd = html.index(f'data-objective="{goals.rnd.pk}"')
    staff = html.index(f'data-objective="{goals.staff.pk}"')
    assert company < rnd < staff
    # The department objective opens onto its children; a leaf has no <details>.
    assert f'<li class="td-tree-node td-tree-department" data-objective="{goals.rnd.pk}">\n  <details open><summary>' in html
    assert f'<a href="/goals/objectives/{goals.staff.pk}/">Build the billing service</a>' in html
