"""Strict CSP: the header is sent, and no template or page carries inline script or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TANDEM = Path(settings.BASE_DIR) / "tandem"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
HTMX_EVAL = re.compile(r"\shx-on[:\-]|\shx-vars\s*=|javascript:", re.IGNORECASE)
CHECKS = {
    "inline <script>": INLINE_SCRIPT, "<style> block": STYLE_BLOCK,
    "style attribute": STYLE_ATTRIBUTE, "inline event handler": EVENT_HANDLER,
    "evaluated htmx attribute or javascript: URL": HTMX_EVAL,
}


def violations(html: str) -> list[str]:
    return [name for name, pattern in CHECKS.items() if pattern.search(html)]


def templates() -> list[Path]:
    return sorted(TANDEM.glob("*/templates/**/*.html"))


def test_the_checks_catch_what_they_look_for():
    assert violations('<script>alert(1)</script>') == ["inline <script>"]
    assert violations('<div style="color:red">') == ["style attribute"]
    assert violations("<style>p{}</style>") == ["<style> block"]
    assert violations('<button onclick="go()">') == ["inline event handler"]
    assert violations('<div hx-on:click="go()">') == ["evaluated htmx attribute or javascript: URL"]
    assert violations('<script src="/static/x.js" defer></script><p>style= online</p>') == []


def test_there_are_templates_to_check():
    names = {path.name for path in templates()}
    assert {"base.html", "login.html", "locked_out.html", "403.html", "employee_list.html"} <= names


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(TANDEM)))
def test_no_template_has_inline_script_or_style(path):
    assert violations(path.read_text()) == []


def test_the_csp_header_is_strict(client, db):
    response = client.get("/login/")

    policy = response["Content-Security-Policy"]
    directives = {
        part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]


@pytest.mark.parametrize("url", [
    "/", "/people/employees/", "/people/departments/", "/people/positions/",
    "/people/employees/new/", "/people/departments/new/", "/people/positions/new/",
])
def test_rendered_pages_have_no_inline_script_or_style(org, client_as, url):
    response = client_as(org.users["owner"]).get(url)

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert violations(response.content.decode()) == []


def test_employee_pages_have_no_inline_script_or_style(org, client_as):
    client = client_as(org.users["owner"])
    pk = org.employees["staff"].pk

    for url in (f"/people/employees/{pk}/", f"/people/employees/{pk}/edit/",
                f"/people/employees/{pk}/delete/"):
        response = client.get(url)
        assert response.status_code == 200
        assert violations(response.content.decode()) == [], url


def test_the_sign_in_page_has_no_inline_script_or_style(client, db):
    response = client.get("/login/")

    assert response.status_code == 200
    assert violations(response.content.decode()) == []
