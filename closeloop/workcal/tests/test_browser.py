"""In Chromium: an administrator switches a day in place and imports an unknown year from the page."""


import pytest

from closeloop.tests_browser.conftest import ARGS, CHROMIUM, audit_flushable  # noqa: F401
from closeloop.workcal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(live_server, audit_flushable, client, people, monkeypatch):  # noqa: F811
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    people["admin"].language = "en"
    people["admin"].save(update_fields=["language"])
    client.force_login(people["admin"])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                  "url": live_server.url}])
            page = context.new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            yield page, errors
        finally:
            browser.close()


def test_an_administrator_switches_a_day_in_place(admin_page, live_server, org):
    page, errors = admin_page
    page.goto(f"{live_server.url}/org/calendar/?year=2026")
    day = page.locator("#day-2026-10-10")
    assert day.get_attribute("class") == "day work-weekend"
    day.get_by_role("button").click()
    page.wait_for_selector("#day-2026-10-10.off")
    assert CalendarDay.objects.get(organisation=org).kind == "holiday"
    assert page.url.endswith("?year=2026")  # swapped in place, no navigation
    assert "set by an administrator" in page.locator("#day-2026-10-10").inner_text()

    page.locator("#day-2026-10-10").get_by_role("button").click()
    page.wait_for_selector("#day-2026-10-10.work-weekend")
    assert not CalendarDay.objects.exists()
    assert page.locator(".months .day").count() == 365  # swapped in place, not nested
    assert errors == []


def test_an_administrator_imports_an_unknown_year(admin_page, live_server, org, tmp_path):
    page, errors = admin_page
    page.goto(f"{live_server.url}/org/calendar/?year=2027")
    assert page.locator("#year-unknown").is_visible()
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n", encoding="utf-8-sig")
    form = page.locator("#import form")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_role("button", name="Import").click()
    page.wait_for_selector("#year-source")
    assert page.locator("#year-unknown").count() == 0
    assert page.locator("#day-2027-02-06").get_attribute("class") == "day work-weekend"
    assert CalendarYear.objects.get(organisation=org).year == 2027
    page.screenshot(path=str(tmp_path / "calendar.png"), full_page=True)
    assert errors == []
