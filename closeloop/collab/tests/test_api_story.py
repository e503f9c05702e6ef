"""A request's detail carries the latest 50 steps of its story and its first 50 meetings and decisions, with
their counts, in the same number of queries however many there are; the paged endpoints hold them all, and
answer 404 to whoever may not see the request."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.collab.models import RequestEvent, RequestMeeting
from closeloop.conftest import at
from closeloop.meetings.models import Meeting
from closeloop.meetings.services.planning import topic_add
from closeloop.record.models import Decision, MeetingRecord

pytestmark = pytest.mark.django_db


def add_story(request, count):
    RequestEvent.objects.bulk_create([RequestEvent(request=request, kind="note", note=f"第{n}步")
                                      for n in range(count)])


def add_meetings(request, count):
    first = Meeting.objects.count()
    meetings = Meeting.objects.bulk_create([
        Meeting(organisation=request.organisation, type="problem_analysis", title=f"协作会{n}", state="noticed",
                ical_uid=f"story-{n}", start=at(2026, 3, 2) + dt.timedelta(days=n // 2),  # two a day
                end=at(2026, 3, 2, 15) + dt.timedelta(days=n // 2)) for n in range(first, first + count)])
    RequestMeeting.objects.bulk_create([RequestMeeting(request=request, meeting=m) for m in meetings])


def add_decisions(meeting, count):
    record, _created = MeetingRecord.objects.get_or_create(meeting=meeting)
    topic = meeting.topics.first()
    start = Decision.objects.count()
    Decision.objects.bulk_create([Decision(record=record, topic=topic, text=f"决议{n}")
                                  for n in range(start, start + count)])


@pytest.fixture
def deciding(with_meeting, parties):
    topic_add(actor=parties["host"], meeting=with_meeting, data={"title": "分工", "kind": "decide", "minutes": 20,
                                                                   "required_outcome": "定分工"})
    return with_meeting


def every_page(client, url):
    rows, page = [], 1
    while True:
        body = client.get(f"{url}?page={page}").json()
        rows += body["items"]
        if not body["items"]:
            return rows, body["count"]
        page += 1


def test_the_detail_carries_the_latest_50_steps_and_the_whole_story_is_paged(client, parties, sent):
    add_story(sent, 119)  # with "sent", 120 steps
    client.force_login(parties["host"])
    detail = client.get(f"/api/v1/requests/{sent.pk}").json()
    story = list(RequestEvent.objects.filter(request=sent).order_by("at", "id").values_list("note", flat=True))
    assert (detail["events_count"], detail["events_more"]) == (120, True)
    assert [e["note"] for e in detail["events"]] == story[-50:] and story[-1] == "第118步"
    rows, count = every_page(client, f"/api/v1/requests/{sent.pk}/events")
    assert count == 120 and [e["kind"] for e in rows[:1]] == ["sent"]
    assert [e["note"] for e in rows] == story


def test_a_short_story_is_whole_in_the_detail(client, parties, sent):
    client.force_login(parties["host"])
    detail = client.get(f"/api/v1/requests/{sent.pk}").json()
    assert [e["kind"] for e in detail["events"]] == ["sent"]
    assert (detail["events_count"], detail["events_more"]) == (1, False)
    assert (detail["meetings"], detail["meetings_count"], detail["meetings_more"]) == ([], 0, False)
    assert (detail["decisions"], detail["decisions_count"], detail["decisions_more"]) == ([], 0, False)


def test_the_detail_carries_the_first_50_meetings_and_decisions_the_rest_are_paged(client, parties, sent, deciding):
    add_meetings(sent, 59)  # with the one planned from the request, 60
    add_decisions(deciding, 70)
    client.force_login(parties["admin"])
    detail = client.get(f"/api/v1/requests/{sent.pk}").json()
    meetings, meetings_count = every_page(client, f"/api/v1/requests/{sent.pk}/meetings")
    decisions, decisions_count = every_page(client, f"/api/v1/requests/{sent.pk}/decisions")
    assert (detail["meetings_count"], detail["meetings_more"], meetings_count) == (60, True, 60)
    assert detail["meetings"] == meetings[:50]
    assert [m["start"] for m in meetings] == sorted(m["start"] for m in meetings)
    assert len(meetings) == 60 and {m["id"] for m in meetings} == set(sent.meeting_links.values_list("meeting_id",
                                                                                                      flat=True))
    assert (detail["decisions_count"], detail["decisions_more"], decisions_count) == (70, True, 70)
    assert detail["decisions"] == decisions[:50]
    assert [d["text"] for d in decisions] == [f"决议{n}" for n in range(70)]


def test_the_detail_costs_the_same_queries_for_10_or_200_steps_meetings_and_decisions(client, parties, sent,
                                                                                         deciding):
    client.force_login(parties["admin"])
    url = f"/api/v1/requests/{sent.pk}"
    add_story(sent, 10)
    add_meetings(sent, 10)
    add_decisions(deciding, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    add_story(sent, 190)
    add_meetings(sent, 190)
    add_decisions(deciding, 190)
    with CaptureQueriesContext(connection) as many:
        large = client.get(url).json()
    assert (len(large["events"]), len(large["meetings"]), len(large["decisions"])) == (50, 50, 50)
    assert len(large["events"]) < large["events_count"] and len(small.json()["events"]) == small.json()["events_count"]
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize("part", ["events", "meetings", "decisions"])
def test_someone_who_may_not_see_the_request_gets_404_for_its_lists(client, parties, sent, part):
    client.force_login(parties["outsider"])  # 财务部: neither asking nor asked
    assert client.get(f"/api/v1/requests/{sent.pk}").status_code == 404
    refused = client.get(f"/api/v1/requests/{sent.pk}/{part}")
    assert refused.status_code == 404 and refused.json() == {"detail": "未找到。"}
    client.force_login(parties["head"])  # 销售部 is asked
    assert client.get(f"/api/v1/requests/{sent.pk}/{part}").status_code == 200
