"""Issue 12 points 1 and 2: a substitute (代参会) is invited and acts as the original; the host hears of a
decline at once and the agenda check flags a declined presenter or decision-maker. Mails go through a real
SMTP server (aiosmtpd) and the worker."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from closeloop.conftest import make_person
from closeloop.meetings.agenda import agenda_check_for
from closeloop.meetings.choices import ParticipantRole, Response
from closeloop.meetings.selectors import meetings_visible_to, person_can_edit, roles_of
from closeloop.meetings.services.notice import notice_send
from closeloop.meetings.services.planning import material_add, participant_respond, participant_set
from closeloop.notify.models import InboxItem, OutboxMessage
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def chen(org, people):
    return make_person(org, "chen", people["departments"]["sales"], name="陈静")


def member_of(meeting, people):
    return meeting.participants.get(person=people["member"])


def test_a_substitute_named_after_the_notice_is_invited_by_mail_ics_and_inbox(
        smtp_server, people, meeting, chen):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    before = len(smtp_server.messages())
    participant_respond(participant=member_of(meeting, people), response=Response.SUBSTITUTE, reason="出差",
                        substitute=chen)
    drain_outbox()
    mail = smtp_server.message_to("chen@example.com")
    later = smtp_server.messages()[before:]
    # The notice goes again only to the substitute; the original and the host get a short message each.
    assert sorted(m["To"] for m in later) == ["chen@example.com", "host@example.com", "member@example.com"]
    assert [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    [ics] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert "chen@example.com" in " ".join(str(a) for a in event.get("attendee"))
    assert InboxItem.objects.filter(recipient=chen, kind="meeting.notice").exists()
    # The original hears that they were replaced and keep read access.
    told = InboxItem.objects.get(recipient=people["member"], kind="notice.substitute")
    assert "陈静" in told.title


def test_a_substitute_has_the_originals_roles_and_may_open_the_meeting_and_its_materials(
        client, people, meeting, chen):
    material = material_add(actor=people["host"], meeting=meeting,
                            upload=SimpleUploadedFile("预读.pdf", b"%PDF-1.4 pre-read"))
    client.force_login(chen)
    detail = reverse("meetings:detail", args=[meeting.pk])
    download = reverse("meetings:material_download", args=[meeting.pk, material.pk])
    assert client.get(detail).status_code == 404  # not yet a substitute: nothing to see
    assert client.get(download).status_code == 404
    participant_respond(participant=member_of(meeting, people), response=Response.SUBSTITUTE, reason="出差",
                        substitute=chen)
    assert client.get(detail).status_code == 200
    assert client.get(download).status_code == 200
    assert roles_of(chen, meeting) == {ParticipantRole.DECISION_MAKER, ParticipantRole.EXECUTOR}
    assert not person_can_edit(chen, meeting)
    # The original keeps read access.
    assert meetings_visible_to(people["member"]).filter(pk=meeting.pk).exists()
    # Answering again without a substitute takes the access back.
    participant_respond(participant=member_of(meeting, people), response=Response.ACCEPTED)
    assert client.get(detail).status_code == 404


def test_a_decline_reaches_the_host_at_once_in_inbox_and_mail(smtp_server, people, meeting):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    participant_respond(participant=member_of(meeting, people), response=Response.DECLINED, reason="出差")
    inbox = InboxItem.objects.filter(recipient=people["host"], kind="notice.answer")
    assert inbox.count() == 0  # queued in the answering transaction; the worker delivers it
    drain_outbox()
    [item] = inbox
    assert "王销售" in item.title and "已拒绝" in item.title
    assert item.link.endswith(reverse("meetings:detail", args=[meeting.pk]))
    mails = [m for m in smtp_server.messages() if "host@example.com" in m["To"] and "已拒绝" in str(m["Subject"])]
    assert len(mails) == 1
    assert "原因：出差" in mails[0].get_body(("plain",)).get_content()
    # Nobody but the hosts is told.
    assert not OutboxMessage.objects.filter(kind="notice.answer").exclude(recipient=people["host"]).exists()


def test_the_agenda_check_flags_a_declined_presenter_and_decision_maker(people, meeting):
    topic = meeting.topics.order_by("order")[2]
    topic.presenter = people["member"]
    topic.save()
    participant_respond(participant=member_of(meeting, people), response=Response.DECLINED, reason="出差")
    findings = {f.rule: f for f in agenda_check_for(meeting).findings}
    assert findings["presenter_declined"].message == "议题3 的主讲人 王销售 已拒绝"
    assert findings["presenter_declined"].blocking  # roles_mode blocks by default
    assert "王销售" in findings["decision_maker_declined"].message
    with pytest.raises(ValidationError) as refused:
        notice_send(actor=people["host"], meeting=meeting)
    assert "议题3 的主讲人 王销售 已拒绝" in str(refused.value)


def test_the_declined_findings_follow_the_policy_warn_mode(people, meeting):
    policy = policy_for(meeting.organisation)
    policy.roles_mode = "warn"
    policy.save()
    topic = meeting.topics.order_by("order")[2]
    topic.presenter = people["member"]
    topic.save()
    participant_respond(participant=member_of(meeting, people), response=Response.DECLINED, reason="出差")
    findings = {f.rule: f for f in agenda_check_for(meeting).findings}
    assert findings["presenter_declined"].severity == "warn"
    notice_send(actor=people["host"], meeting=meeting)  # warnings do not stop the notice


def test_a_substitute_is_not_a_declined_presenter(people, meeting, chen):
    topic = meeting.topics.order_by("order")[2]
    topic.presenter = people["member"]
    topic.save()
    participant_respond(participant=member_of(meeting, people), response=Response.SUBSTITUTE, reason="出差",
                        substitute=chen)
    findings = {f.rule: f for f in agenda_check_for(meeting).findings}
    assert "presenter_declined" not in findings and "decision_maker_declined" not in findings
    # Someone attends: the host is pointed at it, without stopping the notice.
    assert findings["presenter_substituted"].message == "议题3 的主讲人 王销售 已拒绝，由 陈静 代参会"
    assert not findings["presenter_substituted"].blocking
    assert "陈静" in findings["decision_maker_substituted"].message


def test_the_agenda_check_page_shows_the_decline_to_the_host(client, people, meeting):
    participant_set(actor=people["host"], meeting=meeting, person=people["outsider"],
                    roles=[ParticipantRole.PRESENTER])
    topic = meeting.topics.order_by("order")[0]
    topic.presenter = people["outsider"]
    topic.save()
    participant_respond(participant=meeting.participants.get(person=people["outsider"]),
                        response=Response.DECLINED, reason="休假")
    client.force_login(people["host"])
    html = client.get(reverse("meetings:agenda_check", args=[meeting.pk])).content.decode()
    assert "议题1 的主讲人 钱财务 已拒绝" in html
