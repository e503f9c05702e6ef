"""In Chromium: the host applies the suggested order from the agenda panel, and prints the agenda."""


import pytest

from closeloop.meetings.models import Topic
from closeloop.tests_browser.conftest import ARGS, CHROMIUM, audit_flushable  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _decision_marked_urgent(meeting):
    """The fixture's agenda (information, discussion, decision) is already sound; an urgent decision is suggested
    first, so there is an order to apply."""
    Topic.objects.filter(meeting=meeting, title="部门分工与资源协调").update(urgent=True)


@pytest.fixture
def browser_page(live_server, audit_flushable, client, people, monkeypatch):  # noqa: F811
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client.force_login(people["host"])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                  "url": live_server.url}])
            # Injected by the browser itself (not subject to the page's CSP): record print() calls.
            context.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
            page = context.new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text)
                    if m.type == "error" and "Failed to load resource" not in m.text else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
            yield page, errors
        finally:
            browser.close()


def test_the_host_applies_the_suggested_order_in_place(browser_page, live_server, meeting):
    page, errors = browser_page
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    panel = page.locator("#agenda-check")
    suggestion = panel.locator("ol.suggested-order li .topic-title")
    assert suggestion.all_inner_texts() == ["部门分工与资源协调", "Q2推广活动复盘", "Q3推广目标及策略"]
    assert "紧急" in panel.locator("ol.suggested-order li .order-reason").first.inner_text()  # why it goes first
    panel.get_by_role("button").click()
    panel.locator("ol.suggested-order").wait_for(state="detached")
    titles = list(Topic.objects.filter(meeting=meeting).order_by("order").values_list("title", flat=True))
    assert titles == ["部门分工与资源协调", "Q2推广活动复盘", "Q3推广目标及策略"]
    assert page.locator("#agenda-check .agenda-check").count() == 1  # swapped inside, not nested
    assert errors == []


def test_the_print_button_prints_the_agenda(browser_page, live_server, meeting):
    page, errors = browser_page
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/agenda/")
    assert page.locator("h1").inner_text().endswith("项目Q3推广跨部门协作会")
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed") == 1
    assert errors == []
