"""Bad input to the token endpoint (sign-in for API clients): a 400, never a 500, and no token
handed out. PostgreSQL refuses NUL characters in a query, so they must be stopped before it."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Throttle and lock-out count in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("body", [
    {"username": "staff\x00", "password": "x"},
    {"username": "staff", "password": "\x00"},
    {"username": ["staff"], "password": "x"},
    {"username": "staff", "password": {"a": 1}},
    {"username": "s" * 10_000, "password": "x"},
    {"username": 12, "password": 34},
], ids=["NUL user", "NUL password", "list", "object", "very long", "numbers"])
def test_odd_credentials_are_a_400(org, body):
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert not Token.objects.exists()


DEEP = pytest.param("[" * 50_000, id="nested 50,000 deep")


@pytest.mark.parametrize("body", ['{"username": "staff"', DEEP, "username=staff"])
def test_a_body_that_is_not_a_json_object_is_a_4xx(org, body):
    response = APIClient().post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert not Token.objects.exists()
