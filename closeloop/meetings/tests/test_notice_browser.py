"""In Chromium: the host sends the notice; a participant answers by the email link and from the meeting page."""


import pytest

from closeloop.meetings.choices import MeetingState, Response
from closeloop.tests_browser.conftest import ARGS, CHROMIUM, audit_flushable  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(live_server, audit_flushable, monkeypatch):  # noqa: F811
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, live_server, client=None, person=None):
    context = browser.new_context()
    if person is not None:
        client.force_login(person)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    # 422 is the answer to a refused form; anything else at 400+ is a fault (the favicon aside).
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.status != 422 and not r.url.endswith("/favicon.ico") else None)
    return page, errors


def test_the_host_sends_the_notice_from_the_meeting_page(browser, live_server, client, people, meeting):
    page, errors = open_page(browser, live_server, client, people["host"])
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.locator("#send-notice button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")
    page.locator(".messages li").first.wait_for()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTICED
    assert errors == []


def test_a_participant_declines_by_the_email_link_and_must_give_a_reason(browser, live_server, people, meeting):
    participant = meeting.participants.get(person=people["member"])
    page, errors = open_page(browser, live_server)  # not signed in: the token is the key
    page.goto(f"{live_server.url}/meetings/respond/{participant.token}/")
    assert "项目Q3推广跨部门协作会" in page.locator("h1").inner_text()
    page.locator("input[name=response][value=declined]").check()
    page.locator("button[type=submit]").click()
    page.locator("textarea[name=reason]").wait_for()
    assert page.locator(".errorlist").count() >= 1
    participant.refresh_from_db()
    assert participant.response == Response.PENDING

    page.locator("input[name=response][value=declined]").check()
    page.locator("textarea[name=reason]").fill("当天在外地客户处")
    page.locator("button[type=submit]").click()
    page.locator(".messages li").first.wait_for()
    participant.refresh_from_db()
    assert participant.response == Response.DECLINED and participant.response_reason == "当天在外地客户处"
    assert errors == []


def test_a_signed_in_participant_answers_in_place_on_the_meeting_page(browser, live_server, client, people, meeting):
    participant = meeting.participants.get(person=people["member"])
    page, errors = open_page(browser, live_server, client, people["member"])
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    box = page.locator(f"#respond-{participant.pk}")
    box.locator("input[name=response][value=accepted]").check()
    box.locator("button[type=submit]").click()
    page.locator(f"#respond-{participant.pk} .finding.ok").wait_for()  # swapped in by htmx, no reload
    participant.refresh_from_db()
    assert participant.response == Response.ACCEPTED
    assert errors == []
