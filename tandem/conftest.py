import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tandem.core.testing import make_org


@pytest.fixture
def org(db):
    """A company with one person per role (see `core.testing.Org`)."""
    return make_org()


@pytest.fixture
def other_org(db):
    """A second company, side by side with `org`, for isolation tests."""
    return make_org(prefix="other-", name="云帆网络", name_en="Sail Networks")


@pytest.fixture
def client_as(client):
    """`client_as(user)`: the Django test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_as(db):
    """`api_as(user)`: a DRF client that authenticates with the user's API token."""

    def make(user):
        api = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return make


# The fixtures of the OKR and KPI fixture data (goals.testing, kpis.testing), shared by the
# apps' tests that build on them.
@pytest.fixture
def goals(org):
    from tandem.goals.testing import make_goals

    return make_goals(org)


@pytest.fixture
def kpis(org, goals):
    from tandem.kpis.testing import make_kpis

    return make_kpis(org, goals)


@pytest.fixture
def scoped(org):
    from django_scopes import scope

    with scope(company=org.company.pk):
        yield


@pytest.fixture
def actor_of_role(org):
    """`actor_of_role("staff")`: the Actor of that fixture person, as a request would have."""
    from tandem.core.actor import resolve_actor

    def make(role):
        return resolve_actor(org.users[role])

    return make
