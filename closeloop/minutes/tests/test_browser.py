"""In Chromium: the recorder drafts the minutes from the record, a concurrent save is refused without losing the
typed text, the host approves and distributes, the mail with the .docx arrives over SMTP, a head signs off by the
mail's link — with no script error or CSP violation on the way."""

import re

import pytest
from django.test import Client

from closeloop.minutes import services
from closeloop.minutes.models import Minutes
from closeloop.minutes.testing import minutes_flushable  # noqa: F401
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.tests_browser.conftest import ARGS, CHROMIUM, audit_flushable  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(live_server, audit_flushable, minutes_flushable, monkeypatch):  # noqa: F811
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_as(browser, live_server, person=None):
    """A page in its own browser context, signed in as `person` (or anonymous), collecting script/CSP errors."""
    context = browser.new_context(locale="zh-CN")
    if person is not None:
        client = Client()
        client.force_login(person)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def test_minutes_from_draft_to_sign_off_in_the_browser(browser, live_server, held, cast, meeting,
                                                       smtp_server):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    recorder = open_as(browser, live_server, cast["recorder"])
    recorder.goto(f"{base}/minutes/meetings/{meeting.pk}/")
    expect(recorder.locator("#preview")).to_contain_text("王五(销售部,出差)——由赵六代参会")
    recorder.click("#create-minutes button[type=submit]")
    recorder.wait_for_url(re.compile(r".*/minutes/\d+/$"))
    minutes = Minutes.objects.get(meeting=meeting)
    expect(recorder.locator("#id_attendees")).to_have_value("市场部:张主持、李记录;销售部:王销售、赵六")

    # The host opens the same draft; the recorder saves first; the host's later save is refused, text kept.
    host = open_as(browser, live_server, cast["host"])
    host.goto(f"{base}/minutes/{minutes.pk}/")
    recorder.fill("#id_decisions", "1.同意增加生产线(记录人补充:两条)")
    recorder.click("#minutes-editor button[name=then][value='']")
    expect(recorder.locator(".messages")).to_be_visible()
    typed = "1.同意增加生产线,财务部周五前提交成本报告"
    host.fill("#id_decisions", typed)
    host.click("#minutes-editor button[name=then][value='']")
    expect(host.locator("#conflict")).to_be_visible()
    expect(host.locator("#conflict .theirs")).to_contain_text("记录人补充:两条")
    expect(host.locator("#id_decisions")).to_have_value(typed)
    # Having compared, the host keeps their own wording and saves again; then the recorder submits.
    host.click("#minutes-editor button[name=then][value='']")
    expect(host.locator("#conflict")).to_have_count(0)
    assert Minutes.objects.get(pk=minutes.pk).content["decisions"] == typed
    recorder.goto(f"{base}/minutes/{minutes.pk}/")
    recorder.click("#minutes-editor button[value=submit]")
    expect(recorder.locator(".minutes-state").first).to_have_attribute("data-state", "in_review")

    # The host approves (审核通过) and distributes.
    host.goto(f"{base}/minutes/{minutes.pk}/")
    host.click("#approve-form button")
    expect(host.locator(".minutes-state").first).to_have_attribute("data-state", "approved")
    expect(host.locator("#minutes-editor")).to_have_count(0)
    host.click("#distribute-form button")
    expect(host.locator("#signoff-count")).to_have_attribute("data-signed", "0")

    # The mail arrives with the .docx; the sales head signs off from the link without signing in.
    drain_outbox()
    mail = next(m for m in smtp_server.messages() if m["To"] == "head@example.com")
    assert next(mail.iter_attachments()).get_filename().endswith(".docx")
    [link] = re.findall(r"http://\S+/minutes/signoff/\S+/", mail.get_body(("plain",)).get_content())
    head = open_as(browser, live_server)
    head.goto(base + "/minutes/" + link.split("/minutes/", 1)[1])
    head.fill("#id_comment", "销售部同意")
    head.click("#signoff-form button")
    expect(head.locator("#signed")).to_be_visible()
    host.reload()
    expect(host.locator("#signoff-count")).to_have_attribute("data-signed", "1")
    expect(host.locator(".signoff.signed")).to_contain_text("销售部")
    expect(host.locator(".signoff.pending")).to_contain_text("市场部")

    # A correction opens version 2, and the differences page marks what changed.
    host.fill("#id_reason", "补充行动项")
    host.click("#correct-form button")
    host.wait_for_url(re.compile(r".*/minutes/\d+/$"))
    v2 = Minutes.objects.get(meeting=meeting, number=2)
    services.minutes_save(actor=cast["recorder"], minutes=v2, content={"decisions": typed + "(已更正)"}, version=1)
    host.goto(f"{base}/minutes/{v2.pk}/diff/")
    expect(host.locator("#diff-decisions ins.diff-ins")).to_have_text("(已更正)")
    for page in (recorder, host, head):
        # The refused save is answered 409 on purpose; Chromium logs any 4xx page load.
        errors = [e for e in page.errors if "status of 409" not in e]
        assert errors == [], errors
