"""The alignment tree's long lists come a page at a time (a node's individual objectives,
the objectives aligned to nothing), and the page narrows to one department and those below."""

from django.conf import settings
from django_scopes import scope

from tandem.goals import services, tree_page
from tandem.goals.models import Level, Objective
from tandem.goals.testing import make_goals


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _individuals(org, goals, n: int, parent) -> list[Objective]:
    with scope(company=org.company.pk):
        return [services.create_objective(
            company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["staff"], title=f"Extra {i}", parent=parent)
            for i in range(n)]


def test_a_node_s_individual_objectives_come_a_hundred_at_a_time(client_as, org, goals):
    extra = _individuals(org, goals, tree_page.INDIVIDUALS_PER_PAGE + 4, goals.rnd)
    client = _english(client_as(org.users["peer"]))
    url = f"/goals/tree/objectives/{goals.rnd.pk}/individuals/"
    first = client.get(url).content.decode()
    assert first.count('class="td-tree-node td-tree-individual"') == 100
    assert f'data-objective="{goals.staff.pk}"' in first
    assert f'data-objective="{extra[98].pk}"' in first
    assert f'data-objective="{extra[99].pk}"' not in first
    assert (f'hx-get="{url}?page=2" hx-target="closest li" hx-swap="outerHTML">'
            "Show more (5 left)</button>") in first
    second = client.get(f"{url}?page=2").content.decode()
    assert second.count('class="td-tree-node td-tree-individual"') == 5
    assert f'data-objective="{extra[-1].pk}"' in second
    assert "td-tree-more" not in second


def test_the_objectives_aligned_to_nothing_come_fifty_at_a_time(client_as, org, goals):
    _individuals(org, goals, tree_page.ORPHANS_PER_PAGE + 2, None)
    client = _english(client_as(org.users["peer"]))
    html = client.get(f"/goals/tree/?cycle={goals.quarter.pk}").content.decode()
    orphans = html[html.index("td-orphans"):]
    assert orphans.count('class="td-tree-node td-tree-individual"') == 50
    assert "Not aligned <span class=\"td-muted\">(53)</span>" in html
    more = f"/goals/tree/orphans/?cycle={goals.quarter.pk}&amp;page=2"
    assert f'hx-get="{more}"' in orphans and "Show more (3 left)" in orphans
    rest = client.get(more.replace("&amp;", "&")).content.decode()
    assert rest.count('class="td-tree-node td-tree-individual"') == 3
    assert "td-tree-more" not in rest


def test_a_department_shows_its_branch_and_people_only(client_as, org, goals):
    client = client_as(org.users["peer"])
    url = f"/goals/tree/?cycle={goals.quarter.pk}"
    # Platform: staff's objective is under R&D's, so the branch company ← R&D stays.
    html = client.get(f"{url}&department={org.platform.pk}").content.decode()
    assert f'data-objective="{goals.company.pk}"' in html
    assert f'data-objective="{goals.rnd.pk}"' in html
    group = f"/goals/tree/objectives/{goals.rnd.pk}/individuals/?department={org.platform.pk}"
    assert f'hx-get="{group}"' in html
    assert f'data-objective="{goals.peer.pk}"' not in html  # Sales' orphan
    assert f'<option value="{org.platform.pk}" selected>' in html
    # Sales: nothing aligned there, only the peer's orphan.
    html = client.get(f"{url}&department={org.sales.pk}").content.decode()
    assert f'data-objective="{goals.company.pk}"' not in html
    assert f'data-objective="{goals.peer.pk}"' in html
    fragment = f"/goals/tree/objectives/{goals.rnd.pk}/individuals/"
    assert f'data-objective="{goals.staff.pk}"' in client.get(
        f"{fragment}?department={org.rnd.pk}").content.decode()
    assert f'data-objective="{goals.staff.pk}"' not in client.get(
        f"{fragment}?department={org.sales.pk}").content.decode()


def test_another_company_s_objective_department_or_cycle_is_a_404(
        client_as, org, other_org, goals):
    theirs = make_goals(other_org)
    client = client_as(org.users["hr"])
    for url in (f"/goals/tree/?cycle={theirs.quarter.pk}",
                f"/goals/tree/?department={other_org.rnd.pk}",
                "/goals/tree/?department=x",
                f"/goals/tree/objectives/{theirs.rnd.pk}/individuals/",
                f"/goals/tree/objectives/{goals.rnd.pk}/individuals/?department={other_org.rnd.pk}",
                f"/goals/tree/orphans/?cycle={theirs.quarter.pk}"):
        assert client.get(url).status_code == 404, url
