"""The language switch: zh-hans by default, English on request, from every page."""

from django.conf import settings


def test_chinese_is_the_default_whatever_the_browser_says(org, client_as):
    client = client_as(org.users["staff"])

    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_switching_to_english_changes_the_page_language_and_returns_to_the_page(org, client_as):
    client = client_as(org.users["staff"])

    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/people/employees/?q=staff"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/people/employees/?q=staff"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/people/employees/?q=staff")
    assert page["Content-Language"] == "en"
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert '<div class="td-company">Galaxy Tech</div>' in html
    assert "<td>Platform</td>" in html  # staff's department, by its English name
    assert "平台组" not in html


def test_switching_back_to_chinese(org, client_as):
    client = client_as(org.users["staff"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<div class="td-company">星河科技</div>' in html


def test_the_switch_works_on_the_sign_in_page(client, db):
    page = client.get("/login/?next=/people/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert '<input type="hidden" name="next" value="/login/?next=/people/">' in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/?next=/people/"})

    assert response["Location"] == "/login/?next=/people/"
    english = client.get("/login/?next=/people/").content.decode()
    assert '<html lang="en">' in english
    assert "Username" in english and "用户名" not in english


def test_an_unknown_language_is_ignored(org, client_as):
    client = client_as(org.users["staff"])

    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_a_foreign_next_url_is_not_followed(org, client_as):
    client = client_as(org.users["staff"])

    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"
