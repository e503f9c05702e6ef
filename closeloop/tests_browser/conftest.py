"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""


import pytest

from closeloop.audit.testing import audit_flushable  # noqa: F401  (the flush at the end of a live-server test)
from closeloop.directory.testing_sso import oidc_provider_live  # noqa: F401  (a real OpenID Connect provider)
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401  (a real SMTP server for the notice)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def browser(live_server, audit_flushable, monkeypatch):  # noqa: F811
    from playwright.sync_api import sync_playwright

    # The test thread touches the database while Playwright's event loop runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that collects JavaScript errors and CSP violations into `page.errors`."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
