"""The alignment tree page and its fragments cost the same number of queries whatever the
size of the company."""

from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import Level


def _grow(org, goals, n: int) -> None:
    """n more individual objectives under R&D's, n more orphans, and a department objective
    of Platform under R&D's with its own individual objective."""
    with scope(company=org.company.pk):
        for i in range(n):
            for parent in (goals.rnd, None):
                services.create_objective(
                    company=org.company, cycle=goals.quarter, level=Level.INDIVIDUAL,
                    owner_employee=org.employees["staff"], title=f"Extra {i}", parent=parent)
        platform = services.create_objective(
            company=org.company, cycle=goals.quarter, level=Level.DEPARTMENT,
            owner_department=org.platform, title="Platform uptime", parent=goals.rnd)
        services.create_objective(company=org.company, cycle=goals.quarter,
                                  level=Level.INDIVIDUAL, owner_employee=org.employees["staff"],
                                  title="On call", parent=platform)


def test_the_page_costs_the_same_queries_whatever_its_size(
        client_as, org, goals, django_assert_max_num_queries):
    client = client_as(org.users["peer"])
    url = f"/goals/tree/?cycle={goals.quarter.pk}"
    filtered = f"{url}&department={org.rnd.pk}"
    client.get(url)
    with django_assert_max_num_queries(16):
        client.get(url)
    # (One fewer when no objective is aligned to nothing: nothing to page through.)
    with django_assert_max_num_queries(16):
        client.get(filtered)
    _grow(org, goals, 8)
    with django_assert_max_num_queries(16):
        html = client.get(url).content.decode()
    # company, R&D's, Platform's; the groups of R&D's and Platform's; the peer's and eight
    # more orphans.
    assert html.count('class="td-tree-node td-tree-') == 3 + 2 + 9
    with django_assert_max_num_queries(16):
        html = client.get(filtered).content.decode()
    # The same but the peer's orphan (Sales).
    assert html.count('class="td-tree-node td-tree-') == 3 + 2 + 8


def test_a_node_fragment_costs_the_same_queries_whatever_its_size(
        client_as, org, goals, django_assert_num_queries):
    client = client_as(org.users["peer"])
    url = f"/goals/tree/objectives/{goals.rnd.pk}/individuals/"
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)
    _grow(org, goals, 8)
    with django_assert_num_queries(7):
        html = client.get(url).content.decode()
    assert html.count('class="td-tree-node td-tree-individual"') == 9
    with django_assert_num_queries(8):  # and the departments, for the filter
        html = client.get(f"{url}?department={org.rnd.pk}").content.decode()
    assert html.count('class="td-tree-node td-tree-individual"') == 9


def test_the_orphans_fragment_costs_the_same_queries_whatever_its_size(
        client_as, org, goals, django_assert_num_queries):
    client = client_as(org.users["peer"])
    url = f"/goals/tree/orphans/?cycle={goals.quarter.pk}"
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    _grow(org, goals, 8)
    with django_assert_num_queries(6):
        html = client.get(url).content.decode()
    assert html.count('class="td-tree-node td-tree-individual"') == 9
