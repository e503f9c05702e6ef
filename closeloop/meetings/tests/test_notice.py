"""The meeting notice end to end: services → outbox → worker → a real SMTP server → mails and .ics read back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar

from closeloop.audit.models import AuditEntry
from closeloop.conftest import at, make_person
from closeloop.meetings.choices import MeetingState, ParticipantRole
from closeloop.meetings.services.notice import meeting_cancel, notice_send
from closeloop.meetings.services.planning import (
    meeting_update,
    participant_remove,
    participant_respond,
    participant_set,
)
from closeloop.notify.models import OutboxMessage
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db
EMAILS = {"host@example.com", "recorder@example.com", "member@example.com", "boss@example.com"}


@pytest.fixture
def boss(org, people, meeting):
    """A superior in copy (cc): receives the notice, not asked to attend."""
    person = make_person(org, "boss", people["departments"]["market"], name="孙总")
    participant_set(actor=people["host"], meeting=meeting, person=person, roles=[ParticipantRole.CC], required=False)
    return person


def invite_of(mail):
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_content())


def subject_of(mail):
    return str(mail["Subject"]).strip()  # Python's parser keeps the space of a folded encoded header


def text_of(mail):
    return mail.get_body(("plain",)).get_content()


def attendees(event):
    found = event.get("attendee")
    return {str(a).removeprefix("mailto:"): a for a in (found if isinstance(found, list) else [found])}


def test_the_notice_sends_one_mail_per_recipient_in_their_language(smtp_server, people, meeting, boss):  # noqa: F811
    result = notice_send(actor=people["host"], meeting=meeting)
    assert len(result.queued) == 4
    assert drain_outbox() == 8  # a mail and an inbox entry each
    mails = smtp_server.messages()
    assert {m["To"] for m in mails} == EMAILS

    zh, en = smtp_server.message_to("recorder@example.com"), smtp_server.message_to("member@example.com")
    assert zh["Content-Language"] == "zh-hans" and en["Content-Language"] == "en"
    zh_text, en_text = text_of(zh), text_of(en)
    assert "2026年6月15日" in zh_text and "星期一" in zh_text  # the date in Chinese
    assert "June 15, 2026" in en_text and "Monday" in en_text
    assert "2026年6月15日" in subject_of(zh) and "June 15, 2026" in subject_of(en)
    for text in (zh_text, en_text):
        assert "项目Q3推广跨部门协作会" in text and "确定Q3推广分工" in text and "3楼会议室A" in text
        # topics with their computed start times, presenter and the required outcome (必达结论)
        assert "14:00  1. Q2推广活动复盘" in text
        assert "14:20  2. Q3推广目标及策略" in text
        assert "14:45  3. 部门分工与资源协调" in text
        assert "确认分工" in text and "张主持" in text
        assert "王销售" in text and "孙总" in text  # participants listed
    assert "June 12, 2026" in en_text  # pre-read one working day before (Friday)
    assert "2026年6月12日" in zh_text
    member_token = meeting.participants.get(person=people["member"]).token
    assert f"http://127.0.0.1:8000/meetings/respond/{member_token}/" in en_text
    assert "确认分工" in en.get_body(("html",)).get_content()


def test_the_invite_is_a_calendar_request_with_organizer_attendees_and_time_zone(
    smtp_server, people, meeting, boss,  # noqa: F811
):
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    part, cal = invite_of(smtp_server.message_to("member@example.com"))
    assert part.get_param("method") == "REQUEST"
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = cal.events
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 0
    assert str(event["ORGANIZER"]) == "mailto:host@example.com"
    assert event["ORGANIZER"].params["CN"] == "张主持"
    assert event.start == at(2026, 6, 15, 14) and event.end == at(2026, 6, 15, 15, 30)
    assert str(event.start.tzinfo) == "Asia/Shanghai"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(event["SUMMARY"]) == "项目Q3推广跨部门协作会"
    assert str(event["LOCATION"]) == "3楼会议室A"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "部门分工与资源协调" in str(event["DESCRIPTION"])
    found = attendees(event)
    assert set(found) == EMAILS
    assert found["member@example.com"].params["ROLE"] == "REQ-PARTICIPANT"
    assert found["member@example.com"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert found["member@example.com"].params["RSVP"] == "TRUE"
    assert found["boss@example.com"].params["ROLE"] == "NON-PARTICIPANT"


def test_the_first_notice_marks_the_meeting_noticed_and_is_audited(people, meeting):
    notice_send(actor=people["host"], meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTICED
    assert meeting.notice_sequence == 0 and meeting.notice_sent_at is not None
    assert not meeting.notice_outdated
    assert AuditEntry.objects.filter(action="meeting.notice", object_id=str(meeting.pk)).count() == 1
    assert set(OutboxMessage.objects.filter(channel="email").values_list("idempotency_key", flat=True)) == {
        f"notice:{meeting.pk}:0:{people[name].pk}" for name in ("host", "recorder", "member")
    }


def test_a_time_change_on_a_noticed_meeting_sends_an_update_with_sequence_1(smtp_server, people, meeting):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    first_sent_at = meeting.notice_sent_at
    smtp_server.envelopes.clear()
    meeting.refresh_from_db()
    meeting_update(actor=people["host"], meeting=meeting, version=meeting.version,
                   data={"start": at(2026, 6, 16, 9), "end": at(2026, 6, 16, 10, 30)})
    meeting.refresh_from_db()
    assert meeting.notice_sequence == 1 and meeting.notice_sent_at == first_sent_at
    assert drain_outbox() == 6  # a mail and an inbox entry each
    en, zh = smtp_server.message_to("member@example.com"), smtp_server.message_to("host@example.com")
    assert subject_of(en).startswith("[Update] Meeting notice: ")
    with translation.override("zh-hans"):
        assert subject_of(zh).startswith(gettext("[Update]") + " ")
    _part, cal = invite_of(en)
    [event] = cal.events
    assert event["SEQUENCE"] == 1 and str(event["UID"]) == meeting.ical_uid
    assert event.start == at(2026, 6, 16, 9)
    assert "09:00  1. Q2推广活动复盘" in text_of(en)
    assert AuditEntry.objects.filter(action="meeting.notice_update").count() == 1


def test_a_change_inside_the_meeting_marks_the_notice_outdated_until_it_is_sent_again(people, meeting):
    notice_send(actor=people["host"], meeting=meeting)
    participant_set(actor=people["host"], meeting=meeting, person=people["head"], roles=[ParticipantRole.INFORMED])
    meeting.refresh_from_db()
    assert meeting.notice_outdated
    result = notice_send(actor=people["host"], meeting=meeting)
    meeting.refresh_from_db()
    assert result.update and meeting.notice_sequence == 1 and not meeting.notice_outdated
    assert f"notice:{meeting.pk}:1:{people['head'].pk}" in [m.idempotency_key for m in result.queued]


def test_only_editors_send_the_notice(people, meeting):
    with pytest.raises(PermissionDenied):
        notice_send(actor=people["member"], meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT and not OutboxMessage.objects.exists()


def test_it_refuses_the_notice_while_the_agenda_check_blocks(people, meeting):
    pytest.importorskip("closeloop.meetings.agenda")
    member = meeting.participants.get(person=people["member"])
    participant_remove(actor=people["host"], participant=member)  # no decision-maker left: a blocking rule
    with pytest.raises(ValidationError) as refused:
        notice_send(actor=people["host"], meeting=meeting)
    assert "agenda" in refused.value.error_dict
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT and not OutboxMessage.objects.exists()


def test_a_substitute_receives_the_notice_in_place_of_the_participant(smtp_server, people, meeting):  # noqa: F811
    member = meeting.participants.get(person=people["member"])
    participant_respond(participant=member, response="substitute", reason="出差", substitute=people["outsider"])
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    mail = smtp_server.message_to("outsider@example.com")
    assert "王销售" in text_of(mail)
    assert "/meetings/respond/" not in text_of(mail)  # the substitute has no answer link of their own
    _part, cal = invite_of(mail)
    found = attendees(cal.events[0])
    assert found["member@example.com"].params["PARTSTAT"] == "DELEGATED"
    assert found["outsider@example.com"].params["DELEGATED-FROM"] == "mailto:member@example.com"


def test_people_without_an_email_address_are_skipped_and_reported(people, meeting):
    people["member"].email = ""
    people["member"].save()
    result = notice_send(actor=people["host"], meeting=meeting)
    assert [p.pk for p in result.skipped] == [people["member"].pk]
    assert OutboxMessage.objects.filter(channel="email").count() == 2
    # Without an address they still find the notice in their inbox.
    assert OutboxMessage.objects.filter(channel="inbox", recipient=people["member"]).count() == 1


def test_the_pre_read_date_says_when_the_calendar_only_assumes_it(smtp_server, people, meeting):  # noqa: F811
    meeting.refresh_from_db()
    meeting_update(actor=people["host"], meeting=meeting, data={"start": at(2031, 3, 3, 10),
                                                                "end": at(2031, 3, 3, 11, 30)})
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    text = text_of(smtp_server.message_to("member@example.com"))
    assert "Feb. 28, 2031 (Friday)" in text  # Friday before Monday 3 March, on a Monday–Friday guess
    assert "does not know this year" in text


def test_cancelling_needs_a_reason(people, meeting):
    with pytest.raises(ValidationError) as refused:
        meeting_cancel(actor=people["host"], meeting=meeting, reason="  ")
    assert "reason" in refused.value.error_dict
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT


def test_cancelling_a_draft_sends_nothing(people, meeting):
    meeting_cancel(actor=people["host"], meeting=meeting, reason="需求取消")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED and meeting.cancel_reason == "需求取消"
    assert not OutboxMessage.objects.exists()
    assert AuditEntry.objects.filter(action="meeting.cancel").count() == 1


def test_cancelling_a_noticed_meeting_sends_a_calendar_cancel_with_the_next_sequence(
    smtp_server, people, meeting,  # noqa: F811
):
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    smtp_server.envelopes.clear()
    meeting_cancel(actor=people["host"], meeting=meeting, reason="领导出差，改期另行通知")
    assert drain_outbox() == 6  # a mail and an inbox entry each
    mail = smtp_server.message_to("member@example.com")
    assert "领导出差，改期另行通知" in text_of(mail)
    part, cal = invite_of(mail)
    assert part.get_param("method") == "CANCEL"
    assert str(cal["METHOD"]) == "CANCEL"
    [event] = cal.events
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert str(event["UID"]) == meeting.ical_uid
    with pytest.raises(ValidationError):  # a cancelled meeting takes no further notice
        notice_send(actor=people["host"], meeting=meeting)


def html_of(mail):
    return mail.get_body(("html",)).get_content()


def test_roles_are_joined_in_the_recipients_language_in_both_parts(smtp_server, people, meeting):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)  # 王销售 is decision-maker and executor
    drain_outbox()
    zh, en = smtp_server.message_to("recorder@example.com"), smtp_server.message_to("member@example.com")
    with translation.override("zh-hans"):
        zh_roles = gettext("Decision-maker") + "、" + gettext("Executor")
    for mail, roles in ((zh, zh_roles), (en, "Decision-maker, Executor")):
        text, html = text_of(mail), html_of(mail)
        assert f"王销售 (销售部): {roles}\r\n" in text and roles in html  # the same content in both parts
        assert "['" not in text and "[&#x27;" not in html
