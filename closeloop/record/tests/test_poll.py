"""Polling by revision: 204 while nothing moved, the changed sections (out-of-band) when something did,
a reload when the record opened or closed; and the page's query count does not grow with the topics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.meetings.services.planning import topic_add
from closeloop.record.models import MeetingRecord
from closeloop.record.services import record as services
from closeloop.record.services.items import record_item_add
from closeloop.record.tests.conftest import item_data

pytestmark = pytest.mark.django_db


def poll(client, meeting, since):
    return client.get(reverse("record:poll", args=[meeting.pk]) + f"?since={since}", HTTP_HX_REQUEST="true")


def revision(meeting):
    return MeetingRecord.objects.get(meeting=meeting).revision


def test_the_poll_answers_204_while_nothing_changed(client, people, meeting, record):
    client.force_login(people["member"])
    response = poll(client, meeting, revision(meeting))
    assert response.status_code == 204 and response.content == b""


def test_the_poll_is_cheap(client, people, meeting, record, django_assert_max_num_queries):
    client.force_login(people["member"])
    since = revision(meeting)
    poll(client, meeting, since)  # warm the session
    # Session, user and organisation (the middleware's), then the meeting's visibility and the revision.
    with django_assert_max_num_queries(5):
        assert poll(client, meeting, since).status_code == 204


def test_the_poll_returns_only_the_sections_that_moved(client, people, meeting, topics, record):
    client.force_login(people["member"])
    since = revision(meeting)
    services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[1], text="线下渠道更有效")
    response = poll(client, meeting, since)
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert f'id="topic-{topics[1].pk}-live"' in html and "线下渠道更有效" in html
    assert f'id="topic-{topics[0].pk}-live"' not in html and 'id="attendance-list"' not in html
    assert 'id="loop-points"' in html and 'id="loop-check"' not in html  # the points, never the form
    assert f'?since={revision(meeting)}"' in html and 'id="record-poll"' in html
    assert html.count('hx-swap-oob="true"') == 3
    # A participant's copy has no write buttons.
    assert "record/meetings" not in html.split('id="loop-points"')[0].replace("/poll/", "")


def test_the_poll_collects_every_section_changed_since(client, people, meeting, topics, record):
    client.force_login(people["member"])
    since = revision(meeting)
    services.attendance_set(actor=people["recorder"], meeting=meeting, person=people["member"], presence="present")
    services.topic_timer(actor=people["recorder"], topic=topics[0], action="start")
    html = poll(client, meeting, since).content.decode()
    assert 'id="attendance-list"' in html and f'id="topic-{topics[0].pk}-live"' in html
    html = poll(client, meeting, since + 1).content.decode()  # already saw the sign-in
    assert 'id="attendance-list"' not in html and f'id="topic-{topics[0].pk}-live"' in html


def test_opening_and_closing_reload_the_page(client, people, meeting, topics):
    client.force_login(people["member"])
    assert poll(client, meeting, 0).status_code == 204  # not started yet
    services.record_open(actor=people["recorder"], meeting=meeting)
    response = poll(client, meeting, 0)
    assert response["HX-Refresh"] == "true"
    since = revision(meeting)
    services.record_close(actor=people["host"], meeting=meeting, force=True)
    assert poll(client, meeting, since)["HX-Refresh"] == "true"


def fill(people, meeting, topics):
    recorder = people["recorder"]
    for t in topics:
        services.note_add(actor=recorder, meeting=meeting, topic=t, text=f"观点 {t.title}")
        services.disagreement_save(actor=recorder, meeting=meeting, topic=t, data={
            "subject": f"分歧 {t.title}", "path": "data", "owner": people["member"], "data_needed": "数据"})
        decision = services.decision_save(actor=recorder, meeting=meeting, topic=t, data={"text": f"决议 {t.title}"})
        record_item_add(actor=recorder, meeting=meeting, topic=t, decision=decision,
                        data=item_data(people, collaborators=[people["host"], people["head"]]))
        services.topic_timer(actor=recorder, topic=t, action="start")


def page_queries(client, meeting):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("record:live", args=[meeting.pk]))
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("who", ["recorder", "member"])
def test_the_page_costs_the_same_queries_whatever_the_number_of_topics(
        client, people, meeting, topics, record, earlier_item, who):
    fill(people, meeting, topics)
    client.force_login(people[who])
    page_queries(client, meeting)  # warm the session
    few = page_queries(client, meeting)
    more = [topic_add(actor=people["host"], meeting=meeting, data={
        "order": 10 + i, "title": f"追加议题{i}", "minutes": 10, "kind": "decide"}) for i in range(3)]
    fill(people, meeting, more)
    assert page_queries(client, meeting) == few
    assert few <= 40


def test_inviting_someone_during_the_meeting_reaches_the_recorders_sign_in_and_choosers(
        client, people, meeting, record):
    from closeloop.meetings.choices import ParticipantRole
    from closeloop.meetings.services.planning import participant_remove, participant_set

    since = revision(meeting)
    participant_set(actor=people["host"], meeting=meeting, person=people["outsider"],
                    roles=[ParticipantRole.EXECUTOR])
    client.force_login(people["recorder"])
    html = poll(client, meeting, since).content.decode()
    assert 'id="attendance-list"' in html and "钱财务" in html
    # The choosers' list comes along, with the new participant among the participants.
    box = html.split('id="shared-choices-box"')[1]
    assert 'hx-swap-oob="true"' in html.split('id="shared-choices-box"')[0][-40:] + box[:40]
    assert str(people["outsider"].pk) in box.split('"participants":[')[1].split("]")[0].split(",")

    # A reader who does not record gets the sign-in list but no choosers (they have no forms).
    client.force_login(people["member"])
    html = poll(client, meeting, since).content.decode()
    assert 'id="attendance-list"' in html and "shared-choices-box" not in html

    # Taken off again: the next poll drops them from both.
    since = revision(meeting)
    participant_remove(actor=people["host"], participant=meeting.participants.get(person=people["outsider"]))
    client.force_login(people["recorder"])
    html = poll(client, meeting, since).content.decode()
    assert "钱财务" not in html.split('id="shared-choices-box"')[0]
    box = html.split('id="shared-choices-box"')[1]
    assert str(people["outsider"].pk) not in box.split('"participants":[')[1].split("]")[0].split(",")


def test_a_sign_in_alone_does_not_resend_the_choosers(client, people, meeting, record):
    since = revision(meeting)
    services.attendance_set(actor=people["recorder"], meeting=meeting, person=people["member"], presence="present")
    client.force_login(people["recorder"])
    html = poll(client, meeting, since).content.decode()
    assert 'id="attendance-list"' in html and "shared-choices-box" not in html
