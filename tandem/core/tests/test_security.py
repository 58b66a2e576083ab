"""Security settings that are not visible in any single feature: session expiry, password
rules, headers. (The deployment check and secure cookies: test_settings.py; sign-in lock-out:
web/tests/test_sign_in.py and test_api_token.py; CSP in a real browser: tandem/e2e.)"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from time_machine import travel

from tandem.core.testing import PASSWORD


def test_a_session_ends_after_twelve_hours(org, client):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    start = timezone.now()
    with travel(start, tick=False):
        client.post("/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
        assert client.get("/").status_code == 200
        assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 60 * 60
    with travel(start + timedelta(hours=11, minutes=59), tick=False):
        assert client.get("/").status_code == 200
    with travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("83920174650", "entirely numeric"),
        ("staff-member-x", "too similar to the user name"),
    ],
)
def test_weak_passwords_are_refused(org, password, reason):
    user = org.users["staff"]
    user.username = "staff-member"
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_good_password_is_accepted(org):
    validate_password("Lantern-orbit-47-quay", org.users["staff"])


def test_pages_send_the_security_headers(org, client_as):
    response = client_as(org.users["staff"]).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only_or_same_site(org, client):
    client.post("/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.9.9.8")
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
