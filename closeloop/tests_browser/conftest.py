"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import importlib

import pytest
from django.db import connection

from closeloop.notify.testing.smtp import smtp_server  # noqa: F401  (a real SMTP server for the notice)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def audit_flushable(live_server):
    """SQLite's flush deletes row by row, which the append-only audit trigger refuses: lift it for the flush."""
    yield
    if connection.vendor != "sqlite":
        return  # PostgreSQL truncates, which row triggers do not see
    triggers = importlib.import_module("closeloop.audit.migrations.0003_append_only_triggers")
    with connection.cursor() as cursor:
        for sql in triggers.SQLITE_REVERSE:
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditentry")
        for sql in triggers.SQLITE:
            cursor.execute(sql)


@pytest.fixture
def browser(live_server, audit_flushable, monkeypatch):
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
