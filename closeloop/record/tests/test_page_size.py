"""The live record page, the meeting page and the record's API detail keep their size and their number of queries
whatever the meeting's size: long sections are paged, and the people choosers share one list per page."""

import datetime as dt
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeloop.actions.models import ActionItem
from closeloop.meetings.models import Meeting, Participant, Topic
from closeloop.org.models import Department, Organisation, Person
from closeloop.record.models import Attendance, Decision, MeetingRecord, Note

pytestmark = pytest.mark.django_db
SMALL, LARGE = 120, 360
MAX_BYTES = 300 * 1024


def meeting_of(size):
    """A meeting of `size` participants, topics, decisions, notes and items (half of them signed in); its recorder."""
    org = Organisation.objects.create(name=f"规模{size}", time_zone="Asia/Shanghai", country="CN")
    depts = [Department.objects.create(organisation=org, name=f"部门{i}") for i in range(4)]
    Person.objects.bulk_create([
        Person(username=f"s{size}-{i}", email=f"s{size}-{i}@example.com", organisation=org, password="!",
               department=depts[i % 4], display_name=f"员工{i:04d}") for i in range(size + 2)])
    people = list(Person.objects.filter(organisation=org).order_by("pk"))
    now = timezone.now()
    meeting = Meeting.objects.create(organisation=org, type="decision", title="大会", state="noticed",
                                     start=now - dt.timedelta(minutes=5), end=now + dt.timedelta(hours=1))
    Participant.objects.bulk_create([
        Participant(meeting=meeting, person=p, roles=r, token=secrets.token_urlsafe(16))
        for p, r in zip(people, ["host", "recorder"] + ["executor"] * size, strict=True)])
    Topic.objects.bulk_create([Topic(meeting=meeting, order=i + 1, title=f"议题{i}", minutes=5, presenter=people[0],
                                     kind="decide" if i % 2 else "discuss") for i in range(size)])
    topics = list(meeting.topics.order_by("order"))
    record = MeetingRecord.objects.create(meeting=meeting)
    Attendance.objects.bulk_create([Attendance(record=record, person=p) for p in people[: size // 2]])
    Decision.objects.bulk_create([Decision(record=record, topic=t, text=f"决定{i}") for i, t in enumerate(topics)])
    Note.objects.bulk_create([Note(record=record, topic=t, text=f"观点{i}", department=depts[0])
                              for i, t in enumerate(topics)])
    ActionItem.objects.bulk_create([
        ActionItem(organisation=org, meeting=meeting, topic=t, task=f"任务{i}", owner=people[2 + i],
                   due=dt.date(2026, 12, 18), owner_sort=f"员工{i:04d}") for i, t in enumerate(topics)])
    return meeting, people[1]


def figures(client, meeting):
    """{what: (bytes, queries)} of the three reads, as the meeting's recorder."""
    urls = {"live": reverse("record:live", args=[meeting.pk]), "meeting": reverse("meetings:detail", args=[meeting.pk]),
            "api": f"/api/v1/record/meetings/{meeting.pk}"}
    out = {}
    for name, url in urls.items():
        client.get(url)  # per-process caches filled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = (len(response.content), len(queries))
    return out


def test_the_pages_keep_their_size_and_their_queries_whatever_the_meeting(client):
    small_meeting, small_recorder = meeting_of(SMALL)
    client.force_login(small_recorder)
    small = figures(client, small_meeting)
    large_meeting, large_recorder = meeting_of(LARGE)
    client.force_login(large_recorder)
    large = figures(client, large_meeting)
    for name in small:
        assert large[name][1] == small[name][1], (name, small[name], large[name])
        # Only the shared list of people grows (a few dozen bytes a person), never the sections.
        assert large[name][0] <= small[name][0] + 60 * (LARGE - SMALL), (name, small[name], large[name])
        assert large[name][0] <= MAX_BYTES, (name, large[name])


def test_the_sections_show_one_page_and_link_to_the_next(client):
    meeting, recorder = meeting_of(60)
    client.force_login(recorder)
    html = client.get(reverse("record:live", args=[meeting.pk])).content.decode()
    topics = list(meeting.topics.order_by("order"))
    assert f'id="topic-{topics[9].pk}"' in html and f'id="topic-{topics[10].pk}"' not in html
    assert "page=2#topics" in html and "signin=2#sign-in" in html
    # Every person chooser is filled from the one shared list: no <select> carries the organisation.
    assert html.count('id="shared-choices"') == 1 and html.count("<option") < 200
    # The closing checklist shows its first points and says how many more there are.
    assert html.count('data-rule="') == 20 and 'id="loop-points-more"' in html
    html = client.get(reverse("record:live", args=[meeting.pk]), {"page": 2}).content.decode()
    assert f'id="topic-{topics[10].pk}"' in html and f'id="topic-{topics[9].pk}"' not in html
    more = client.get(reverse("record:loop", args=[meeting.pk]), {"all": 1}).content.decode()
    assert more.count('data-rule="') > 20 and f'href="?page=6#topic-{topics[59].pk}"' in more


def test_the_api_detail_pages_its_long_lists(client):
    meeting, recorder = meeting_of(60)
    client.force_login(recorder)
    url = f"/api/v1/record/meetings/{meeting.pk}"
    first = client.get(url).json()
    assert len(first["topics"]) == 20 and first["pages"]["topics"] == {"page": 1, "per_page": 20, "count": 60,
                                                                      "pages": 3}
    assert first["topics"][0]["number"] == 1 and first["pages"]["attendance"]["count"] == 62
    third = client.get(url, {"topics_page": 3}).json()
    assert [t["number"] for t in third["topics"]] == list(range(41, 61))
    assert client.get(url, {"topics_page": 4}).json()["topics"] == []
    assert client.get(url, {"topics_page": 0}).status_code == 422


def test_someone_who_may_not_see_the_meeting_gets_404_on_every_page(client):
    meeting, _recorder = meeting_of(60)
    outsider = Person.objects.create_user(username="outsider-x", password="x", organisation=meeting.organisation)
    client.force_login(outsider)
    assert client.get(reverse("record:live", args=[meeting.pk]), {"page": 2}).status_code == 404
    assert client.get(reverse("record:loop", args=[meeting.pk]), {"all": 1}).status_code == 404
    assert client.get(f"/api/v1/record/meetings/{meeting.pk}", {"topics_page": 2}).status_code == 404
