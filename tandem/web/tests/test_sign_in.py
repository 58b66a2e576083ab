"""Signing in and out, the redirect of visitors, and the lock-out after failed attempts."""

from django.conf import settings

from tandem.core.testing import PASSWORD, make_user


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_visitors_are_sent_to_the_sign_in_page(client, db):
    response = client.get("/people/employees/?q=x")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/people/employees/%3Fq%3Dx"


def test_an_htmx_request_of_a_visitor_redirects_the_whole_page(client, db):
    response = client.get("/people/employees/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/people/employees/"


def test_sign_in_page_renders_the_form_in_chinese_by_default(client, db):
    response = client.get("/login/")

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "registration/login.html"
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "用户名" in html  # Django's own catalogue: the username label
    assert 'name="password"' in html


def test_signing_in_opens_the_requested_page(org, client):
    response = client.post(
        "/login/",
        {"username": "hr", "password": PASSWORD, "next": "/people/departments/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/people/departments/"
    assert client.get("/people/departments/").status_code == 200


def test_signing_in_without_next_opens_the_dashboard(org, client):
    response = client.post("/login/", {"username": "staff", "password": PASSWORD})

    assert response["Location"] == "/"


def test_a_wrong_password_shows_the_error_and_no_session(org, client):
    response = english(client).post("/login/", {"username": "hr", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signed_in_users_skip_the_sign_in_page(org, client_as):
    response = client_as(org.users["staff"]).get("/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_out_is_a_post(org, client_as):
    client = client_as(org.users["staff"])

    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_five_failures_lock_the_user_name_with_a_page_in_both_languages(org, client):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/login/", {"username": "hr", "password": "wrong"})
        assert response.status_code == 200
    fifth = client.post("/login/", {"username": "hr", "password": "wrong"})
    assert fifth.status_code == 429

    # Even the right password is refused while the lock lasts.
    locked = client.post("/login/", {"username": "hr", "password": PASSWORD})

    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert '<html lang="zh-hans">' in locked.content.decode()
    assert "_auth_user_id" not in client.session

    english_page = english(client).post("/login/", {"username": "hr", "password": PASSWORD})
    assert english_page.status_code == 429
    text = english_page.content.decode()
    assert '<html lang="en">' in text
    assert "Too many failed sign-ins (5). For your security, signing in is locked for 15 minutes." in text


def test_a_user_without_a_company_gets_a_page_saying_so(client, db):
    loner = make_user("loner")
    client.force_login(loner)

    for url in ("/", "/people/employees/", "/people/departments/"):
        response = english(client).get(url)
        assert response.status_code == 403
        assert "web/no_company.html" in [t.name for t in response.templates]
        assert "Your account does not belong to any company yet" in response.content.decode()
