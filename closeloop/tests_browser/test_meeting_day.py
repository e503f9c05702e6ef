"""In Chromium: a whole meeting day in one flow, as the recorder and the host would live it — sign-in with an
absence, a note, a disagreement, a decision, two action items (one vague, warned inline), closing past the loop
check, the minutes drafted, submitted, approved and distributed, the mail with the .docx arriving over real SMTP,
and the department head signing off from the mail's link — with no script error or CSP violation on the way."""

import io
import re

import docx
import pytest
from django.test import Client
from django.utils import translation

from closeloop.minutes.choices import MinutesState
from closeloop.minutes.models import Minutes
from closeloop.minutes.testing import minutes_flushable  # noqa: F401
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.record.models import MeetingRecord
from closeloop.tests_browser.conftest import ARGS, CHROMIUM, audit_flushable  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 15000  # ms: htmx swaps and page loads under a loaded machine


@pytest.fixture
def browser(live_server, audit_flushable, minutes_flushable, monkeypatch):  # noqa: F811
    from playwright.sync_api import sync_playwright

    # The test thread touches the database while Playwright's event loop runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_as(browser, live_server, person=None):  # noqa: F811
    """A page in its own browser context, signed in as `person` (or anonymous), collecting script/CSP errors."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    if person is not None:
        client = Client()
        client.force_login(person)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def docx_text(data):
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_meeting_day_runs_from_sign_in_to_the_heads_sign_off(browser, live_server, people, meeting,  # noqa: F811
                                                                smtp_server):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    topics = list(meeting.topics.order_by("order"))
    first, decide = topics[0].pk, topics[2].pk
    host_p, rec_p, member_p = people["host"], people["recorder"], people["member"]

    # The recorder opens the live record and starts it.
    rec = open_as(browser, live_server, rec_p)
    rec.goto(f"{base}/record/meetings/{meeting.pk}/")
    rec.click("#start button[type=submit]")
    expect(rec.locator("#sign-in")).to_be_visible(timeout=WAIT)

    # Sign-in: host and recorder present; the member absent with a reason.
    for person in (host_p, rec_p):
        rec.locator(f"#signin-{person.pk} form:has(input[name=presence][value=present]) button").click()
        expect(rec.locator(f"#signin-{person.pk} .badge.presence-present")).to_be_visible(timeout=WAIT)
    rec.locator(f"#signin-{member_p.pk} a.button").click()
    expect(rec.locator("#att-presence")).to_be_focused(timeout=WAIT)
    rec.keyboard.press("Tab")
    rec.keyboard.type("客户拜访")
    rec.keyboard.press("Enter")
    expect(rec.locator(f"#signin-{member_p.pk} .badge.presence-absent")).to_be_visible(timeout=WAIT)
    expect(rec.locator(f"#signin-{member_p.pk}")).to_contain_text("客户拜访", timeout=WAIT)

    # A note on the first topic.
    rec.focus(f"#t{first}-note-text")
    rec.keyboard.type("市场部:Q2线上转化率仅3%")
    rec.keyboard.press("Enter")
    expect(rec.locator(f"#topic-{first}-live .notes")).to_contain_text("Q2线上转化率仅3%", timeout=WAIT)

    # A disagreement on the decide topic, resolved in the meeting.
    rec.click(f"#t{decide}-dis-details summary")
    rec.fill(f"#t{decide}-dis-subject", "是否增加2条生产线")
    rec.fill(f"#t{decide}-dis-positions", "生产部:产能不足;财务部:需评估成本")
    rec.fill(f"#t{decide}-dis-parties", "生产部、财务部")
    rec.check(f"#t{decide}-dis input[name=path][value=resolved]")
    rec.locator(f"#t{decide}-dis button[type=submit]").click()
    expect(rec.locator(f"#topic-{decide}-live .disagreements")).to_contain_text("是否增加2条生产线", timeout=WAIT)
    expect(rec.locator(f"#t{decide}-dis-subject")).to_have_value("", timeout=WAIT)  # the form came back empty

    # The decision.
    decision = "同意增加两条生产线,7月起投产"
    rec.select_option(f"#t{decide}-dec-decided_by", str(host_p.pk))
    rec.check(f"#t{decide}-dec-no_objection")
    rec.focus(f"#t{decide}-dec-text")
    rec.keyboard.type(decision)
    rec.keyboard.press("Enter")  # by keyboard, as the recorder works; no click on a button the swap may move
    expect(rec.locator(f"#topic-{decide}-live .decisions")).to_contain_text(decision, timeout=WAIT)

    # Two action items: a SMART one, then a vague one the SMART check warns about while typing.
    def add_item(task, deliverable, due):
        rec.fill(f"#t{decide}-item-deliverable", deliverable)
        rec.fill(f"#t{decide}-item-due", due)
        rec.select_option(f"#t{decide}-item-owner", str(rec_p.pk))
        rec.check(f"#t{decide}-item-owner_confirmed")
        rec.locator(f"#t{decide}-item button[type=submit]").click()
        expect(rec.locator(f"#topic-{decide}-live table.items")).to_contain_text(task, timeout=WAIT)

    rec.fill(f"#t{decide}-item-task", "提交两条生产线的成本报告")
    add_item("提交两条生产线的成本报告", "成本报告(含两种方案)经财务部审核", "2026-06-19")
    rec.focus(f"#t{decide}-item-task")
    rec.keyboard.type("尽快优化落地页引导")
    expect(rec.locator(f"#t{decide}-smart")).to_contain_text("尽快", timeout=WAIT)
    add_item("尽快优化落地页引导", "新版落地页上线", "2026-06-26")
    expect(rec.locator(f"#t{decide}-smart .finding").first).to_contain_text("尽快", timeout=WAIT)

    # Closing: in warn mode the recorder confirms past the listed open points.
    if rec.locator("#close-force").count():
        rec.check("#close-force")
    rec.locator("#loop-check button[type=submit]").click()
    expect(rec.locator(".badge.record-closed")).to_be_visible(timeout=WAIT)
    assert MeetingRecord.objects.get(meeting=meeting).state == "closed"

    # The recorder drafts the minutes from the record and submits them.
    rec.goto(f"{base}/minutes/meetings/{meeting.pk}/")
    rec.click("#create-minutes button[type=submit]")
    rec.wait_for_url(re.compile(r".*/minutes/\d+/$"))
    minutes = Minutes.objects.get(meeting=meeting)
    expect(rec.locator("#id_decisions")).to_have_value(re.compile(re.escape(decision)), timeout=WAIT)
    rec.click("#minutes-editor button[value=submit]")
    expect(rec.locator(".minutes-state").first).to_have_attribute("data-state", "in_review", timeout=WAIT)

    # The host approves and distributes; the sales head is asked to sign off.
    host = open_as(browser, live_server, host_p)
    host.goto(f"{base}/minutes/{minutes.pk}/")
    host.click("#approve-form button")
    expect(host.locator(".minutes-state").first).to_have_attribute("data-state", "approved", timeout=WAIT)
    host.click("#distribute-form button")
    expect(host.locator("#signoff-count")).to_have_attribute("data-signed", "0", timeout=WAIT)
    expect(host.locator("#signoff-count")).to_have_attribute("data-total", "1")

    # The mail reaches the real SMTP server with the .docx carrying the decision, and the sign-off link.
    drain_outbox()
    mail = smtp_server.message_to("head@example.com")
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename().endswith(".docx")
    assert decision in docx_text(attachment.get_content())
    [link] = re.findall(r"http://\S+/minutes/signoff/\S+/", mail.get_body(("plain",)).get_content())

    # The head signs off from the link, without signing in.
    head = open_as(browser, live_server)
    head.goto(base + "/minutes/" + link.split("/minutes/", 1)[1])
    head.fill("#id_comment", "销售部同意")
    head.click("#signoff-form button")
    expect(head.locator("#signed")).to_be_visible(timeout=WAIT)

    # The host sees the minutes signed off, in Chinese, with the head as signed.
    host.reload()
    expect(host.locator("#signoff-count")).to_have_attribute("data-signed", "1", timeout=WAIT)
    expect(host.locator(".signoff.signed")).to_contain_text("赵经理")
    expect(host.locator(".signoff.signed")).to_contain_text("销售部")
    state = host.locator(".minutes-state").first
    expect(state).to_have_attribute("data-state", "signed_off")
    with translation.override("zh-hans"):
        expect(state).to_have_text(str(MinutesState.SIGNED_OFF.label))
    assert Minutes.objects.get(pk=minutes.pk).state == MinutesState.SIGNED_OFF

    for page in (rec, host, head):
        assert page.errors == [], page.errors
