"""In Chromium: the recorder keeps the live record by keyboard while a participant watches the same page update
by itself — sign-in with an absence, a note, the timer, an action item with the SMART check inline, closing
after the loop check — with no script error or CSP violation on the way."""

import time

import pytest

from closeloop.conftest import PASSWORD
from closeloop.record.models import MeetingRecord, TopicRecord
from closeloop.tests_browser.conftest import audit_flushable, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_page(browser, base, username, path):  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    response = page.goto(f"{base}/accounts/login/?next={path}")
    assert response.status == 200, page.content()[:2000]
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")
    return page


def test_a_live_record_kept_by_keyboard_and_watched_by_a_participant(browser, live_server, people, meeting):  # noqa: F811
    from playwright.sync_api import expect

    base, path = live_server.url, f"/record/meetings/{meeting.pk}/"
    topics = list(meeting.topics.order_by("order"))
    first, decide = topics[0].pk, topics[2].pk

    rec = open_page(browser, base, "recorder", path)
    expect(rec.locator("#start button[type=submit]")).to_be_focused()
    rec.keyboard.press("Enter")  # start the record
    expect(rec.locator("#sign-in")).to_be_visible()
    watcher = open_page(browser, base, "member", path)
    expect(watcher.locator("#attendance-form")).to_have_count(0)  # reads, no forms

    # Sign-in: the host present from the list, the member absent with a reason through the form.
    # Located by what the button sends, not by its label: the recorder reads the page in Chinese.
    rec.locator(f"#signin-{people['host'].pk} form:has(input[name=presence][value=present]) button").click()
    expect(rec.locator(f"#signin-{people['host'].pk} .badge.presence-present")).to_be_visible()
    rec.locator(f"#signin-{people['member'].pk} a.button").click()
    expect(rec.locator("#att-presence")).to_be_focused()
    rec.keyboard.press("Tab")
    rec.keyboard.type("客户拜访")
    rec.keyboard.press("Enter")
    expect(rec.locator(f"#signin-{people['member'].pk} .badge.presence-absent")).to_be_visible()
    started = time.monotonic()
    expect(watcher.locator(f"#signin-{people['member'].pk}")).to_contain_text("客户拜访", timeout=8000)
    assert time.monotonic() - started < 7  # polled every 3 s

    # A note: Enter saves it and leaves the cursor in a fresh field for the next one.
    rec.focus(f"#t{first}-note-text")
    rec.keyboard.type("市场部:Q2线上转化率仅3%")
    rec.keyboard.press("Enter")
    expect(rec.locator(f"#topic-{first}-live .notes")).to_contain_text("Q2线上转化率仅3%")
    expect(rec.locator(f"#t{first}-note-text")).to_be_focused()
    expect(rec.locator(f"#t{first}-note-text")).to_have_value("")
    expect(watcher.locator(f"#topic-{first}-live .notes")).to_contain_text("Q2线上转化率仅3%", timeout=8000)

    # The timer counts down in the page and is flagged once over budget.
    rec.locator(f"#topic-{first}-live button[value=start]").click()
    expect(rec.locator(f"#topic-{first}-live button[value=stop]")).to_be_focused()
    clock = rec.locator(f"#topic-{first}-live [data-clock]")
    shown = clock.inner_text()
    expect(clock).not_to_have_text(shown, timeout=3000)
    TopicRecord.objects.filter(topic_id=first).update(elapsed_seconds=topics[0].minutes * 60 + 30)
    rec.reload()
    expect(rec.locator(f"#topic-{first}-live .timer")).to_have_class("timer over running")
    expect(rec.locator(f"#topic-{first}-live .overflag")).to_be_visible()
    assert rec.locator(f"#topic-{first}-live [data-clock]").inner_text().startswith("+")

    # An action item: the SMART check speaks while typing; a missing owner refuses the save naming the field.
    rec.focus(f"#t{decide}-item-task")
    rec.keyboard.type("尽快提交推广方案")
    expect(rec.locator(f"#t{decide}-smart")).to_contain_text("尽快", timeout=5000)
    rec.fill(f"#t{decide}-item-deliverable", "推广方案经市场部经理审批")
    rec.fill(f"#t{decide}-item-due", "2026-06-18")
    rec.locator(f"#t{decide}-item button[type=submit]").click()
    expect(rec.locator(f"#t{decide}-item .field.invalid #t{decide}-item-owner")).to_be_visible()
    rec.select_option(f"#t{decide}-item-owner", str(people["recorder"].pk))
    rec.check(f"#t{decide}-item-owner_confirmed")
    rec.locator(f"#t{decide}-item button[type=submit]").click()
    expect(rec.locator(f"#topic-{decide}-live table.items")).to_contain_text("尽快提交推广方案")
    expect(rec.locator(f"#t{decide}-smart .finding").first).to_contain_text("尽快")  # saved with its warning

    # Closing lists what is open (the decide topic has no decision); confirmed, it closes for everyone.
    expect(rec.locator('#loop-check [data-rule="decide_topic_without_decision"]')).to_be_visible()
    rec.locator("#loop-check button[type=submit]").click()
    expect(rec.locator("#loop-check .errorsummary")).to_be_visible(timeout=15000)  # refused: confirm first
    assert MeetingRecord.objects.get().state == "open"
    rec.check("#close-force")
    rec.locator("#loop-check button[type=submit]").click()
    # Closing reloads the page (HX-Refresh) and the watcher learns of it by polling: generous waits under load.
    expect(rec.locator(".badge.record-closed")).to_be_visible(timeout=15000)
    expect(watcher.locator(".badge.record-closed")).to_be_visible(timeout=15000)
    assert MeetingRecord.objects.get().state == "closed"

    assert rec.errors == [] and watcher.errors == []
