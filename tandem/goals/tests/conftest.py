import pytest
from django_scopes import scope

from tandem.goals.testing import make_goals


@pytest.fixture
def goals(org):
    return make_goals(org)


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk):
        yield


@pytest.fixture
def actor_of_role(org):
    """`actor_of_role("staff")`: the Actor of that fixture person, as a request would have."""
    from tandem.core.actor import resolve_actor

    def make(role):
        return resolve_actor(org.users[role])

    return make
