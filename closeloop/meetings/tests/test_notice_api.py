"""The notice through the REST API: send, cancel, answer and the .ics download, with the permission matrix."""

import pytest
from icalendar import Calendar

from closeloop.conftest import make_person
from closeloop.meetings.choices import MeetingState, Response
from closeloop.meetings.services.planning import participant_set
from closeloop.notify.models import OutboxMessage
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.org.models import ApiToken, Organisation

pytestmark = pytest.mark.django_db


def api(client, person, method, path, payload=None):
    secret = ApiToken.new_secret()
    ApiToken.objects.create(person=person, name="test", prefix=secret[:8], digest=ApiToken.hash(secret))
    call = getattr(client, method)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if payload is not None:
        kwargs.update(data=payload, content_type="application/json")
    return call(f"/api/v1/meetings/{path}", **kwargs)


def test_the_host_sends_the_notice_and_the_worker_delivers_it(client, people, meeting, smtp_server):  # noqa: F811
    answer = api(client, people["host"], "post", f"{meeting.pk}/notice")
    assert answer.status_code == 200
    body = answer.json()
    assert body["state"] == MeetingState.NOTICED and body["notice_sequence"] == 0 and not body["update"]
    assert body["queued"] == 3 and body["notice_sent_at"]
    drain_outbox()
    assert len(smtp_server.messages()) == 3
    unchanged = api(client, people["host"], "post", f"{meeting.pk}/notice")
    assert unchanged.status_code == 422 and "notice" in unchanged.json()["errors"]
    participant_set(actor=people["host"], meeting=meeting, person=people["head"], roles=["informed"])
    again = api(client, people["host"], "post", f"{meeting.pk}/notice").json()
    assert again["update"] and again["notice_sequence"] == 1


def test_sending_twice_never_duplicates_a_recipients_mail_for_one_sequence(client, people, meeting):
    api(client, people["host"], "post", f"{meeting.pk}/notice")
    keys = list(OutboxMessage.objects.filter(channel="email").values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys)) == 3


@pytest.mark.parametrize("path,payload", [("notice", None), ("cancel", {"reason": "x"})])
def test_a_visible_non_editor_gets_403_and_an_outsider_404(client, people, meeting, path, payload):
    assert api(client, people["member"], "post", f"{meeting.pk}/{path}", payload).status_code == 403
    assert api(client, people["head"], "post", f"{meeting.pk}/{path}", payload).status_code == 403
    assert api(client, people["outsider"], "post", f"{meeting.pk}/{path}", payload).status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT and not OutboxMessage.objects.exists()


def test_an_outsider_gets_404_from_every_notice_endpoint(client, people, meeting):
    outsider = people["outsider"]
    assert api(client, outsider, "post", f"{meeting.pk}/respond", {"response": "accepted"}).status_code == 404
    assert api(client, outsider, "get", f"{meeting.pk}/invite.ics").status_code == 404
    assert api(client, outsider, "post", "999999/notice").status_code == 404


def test_cancel_without_a_reason_names_the_reason(client, people, meeting):
    answer = api(client, people["host"], "post", f"{meeting.pk}/cancel", {})
    assert answer.status_code == 422 and "reason" in answer.json()["errors"]
    answer = api(client, people["host"], "post", f"{meeting.pk}/cancel", {"reason": "项目暂停"})
    assert answer.status_code == 200 and answer.json()["state"] == MeetingState.CANCELLED


def test_cancel_after_the_notice_queues_a_calendar_cancel_for_everyone(client, people, meeting):
    api(client, people["host"], "post", f"{meeting.pk}/notice")
    answer = api(client, people["host"], "post", f"{meeting.pk}/cancel", {"reason": "项目暂停"})
    assert answer.json()["notice_sequence"] == 1 and answer.json()["queued"] == 3
    cancels = OutboxMessage.objects.filter(kind="meeting.cancel", channel="email")
    assert cancels.count() == 3
    assert all("METHOD:CANCEL" in m.attachments[0]["content"] for m in cancels)


def test_a_participant_answers_through_the_api(client, people, meeting):
    answer = api(client, people["member"], "post", f"{meeting.pk}/respond", {"response": "accepted"})
    assert answer.status_code == 200
    assert answer.json()["response"] == Response.ACCEPTED and answer.json()["person_id"] == people["member"].pk


def test_declining_through_the_api_without_a_reason_is_refused_naming_reason(client, people, meeting):
    answer = api(client, people["member"], "post", f"{meeting.pk}/respond", {"response": "declined"})
    assert answer.status_code == 422
    assert "reason" in answer.json()["errors"]
    assert meeting.participants.get(person=people["member"]).response == Response.PENDING


def test_an_unknown_answer_is_refused_naming_response(client, people, meeting):
    answer = api(client, people["member"], "post", f"{meeting.pk}/respond", {"response": "maybe"})
    assert answer.status_code == 422 and "response" in answer.json()["errors"]


def test_a_substitute_from_another_organisation_is_refused_naming_substitute_id(client, people, meeting):
    stranger = make_person(Organisation.objects.create(name="别的公司"), "stranger")
    answer = api(client, people["member"], "post", f"{meeting.pk}/respond",
                 {"response": "substitute", "reason": "出差", "substitute_id": stranger.pk})
    assert answer.status_code == 422 and "substitute_id" in answer.json()["errors"]
    answer = api(client, people["member"], "post", f"{meeting.pk}/respond",
                 {"response": "substitute", "reason": "出差", "substitute_id": people["outsider"].pk})
    assert answer.status_code == 200 and answer.json()["substitute_id"] == people["outsider"].pk


def test_a_visible_person_who_is_not_invited_cannot_answer(client, people, meeting):
    assert api(client, people["head"], "post", f"{meeting.pk}/respond", {"response": "accepted"}).status_code == 403


def test_the_invite_download_is_a_calendar_in_the_callers_language(client, people, meeting):
    answer = api(client, people["member"], "get", f"{meeting.pk}/invite.ics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar; method=REQUEST")
    cal = Calendar.from_ical(answer.content)
    [event] = cal.events
    assert str(event["UID"]) == meeting.ical_uid
    assert "Objective: 确定Q3推广分工" in str(event["DESCRIPTION"])  # member reads English
    assert str(event.start.tzinfo) == "Asia/Shanghai"


def test_the_invite_of_a_cancelled_meeting_is_a_cancel(client, people, meeting):
    api(client, people["host"], "post", f"{meeting.pk}/cancel", {"reason": "改期"})
    cal = Calendar.from_ical(api(client, people["member"], "get", f"{meeting.pk}/invite.ics").content)
    assert str(cal["METHOD"]) == "CANCEL" and str(cal.events[0]["STATUS"]) == "CANCELLED"
