"""An update of the notice goes out once per change set, and says what changed (issue 12, point 14)."""

import pytest
from django.core.exceptions import ValidationError

from closeloop.conftest import at
from closeloop.meetings.services.notice import notice_send
from closeloop.meetings.services.planning import meeting_update, participant_set, topic_add
from closeloop.notify.models import OutboxMessage
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db


def updates():
    # The mails: every notice also leaves an in-app entry beside each mail.
    return OutboxMessage.objects.filter(kind="meeting.notice", channel="email").exclude(
        idempotency_key__contains=":0:")


def test_saving_a_noticed_meeting_sends_the_update_once_and_the_button_has_nothing_more(people, meeting):
    first = notice_send(actor=people["host"], meeting=meeting)
    recipients = len(first.queued)
    meeting_update(actor=people["host"], meeting=meeting, data={"start": at(2026, 6, 16, 14),
                                                                "end": at(2026, 6, 16, 15, 30)})
    assert updates().count() == recipients
    with pytest.raises(ValidationError) as refused:
        notice_send(actor=people["host"], meeting=meeting)
    assert "notice" in refused.value.message_dict
    assert updates().count() == recipients


def test_the_send_update_button_is_gone_once_the_save_sent_it(client, people, meeting):
    notice_send(actor=people["host"], meeting=meeting)
    meeting_update(actor=people["host"], meeting=meeting, data={"place": "5楼会议室"})
    client.force_login(people["host"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "notice/" not in page.split('id="send-notice"')[1].split("</p>")[0]
    sent = updates().count()
    client.post(f"/meetings/{meeting.pk}/notice/")
    assert updates().count() == sent


def test_topic_and_participant_changes_go_out_together_when_the_host_sends_them(people, meeting):
    notice_send(actor=people["host"], meeting=meeting)
    topic_add(actor=people["host"], meeting=meeting, data={"order": 4, "title": "预算确认", "minutes": 10,
                                                          "kind": "inform"})
    participant_set(actor=people["host"], meeting=meeting, person=people["head"], roles=["informed"])
    assert updates().count() == 0
    result = notice_send(actor=people["host"], meeting=meeting)
    assert result.update and updates().count() == len(result.queued)


def test_the_update_mail_says_what_changed_in_each_language(smtp_server, people, meeting):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)
    topic_add(actor=people["host"], meeting=meeting, data={"order": 4, "title": "预算确认", "minutes": 10,
                                                          "kind": "inform"})
    meeting_update(actor=people["host"], meeting=meeting, data={"place": "5楼会议室"})
    drain_outbox()
    updated = [m for m in smtp_server.messages() if "预算确认" in m.get_body(("plain",)).get_content()
               and "3楼会议室A" in m.get_body(("plain",)).get_content()]
    zh = next(m for m in updated if m["To"] == "recorder@example.com").get_body(("plain",)).get_content()
    en = next(m for m in updated if m["To"] == "member@example.com").get_body(("plain",)).get_content()
    assert "变更内容" in zh and "新增议题：预算确认" in zh and "3楼会议室A → 5楼会议室" in zh
    assert "What changed" in en and "Topic added: 预算确认" in en and "3楼会议室A → 5楼会议室" in en
    html = next(m for m in updated if m["To"] == "member@example.com").get_body(("html",)).get_content()
    assert "<li>Topic added: 预算确认" in html
