"""Someone taken off a noticed meeting gets the invite withdrawn (issue 8, point 9): a METHOD:CANCEL for the
meeting's UID to them alone, so it leaves their calendar, while the others' invites stand."""

import pytest

from closeloop.meetings.services.notice import notice_send
from closeloop.meetings.services.planning import participant_remove
from closeloop.meetings.tests.test_notice import invite_of, subject_of, text_of
from closeloop.notify.models import OutboxMessage
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db


def test_removing_someone_from_a_noticed_meeting_cancels_their_invite_only(smtp_server, people, meeting):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    smtp_server.envelopes.clear()
    meeting.refresh_from_db()
    sequence = meeting.notice_sequence
    member = people["member"]
    member.language = "zh-hans"  # the withdrawal speaks the removed person's language
    member.save(update_fields=["language"])
    participant_remove(actor=people["host"], participant=meeting.participants.get(person=people["member"]))
    drain_outbox()
    assert {rcpt for env in smtp_server.envelopes for rcpt in env.rcpt_tos} == {"member@example.com"}
    mail = smtp_server.message_to("member@example.com")
    assert subject_of(mail).startswith("已取消对您的会议邀请") and "无需出席" in text_of(mail)
    part, cal = invite_of(mail)
    assert part.get_param("method") == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
    [event] = cal.events
    assert str(event["UID"]) == meeting.ical_uid and str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] > sequence  # later than the invite they hold, or calendars ignore it


def test_removing_someone_before_the_notice_sends_nothing(people, meeting):
    participant_remove(actor=people["host"], participant=meeting.participants.get(person=people["member"]))
    assert not OutboxMessage.objects.exists()
