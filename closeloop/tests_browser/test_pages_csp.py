"""In Chromium, in both languages: the main pages of the demo organisation load without a Content-Security-Policy
violation or a script error in the console (htmx is configured not to inject its inline indicator styles). A
screenshot of each page goes to artifacts/pages/ for a person to look at: the login page (switched to English with
its own language switch), the held meeting's page, its minutes and the audit trail among them."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from closeloop.collab.testing import memos_flushable  # noqa: F401  (the demo signs a memo)
from closeloop.demo.held import HELD_TITLE
from closeloop.demo.organisation import demo_load
from closeloop.meetings.models import Meeting
from closeloop.minutes.testing import minutes_flushable  # noqa: F401  (the demo approves minutes)
from closeloop.org.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pages"
WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation',"
         " e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile));")


def _open(browser, live_server, person=None, locale="zh-CN"):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    if person is not None:
        client = Client()
        client.force_login(person)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
    page = context.new_page()
    page.add_init_script(WATCH)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def _visit(page, url, shot):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
    problems = page.errors + page.evaluate("window.__csp")
    return [p for p in problems if "favicon" not in p]


@pytest.fixture
def demo(transactional_db, memos_flushable, minutes_flushable):  # noqa: F811
    return demo_load()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_main_pages_log_no_csp_violation(browser, live_server, demo, language):
    admin = Person.objects.get(username="pmo")
    admin.language = language
    admin.save(update_fields=["language"])
    held = Meeting.objects.get(organisation=demo, title=HELD_TITLE)
    base = live_server.url
    # A newcomer's browser asks for Chinese; the English page is reached through the page's own switch.
    anonymous = _open(browser, live_server)
    anonymous.goto(f"{base}{reverse('login')}")
    if language == "en":
        anonymous.locator("#language-switch button[value=en]").click()
        anonymous.wait_for_url(f"{base}{reverse('login')}")
    assert anonymous.locator("html").get_attribute("lang") == language
    assert anonymous.locator("#demo-hint").is_visible()
    assert _visit(anonymous, anonymous.url, f"login-{language}") == []
    anonymous.context.close()

    page = _open(browser, live_server, admin)
    pages = {
        "meetings": reverse("meetings:list"), "meeting": reverse("meetings:detail", args=[held.pk]),
        "minutes": reverse("minutes:meeting", args=[held.pk]), "actions": reverse("actions:mine"),
        "inbox": reverse("notify:inbox"), "calendar": reverse("workcal:calendar"), "archive": reverse("archive:index"),
        "audit": reverse("audit:list"), "profile": reverse("org:profile"),
    }
    found = {}
    for name, path in pages.items():
        response = page.request.get(f"{base}{path}")
        if response.status != 200:  # a page moved: say so instead of skipping it silently
            found[name] = [f"HTTP {response.status} for {path}"]
            continue
        problems = _visit(page, f"{base}{path}", f"{name}-{language}")
        if problems:
            found[name] = problems
        page.errors.clear()
    assert found == {}
    assert page.locator("html").get_attribute("lang") == language
    page.context.close()
