"""In Chromium: the host plans a meeting with four topics, the agenda check objects, the host fixes the agenda
and sends the notice, which arrives by SMTP."""

import datetime as dt

import pytest
from django.utils import timezone

from closeloop.conftest import PASSWORD
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.models import Meeting
from closeloop.notify.worker import drain_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPICS = [  # title, kind, minutes, required outcome: 100 min for a 90 min meeting
    ("Q2推广活动复盘", "inform", 20, ""),
    ("Q3推广目标及策略", "discuss", 25, ""),
    ("渠道资源评审", "discuss", 25, ""),
    ("部门分工与预算", "decide", 30, "确定分工与预算"),
]


def _meeting_day():
    """A weekday about three weeks ahead, so the notice lead time is no concern."""
    day = timezone.localdate() + dt.timedelta(days=21)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/meetings/")


def _add_topic(page, title, kind, minutes, outcome, count):
    from playwright.sync_api import expect

    form = page.locator("#topic-add-form")
    form.locator("[name=title]").fill(title)
    form.locator("[name=kind]").select_option(kind)
    form.locator("[name=presenter]").select_option(label="张主持")
    form.locator("[name=minutes]").fill(str(minutes))
    form.locator("[name=required_outcome]").fill(outcome)
    form.locator("button[type=submit]").click()
    expect(page.locator("#topics ol.topics > li")).to_have_count(count)
    # The form stays open with the cursor in the title, ready for the next topic.
    expect(page.locator("#topic-add-form [name=title]")).to_be_focused()


def test_the_host_plans_a_meeting_fixes_the_agenda_and_sends_the_notice(page, live_server, people, smtp_server):
    from playwright.sync_api import expect

    base = live_server.url
    _log_in(page, base, "host")

    # Plan the meeting.
    page.click("a[href='/meetings/new/']")
    day = _meeting_day().isoformat()
    page.select_option("#id_type", "decision")
    page.fill("#id_title", "Q3推广跨部门协作会")
    page.fill("#id_objective", "确定Q3推广分工与预算")
    page.fill("#id_start", f"{day}T10:00")
    page.fill("#id_end", f"{day}T11:30")
    page.fill("#id_place", "3楼会议室A")
    page.select_option("#id_recorder", label="李记录")
    page.click("form.meetingform button[type=submit]")
    page.wait_for_url(f"{base}/meetings/*/")
    meeting = Meeting.objects.get(title="Q3推广跨部门协作会")
    assert timezone.localtime(meeting.start).strftime("%H:%M") == "10:00"

    # Four topics, typed one after another without leaving the page.
    for count, (title, kind, minutes, outcome) in enumerate(TOPICS, start=1):
        _add_topic(page, title, kind, minutes, outcome, count)
    assert meeting.topics.count() == 4

    # The agenda check panel reloaded itself: too long, and a decision without a decision-maker.
    panel = page.locator("#agenda-check")
    expect(panel.locator("[data-rule=decision_maker].block")).to_have_count(1)
    expect(panel.locator("[data-rule=meeting_minutes]")).to_have_count(1)

    # Sending is refused while a rule blocks, and nothing is mailed.
    page.click("#send-notice button[type=submit]")
    page.wait_for_url(f"{base}/meetings/{meeting.pk}/")
    expect(page.locator(".messages li.error")).to_have_count(1)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT
    drain_outbox()
    assert smtp_server.messages() == []

    # With the keyboard alone, move the decision topic up twice: the focus follows it.
    last = meeting.topics.get(title="部门分工与预算")
    page.locator(f"#topic-{last.pk} button[value=up]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#topics ol.topics > li").nth(2)).to_have_id(f"topic-{last.pk}")
    expect(page.locator(f"#topic-{last.pk} button[value=up]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#topics ol.topics > li").nth(1)).to_have_id(f"topic-{last.pk}")
    assert list(meeting.topics.values_list("title", flat=True)) == [
        "Q2推广活动复盘", "部门分工与预算", "Q3推广目标及策略", "渠道资源评审"]

    # Fix it: invite the decision-maker, and shorten the last topic by 15 minutes.
    page.click("#participants summary")
    invite = page.locator("#participant-add-form")
    invite.locator("[name=person]").select_option(label="王销售")
    invite.locator("input[name=roles][value=decision_maker]").check()
    invite.locator("input[name=required]").check()
    invite.locator("button[type=submit]").click()
    expect(page.locator("#participants ul.participants > li")).to_have_count(3)
    expect(panel.locator("[data-rule=decision_maker]")).to_have_count(0)
    # The choosers follow the page's shared list: the invited person leaves the invite chooser and joins the
    # presenters' "participants" group.
    expect(page.locator("#participant-add-form [name=person] option", has_text="王销售")).to_have_count(0)
    expect(page.locator("#topic-add-form [name=presenter] optgroup").first.locator("option", has_text="王销售")
           ).to_have_count(1)

    page.locator(f"#topic-{last.pk} .row-actions a").first.click()
    edit = page.locator(f"#topic-{last.pk} form.inlineform")
    expect(edit.locator("[name=title]")).to_be_focused()
    edit.locator("[name=minutes]").fill("15")
    edit.locator("button[type=submit]").click()
    expect(page.locator(f"#topic-{last.pk} form.inlineform")).to_have_count(0)
    expect(page.locator(f"#topic-{last.pk} .minutes")).to_contain_text("15")
    expect(page.locator(f"#topic-{last.pk} .row-actions a")).to_be_focused()  # the keyboard stays on it
    expect(panel.locator("[data-rule=meeting_minutes]")).to_have_count(0)
    expect(panel.locator(".finding.block")).to_have_count(0)

    # Send the notice; the worker delivers it over SMTP to everyone invited.
    page.click("#send-notice button[type=submit]")
    page.wait_for_url(f"{base}/meetings/{meeting.pk}/")
    expect(page.locator(".messages li.success")).to_have_count(1)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTICED
    assert drain_outbox() == 6  # three mails and the three inbox entries beside them
    mail = smtp_server.message_to("member@example.com")
    assert "Q3推广跨部门协作会" in mail["Subject"]
    assert any(part.get_content_type() == "text/calendar" for part in mail.walk())
    assert {m["To"] for m in smtp_server.messages()} == {"host@example.com", "recorder@example.com",
                                                          "member@example.com"}
    assert page.errors == []
