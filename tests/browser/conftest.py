"""Headless Chromium (Debian's package) driven by Playwright against the live server.

Playwright's own browser download does not work on these machines, so the executable
path is set. Tests here are marked ``browser`` and skipped where Chromium is missing.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (creating users) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser page; requests to anything but the live server fail the test."""
    settings.AXES_ENABLED = False
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()
    assert not outside, f"the page requested outside the site: {outside}"


@pytest.fixture
def login(page):
    """``login(user)`` signs in through the real login form (password pw-Secret-123)."""

    def do(user, password="pw-Secret-123"):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return do
