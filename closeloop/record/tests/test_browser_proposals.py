"""In Chromium: the recorder types a note and proposals appear beside it; one action item is accepted as read, one
is edited before saving, one is dismissed, and a decision is accepted — nothing is created without a click, and
no script error or CSP violation on the way."""

import datetime as dt

import pytest

from closeloop.actions.models import ActionItem
from closeloop.record.models import Decision, MeetingRecord
from closeloop.record.tests.test_browser import open_page
from closeloop.tests_browser.conftest import audit_flushable, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = ("请王销售明天提交渠道报告。会议决定Q3预算维持不变。请赵经理下周三前整理客户清单。"
        "请李记录节前把会议纪要发给大家。")


def test_proposals_are_accepted_edited_and_dismissed(browser, live_server, people, meeting):  # noqa: F811
    from playwright.sync_api import expect

    from closeloop.record.services.record import record_open

    record_open(actor=people["recorder"], meeting=meeting)
    assert MeetingRecord.objects.count() == 1
    topic = meeting.topics.order_by("order").first().pk
    rec = open_page(browser, live_server.url, "recorder", f"/record/meetings/{meeting.pk}/")

    rec.focus(f"#t{topic}-note-text")
    rec.keyboard.type(NOTE)  # typed, not saved: the proposals come from the text as it stands
    cards = rec.locator(f"#t{topic}-proposals [data-proposal]")
    expect(cards).to_have_count(4, timeout=8000)
    first, decision, third, fourth = (rec.locator(f"#t{topic}-prop-{i}") for i in range(1, 5))
    expect(first.locator(".proposal-task")).to_have_text("提交渠道报告")
    expect(first.locator(".proposal-owner")).to_have_text("王销售")
    expect(first.locator(".proposal-due")).to_contain_text("2026-06-16")
    expect(fourth.locator(".proposal-due")).to_contain_text("2026-06-18")  # 节前: before the Dragon Boat Festival
    assert not ActionItem.objects.exists() and not Decision.objects.exists()

    # Dismiss: gone from the page, nothing saved.
    third.locator("[data-dismiss-proposal]").click()
    expect(cards).to_have_count(3)

    # Accept the first as read: the item is saved with owner, task and due.
    first.locator("button.primary").click()
    expect(rec.locator(f"#topic-{topic}-live table.items")).to_contain_text("提交渠道报告")
    expect(cards).to_have_count(2)
    item = ActionItem.objects.get()
    assert (item.task, item.owner, item.due) == ("提交渠道报告", people["member"], dt.date(2026, 6, 16))

    # Accept the decision.
    decision.locator("button.primary").click()
    expect(rec.locator(f"#topic-{topic}-live")).to_contain_text("会议决定Q3预算维持不变")
    expect(cards).to_have_count(1)
    assert Decision.objects.get().text == "会议决定Q3预算维持不变。"

    # Edit the last: its values go into the item form, changed there, then saved by the form's own button.
    fourth.locator("button:not(.primary):not([data-dismiss-proposal])").click()
    expect(cards).to_have_count(0)
    task = rec.locator(f"#t{topic}-item-task")
    expect(task).to_have_value("把会议纪要发给大家")
    expect(rec.locator(f"#t{topic}-item-due")).to_have_value("2026-06-18")
    expect(rec.locator(f"#t{topic}-item-owner")).to_have_value(str(people["recorder"].pk))
    task.fill("把会议纪要初稿发给全体参会人")
    rec.fill(f"#t{topic}-item-deliverable", "纪要初稿")
    rec.locator(f"#t{topic}-item button[type=submit]").click()
    expect(rec.locator(f"#topic-{topic}-live table.items")).to_contain_text("把会议纪要初稿发给全体参会人")
    edited = ActionItem.objects.get(task="把会议纪要初稿发给全体参会人")
    assert (edited.owner, edited.due) == (people["recorder"], dt.date(2026, 6, 18))

    assert ActionItem.objects.count() == 2 and Decision.objects.count() == 1  # the dismissed one never was
    assert rec.errors == []
