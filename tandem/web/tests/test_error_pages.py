"""Friendly 403 and 404 pages, in both languages, inside the shell."""

from django.conf import settings


def test_a_role_without_permission_gets_the_friendly_403_page(org, client_as):
    client = client_as(org.users["staff"])

    response = client.get("/people/positions/new/")

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'class="td-nav"' in html  # still inside the shell, navigation included


def test_the_403_page_in_english(org, client_as):
    client = client_as(org.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/people/positions/new/").content.decode()

    assert '<html lang="en">' in html
    assert "You may not open this page" in html


def test_an_unknown_page_gets_the_friendly_404_page(org, client_as):
    client = client_as(org.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/people/employees/999999/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "This page does not exist, or it belongs to another company." in response.content.decode()
