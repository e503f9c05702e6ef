"""In Chromium: the header's search box finds a person, their meeting and their item, and nothing the viewer may not
see; the recorder corrects a viewpoint and deletes a mistaken action item on the live record (issue 12, points 10
and 12), with no script error or CSP violation on the way."""

import datetime as dt

import pytest

from closeloop.actions.models import ActionItem
from closeloop.audit.models import AuditEntry
from closeloop.conftest import PASSWORD
from closeloop.record.models import Note
from closeloop.record.services.items import record_item_add
from closeloop.record.services.record import note_add, record_open
from closeloop.tests_browser.conftest import audit_flushable, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, base, username, path):  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/accounts/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")
    return page


def test_the_header_search_finds_a_person_and_their_work_only_for_those_entitled(
        browser, live_server, people, meeting):  # noqa: F811
    from playwright.sync_api import expect

    item = record_item_add(actor=people["recorder"], meeting=meeting, topic=meeting.topics.last(), data={
        "task": "提交Q3推广预算明细表", "owner": people["member"], "due": dt.date(2026, 6, 18),
        "deliverable": "预算明细表"})
    host = signed_in_page(browser, live_server.url, "host", "/meetings/")
    host.fill("#global-search-q", "王销售")
    host.keyboard.press("Enter")
    host.wait_for_url("**/search/?q=*")
    expect(host.locator("#results-people")).to_contain_text("王销售")
    expect(host.locator("#results-meetings li a")).to_have_text(meeting.title)
    expect(host.locator(f"#results-items a[href='/actions/{item.pk}/']")).to_be_visible()
    host.locator("#results-meetings li a").click()
    host.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert host.errors == []

    outsider = signed_in_page(browser, live_server.url, "outsider", "/meetings/")
    outsider.fill("#global-search-q", "王销售")
    outsider.keyboard.press("Enter")
    outsider.wait_for_url("**/search/?q=*")
    expect(outsider.locator("#results-people")).to_be_visible()
    expect(outsider.locator("#results-meetings")).to_have_count(0)
    expect(outsider.locator("#results-items")).to_have_count(0)
    assert meeting.title not in outsider.content()
    assert outsider.errors == []


def test_the_recorder_corrects_a_viewpoint_and_deletes_a_mistaken_item(
        browser, live_server, people, meeting):  # noqa: F811
    from playwright.sync_api import expect

    recorder = people["recorder"]
    record_open(actor=recorder, meeting=meeting)
    first, decide = list(meeting.topics.order_by("order"))[0], list(meeting.topics.order_by("order"))[2]
    note = note_add(actor=recorder, meeting=meeting, topic=first, text="市场部认为转化率低")
    item = record_item_add(actor=recorder, meeting=meeting, topic=decide, data={
        "task": "误录的事项", "owner": people["member"], "due": dt.date(2026, 6, 18), "deliverable": "无"})
    page = signed_in_page(browser, live_server.url, "recorder", f"/record/meetings/{meeting.pk}/")

    page.locator(f"#note-{note.pk} a.button").click()
    field = page.locator(f"#t{first.pk}-note-text")
    expect(field).to_have_value("市场部认为转化率低")
    field.fill("销售部认为转化率低")
    page.locator(f"#t{first.pk}-note form button[type=submit]").click()
    expect(page.locator(f"#note-{note.pk}")).to_contain_text("销售部认为转化率低")
    expect(page.locator(f"#t{first.pk}-note-text")).to_have_value("")  # the form is back to adding

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#item-{item.pk} form[action$='/delete/'] button").click()
    expect(page.locator(f"#item-{item.pk}")).to_have_count(0)
    assert Note.objects.get(pk=note.pk).text == "销售部认为转化率低"
    assert not ActionItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.filter(action__in=["record.note_update", "action_item.delete"]).count() == 2
    assert page.errors == []
