"""Participants' answers through the email link page and from the meeting page (signed in)."""

import pytest
from django.urls import reverse

from closeloop.audit.models import AuditEntry
from closeloop.conftest import make_person
from closeloop.meetings.choices import Response
from closeloop.meetings.services.notice import meeting_cancel
from closeloop.org.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_part(people, meeting):
    return meeting.participants.get(person=people["member"])


def respond_url(participant):
    return reverse("meetings:respond", args=[participant.token])


def test_the_answer_link_shows_the_meeting_without_signing_in_and_changes_nothing(client, meeting, member_part):
    audits = AuditEntry.objects.count()
    page = client.get(respond_url(member_part))
    assert page.status_code == 200
    body = page.content.decode()
    assert "项目Q3推广跨部门协作会" in body and "部门分工与资源协调" in body and "确认分工" in body
    assert 'name="response"' in body and 'name="substitute"' in body
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    member_part.refresh_from_db()
    assert member_part.response == Response.PENDING and member_part.responded_at is None
    assert AuditEntry.objects.count() == audits


def test_the_answer_page_is_in_the_participants_language(client, member_part, people, meeting):
    assert "June 15, 2026" in client.get(respond_url(member_part)).content.decode()
    host_part = meeting.participants.get(person=people["host"])
    assert "2026年6月15日" in client.get(respond_url(host_part)).content.decode()


def test_an_unknown_token_is_not_found(client, meeting):
    assert client.get(reverse("meetings:respond", args=["not-a-real-token"])).status_code == 404
    assert client.post(reverse("meetings:respond", args=["not-a-real-token"]),
                       {"response": "accepted"}).status_code == 404


def test_accepting_through_the_link_saves_the_answer(client, member_part):
    answer = client.post(respond_url(member_part), {"response": "accepted"})
    assert answer.status_code == 302 and answer["Location"] == respond_url(member_part)
    member_part.refresh_from_db()
    assert member_part.response == Response.ACCEPTED and member_part.responded_at is not None
    audit = AuditEntry.objects.get(action="participant.respond")
    assert audit.actor_id == member_part.person_id
    assert "accepted" in client.get(answer["Location"]).content.decode().lower()


def test_declining_without_a_reason_is_refused_naming_the_reason(client, member_part):
    answer = client.post(respond_url(member_part), {"response": "declined", "reason": " "})
    assert answer.status_code == 422
    assert answer.context["form"].errors["reason"]
    member_part.refresh_from_db()
    assert member_part.response == Response.PENDING


def test_declining_with_a_reason_is_saved(client, member_part):
    client.post(respond_url(member_part), {"response": "declined", "reason": "当天在外地客户处"})
    member_part.refresh_from_db()
    assert member_part.response == Response.DECLINED and member_part.response_reason == "当天在外地客户处"


def test_a_substitute_must_come_from_the_organisation(client, member_part, people):
    other_org = Organisation.objects.create(name="别的公司")
    stranger = make_person(other_org, "stranger")
    answer = client.post(respond_url(member_part), {"response": "substitute", "reason": "出差",
                                                    "substitute": stranger.pk})
    assert answer.status_code == 422 and answer.context["form"].errors["substitute"]
    assert str(stranger) not in answer.content.decode()  # the chooser lists only the organisation's people
    member_part.refresh_from_db()
    assert member_part.response == Response.PENDING

    client.post(respond_url(member_part), {"response": "substitute", "reason": "出差",
                                           "substitute": people["outsider"].pk})
    member_part.refresh_from_db()
    assert member_part.response == Response.SUBSTITUTE and member_part.substitute_id == people["outsider"].pk


def test_a_substitute_needs_a_person(client, member_part):
    answer = client.post(respond_url(member_part), {"response": "substitute", "reason": "出差"})
    assert answer.status_code == 422 and answer.context["form"].errors["substitute"]


def test_a_cancelled_meeting_takes_no_answer(client, member_part, people, meeting):
    meeting_cancel(actor=people["host"], meeting=meeting, reason="改期")
    page = client.get(respond_url(member_part))
    assert 'name="response"' not in page.content.decode()
    answer = client.post(respond_url(member_part), {"response": "accepted"})
    assert answer.status_code == 422
    member_part.refresh_from_db()
    assert member_part.response == Response.PENDING


def test_a_signed_in_participant_answers_from_the_meeting_page_with_htmx(client, people, meeting, member_part):
    client.force_login(people["member"])
    url = reverse("meetings:respond_signed_in", args=[meeting.pk])
    answer = client.post(url, {"response": "declined", "reason": "休假"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert answer["HX-Trigger"] == "participantsChanged"
    assert f'id="respond-{member_part.pk}"' in answer.content.decode()
    member_part.refresh_from_db()
    assert member_part.response == Response.DECLINED


def test_a_signed_in_decline_without_reason_returns_the_form_with_the_error(client, people, meeting, member_part):
    client.force_login(people["member"])
    url = reverse("meetings:respond_signed_in", args=[meeting.pk])
    answer = client.post(url, {"response": "declined"}, HTTP_HX_REQUEST="true")
    assert answer.context["form"].errors["reason"]
    assert 'class="errorlist' in answer.content.decode()
    member_part.refresh_from_db()
    assert member_part.response == Response.PENDING


def test_a_signed_in_answer_without_htmx_goes_back_to_the_meeting(client, people, meeting, member_part):
    client.force_login(people["member"])
    answer = client.post(reverse("meetings:respond_signed_in", args=[meeting.pk]), {"response": "accepted"})
    assert answer.status_code == 302 and answer["Location"].endswith(f"/meetings/{meeting.pk}/")
    member_part.refresh_from_db()
    assert member_part.response == Response.ACCEPTED


def test_the_respond_form_partial_renders_with_only_the_participant(rf, member_part):
    from django.template.loader import render_to_string

    html = render_to_string("meetings/partials/respond_form.html", {"participant": member_part})
    assert f'action="/meetings/{member_part.meeting_id}/respond/"' in html
    assert 'name="substitute"' in html


def test_a_department_head_who_is_not_invited_cannot_answer(client, people, meeting):
    client.force_login(people["head"])  # sees the meeting through the member, is not a participant
    answer = client.post(reverse("meetings:respond_signed_in", args=[meeting.pk]), {"response": "accepted"})
    assert answer.status_code == 403


@pytest.mark.parametrize("name,method", [
    ("meetings:notice_send", "post"), ("meetings:cancel", "post"), ("meetings:invite_ics", "get"),
    ("meetings:respond_signed_in", "post"),
])
def test_an_outsider_gets_404_from_every_notice_page(client, people, meeting, name, method):
    client.force_login(people["outsider"])
    url = reverse(name, args=[meeting.pk])
    response = getattr(client, method)(url, {"reason": "x", "response": "accepted"})
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == "draft"


def test_sending_the_notice_from_the_page(client, people, meeting):
    client.force_login(people["host"])
    answer = client.post(reverse("meetings:notice_send", args=[meeting.pk]))
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == "noticed"
    assert "3" in [str(m) for m in answer.wsgi_request._messages][0]


def test_a_participant_who_is_not_an_editor_gets_403_on_send_and_cancel(client, people, meeting):
    client.force_login(people["member"])
    assert client.post(reverse("meetings:notice_send", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "x"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == "draft"


def test_get_never_sends_or_cancels(client, people, meeting):
    client.force_login(people["host"])
    assert client.get(reverse("meetings:notice_send", args=[meeting.pk])).status_code == 405
    assert client.get(reverse("meetings:cancel", args=[meeting.pk])).status_code == 405
    meeting.refresh_from_db()
    assert meeting.state == "draft"


def test_cancelling_from_the_page_needs_a_reason(client, people, meeting):
    client.force_login(people["host"])
    client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    meeting.refresh_from_db()
    assert meeting.state == "draft"
    answer = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "目标已变"},
                         HTTP_HX_REQUEST="true")
    assert answer["HX-Redirect"].endswith(f"/meetings/{meeting.pk}/")
    meeting.refresh_from_db()
    assert meeting.state == "cancelled" and meeting.cancel_reason == "目标已变"


def test_the_invite_downloads_as_a_calendar_file(client, people, meeting):
    client.force_login(people["member"])
    answer = client.get(reverse("meetings:invite_ics", args=[meeting.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar; method=REQUEST")
    assert meeting.ical_uid in answer.content.decode()
