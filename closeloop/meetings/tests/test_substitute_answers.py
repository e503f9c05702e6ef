"""Issue 12 point 1: a substitute (代参会) answers the invitation themselves, from the meeting page: they accept,
or they cannot come either (with a reason). The person they stand in for is told either way; on a decline the
host is told too, the agenda check sees the gap again and the substitute holds the roles no more."""

import pytest
from django.urls import reverse

from closeloop.conftest import make_person
from closeloop.meetings.agenda import agenda_check_for
from closeloop.meetings.choices import ParticipantRole, Response
from closeloop.meetings.selectors import roles_of
from closeloop.meetings.services.notice import notice_send
from closeloop.meetings.services.planning import participant_respond
from closeloop.notify.models import InboxItem
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def chen(org, people):
    return make_person(org, "chen", people["departments"]["sales"], name="陈静")


@pytest.fixture
def stood(people, meeting, chen):
    """王销售 (member, presenter of topic 3) sends 陈静 in their place."""
    topic = meeting.topics.order_by("order")[2]
    topic.presenter = people["member"]
    topic.save()
    return participant_respond(participant=meeting.participants.get(person=people["member"]),
                               response=Response.SUBSTITUTE, reason="出差", substitute=chen)


def url(meeting, participant):
    return reverse("meetings:substitute_respond", args=[meeting.pk, participant.pk])


def test_the_substitute_sees_their_own_answer_form_on_the_meeting_page(client, people, meeting, chen, stood):
    client.force_login(chen)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'id="substitute-answer-{stood.pk}"' in page and f'action="{url(meeting, stood)}"' in page
    assert "王销售" in page.split(f'id="substitute-answer-{stood.pk}"')[1].split("</h2>")[0]


def test_the_substitute_accepts_and_the_original_is_told(client, people, meeting, chen, stood):
    client.force_login(chen)
    answer = client.post(url(meeting, stood), {f"sub{stood.pk}-response": "accepted"})
    assert answer.status_code == 302
    stood.refresh_from_db()
    assert stood.substitute_response == Response.ACCEPTED and stood.substitute_responded_at is not None
    drain_outbox()
    [told] = InboxItem.objects.filter(recipient=people["member"], kind="notice.substitute_answer")
    assert "陈静" in told.title
    assert not InboxItem.objects.filter(recipient=people["host"], kind="notice.answer",
                                        title__contains="陈静").exclude(title__contains="王销售").exists()
    assert ParticipantRole.DECISION_MAKER in roles_of(chen, meeting)
    participants = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert '<span class="badge response-accepted">已接受</span>' in participants


def test_a_substitute_who_cannot_come_either_tells_the_original_and_the_host(
        smtp_server, client, people, meeting, chen, stood):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    client.force_login(chen)
    missing = client.post(url(meeting, stood), {f"sub{stood.pk}-response": "declined"})
    assert missing.status_code == 422 and 'class="field invalid"' in missing.content.decode()  # reason, by its field
    answer = client.post(url(meeting, stood), {f"sub{stood.pk}-response": "declined",
                                               f"sub{stood.pk}-reason": "同日出差"})
    assert answer.status_code == 302
    drain_outbox()
    [told] = InboxItem.objects.filter(recipient=people["member"], kind="notice.substitute_answer")
    assert "陈静" in told.title and "同日出差" in told.body
    assert InboxItem.objects.filter(recipient=people["host"], kind="notice.answer", title__contains="陈静").exists()
    assert any("member@example.com" in m["To"] and "陈静" in str(m["Subject"]) for m in smtp_server.messages())
    # Nobody attends for 王销售 now: the agenda check sees a declined presenter, and 陈静 holds no role.
    findings = {f.rule: f for f in agenda_check_for(meeting).findings}
    assert "presenter_declined" in findings and "presenter_substituted" not in findings
    assert roles_of(chen, meeting) == frozenset()
    # 陈静 still sees the meeting, and may change her mind.
    client.post(url(meeting, stood), {f"sub{stood.pk}-response": "accepted"})
    stood.refresh_from_db()
    assert stood.substitute_response == Response.ACCEPTED


def test_a_new_substitute_starts_without_an_answer(people, meeting, chen, stood, org):
    stood.substitute_response = Response.DECLINED
    stood.save()
    other = make_person(org, "liu", people["departments"]["sales"], name="刘洋")
    participant_respond(participant=stood, response=Response.SUBSTITUTE, reason="出差", substitute=other)
    stood.refresh_from_db()
    assert stood.substitute_response == Response.PENDING and stood.substitute_reason == ""


@pytest.mark.parametrize("who", ["member", "host", "outsider"])
def test_only_the_substitute_answers_for_themselves(client, people, meeting, chen, stood, who):
    client.force_login(people[who])
    answer = client.post(url(meeting, stood), {f"sub{stood.pk}-response": "accepted"})
    assert answer.status_code == 404
    stood.refresh_from_db()
    assert stood.substitute_response == Response.PENDING


def test_the_substitutes_notice_says_where_to_answer(smtp_server, people, meeting, chen, stood):  # noqa: F811
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    text = smtp_server.message_to("chen@example.com").get_body(("plain",)).get_content()
    assert "请在会议页面答复" in text and f"/meetings/{meeting.pk}/" in text
