"""In Chromium: the audit page of the demo organisation (hundreds of entries) stays a page a person can read —
a first page of entries no taller than a few screens, in both languages, each change summed up on its row and
the raw data folded away until asked for."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from closeloop.audit.models import AuditEntry
from closeloop.collab.testing import memos_flushable  # noqa: F401  (the demo signs a memo)
from closeloop.demo.organisation import demo_load
from closeloop.minutes.testing import minutes_flushable  # noqa: F401  (the demo approves minutes)
from closeloop.org.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pages"
MAX_HEIGHT = 5000  # px at 1280 wide for fifty entries; the same page was 15,700 when every change was a table


@pytest.fixture
def demo(transactional_db, memos_flushable, minutes_flushable):  # noqa: F811
    return demo_load()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_audit_page_stays_short_with_many_entries(browser, live_server, demo, language):
    assert AuditEntry.objects.count() > 100
    admin = Person.objects.get(username="pmo")
    admin.language = language
    admin.save(update_fields=["language"])
    client = Client()
    client.force_login(admin)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('audit:list')}")
    rows = page.locator("table.audit > tbody > tr")
    assert rows.count() == 50  # a full first page
    height = page.evaluate("document.documentElement.scrollHeight")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"audit-many-{language}.png"), full_page=True)
    print(f"audit page height ({language}): {height}px")
    assert height <= MAX_HEIGHT, height
    # The raw data is folded away, and one click shows it.
    first = page.locator("details.raw").first
    assert not first.locator("pre").is_visible()
    first.locator("summary").click()
    assert first.locator("pre").is_visible()
    context.close()
