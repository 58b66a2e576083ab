"""Browser tests: Playwright (Python) drives Debian's Chromium against pytest-django's live
server. Playwright never downloads a browser here: it launches /usr/bin/chromium.

Without Chromium on a user's machine these tests skip with a one-line reason; with CI=true
they fail instead, so CI can never pass by skipping them."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the test itself only talks to
# the database through the ORM in between browser steps, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)
            # The live server runs in another thread: it must see committed rows.
            item.add_marker(pytest.mark.django_db(transaction=True))


def _require_chromium() -> None:
    if CHROMIUM.exists() or shutil.which(str(CHROMIUM)):
        return
    reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason + "; CI must run them", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose console errors and CSP violations fail the
    test: every page must run under the content security policy without complaint."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert problems == [], f"browser console errors: {problems}"


@pytest.fixture
def phone(browser, live_server):
    """A 375 px wide phone, as employees use Tandem inside DingTalk/WeCom/Feishu."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True,
        has_touch=True, device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in():
    from tandem.core.testing import PASSWORD

    def do(page, username, password=PASSWORD):
        if not page.url.split("?")[0].endswith("/login/"):
            page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_load_state()

    return do
