"""POST /api/v1/auth/token/: a user name and password for the user's API token, with the
sign-in lock-out of django-axes and the "token" throttle."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tandem.core.models import Membership
from tandem.core.testing import PASSWORD

URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The throttle counts in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_right_password_gives_the_users_token(org, api):
    response = api.post(URL, {"username": "staff", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=org.users["staff"]).key}


def test_the_same_token_is_returned_again(org, api):
    existing = Token.objects.create(user=org.users["staff"])
    response = api.post(URL, {"username": "staff", "password": PASSWORD}, format="json")
    assert response.json() == {"token": existing.key}
    assert Token.objects.filter(user=org.users["staff"]).count() == 1


def test_the_token_authenticates_api_calls(org, api):
    token = api.post(URL, {"username": "hr", "password": PASSWORD}, format="json").json()["token"]
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = caller.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "hr"


def test_a_wrong_password_is_a_400_and_counts_as_a_failed_attempt(org, api):
    response = api.post(URL, {"username": "staff", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some fields are not valid.",
        "errors": {"non_field_errors": ["The user name or password is not correct."]},
    }
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 1
    assert not Token.objects.exists()


def test_an_unknown_user_is_the_same_400(db, api):
    response = api.post(URL, {"username": "nobody", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["The user name or password is not correct."]
    }


def test_missing_fields_are_named(db, api):
    response = api.post(URL, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some fields are not valid.",
        "errors": {"username": ["This field is required."], "password": ["This field is required."]},
    }


def test_after_five_failures_even_the_right_password_is_refused(org, api):
    statuses = [
        api.post(URL, {"username": "staff", "password": f"wrong-{n}"}, format="json").status_code
        for n in range(5)
    ]
    # The fifth failure reaches the limit, so it is already answered as a lock-out.
    assert statuses == [400, 400, 400, 400, 429]

    sixth = api.post(URL, {"username": "staff", "password": PASSWORD}, format="json")
    assert sixth.status_code == 429
    assert sixth.json() == {
        "detail": "Too many failed sign-in attempts. Try again in 15 minutes.",
        "errors": {},
    }
    assert not Token.objects.exists()


def test_without_a_cool_off_the_lock_out_says_whom_to_ask(org, api, settings):
    settings.AXES_COOLOFF_TIME = None
    for n in range(5):
        api.post(URL, {"username": "staff", "password": f"wrong-{n}"}, format="json")
    response = api.post(URL, {"username": "staff", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Too many failed sign-in attempts. Ask an administrator to unlock the account."
    )


def test_a_user_whose_membership_is_inactive_gets_no_token(org, api):
    Membership.objects.filter(user=org.users["staff"]).update(is_active=False)
    response = api.post(URL, {"username": "staff", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This account is not an active member of any company.",
        "errors": {},
    }
    assert not Token.objects.exists()


def test_an_inactive_user_cannot_sign_in(org, api):
    user = org.users["staff"]
    user.is_active = False
    user.save()
    response = api.post(URL, {"username": "staff", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_a_stale_authorization_header_does_not_get_in_the_way(org, api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.post(URL, {"username": "staff", "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_more_than_twenty_requests_a_minute_are_throttled(db, api):
    statuses = {api.post(URL, {}, format="json").status_code for _ in range(20)}
    assert statuses == {400}
    response = api.post(URL, {}, format="json")
    assert response.status_code == 429
    assert response.json()["errors"] == {}
    assert response.json()["detail"].startswith("Request was throttled.")


def test_a_forged_forwarded_for_header_does_not_dodge_the_throttle(db, api):
    for n in range(20):
        api.post(URL, {}, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = api.post(URL, {}, format="json", HTTP_X_FORWARDED_FOR="10.0.1.1")
    assert response.status_code == 429
