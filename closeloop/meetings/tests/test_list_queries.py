"""The meeting list with meetings to come and past ones: the same number of queries for 10 meetings or 200, and
the "upcoming first" order across the boundary between the two."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeloop.meetings.models import Meeting, Participant

pytestmark = pytest.mark.django_db


def add_meetings(people, org, count, *, first_day, step=1, start=0):
    """`count` meetings a day apart from `first_day` (days from now), the member taking part in each."""
    now = timezone.now().replace(microsecond=0)
    meetings = Meeting.objects.bulk_create([
        Meeting(organisation=org, type="weekly_sync", title=f"周会{start + n}",
                start=now + dt.timedelta(days=first_day + n * step),
                end=now + dt.timedelta(days=first_day + n * step, hours=1),
                ical_uid=f"list-{start + n}@test", created_by=people["host"])
        for n in range(count)])
    Participant.objects.bulk_create([
        Participant(meeting=m, person=people[who], roles=role, token=f"t-{m.pk}-{who}")
        for m in meetings for who, role in (("host", "host"), ("member", "executor"))])
    return meetings


def test_the_page_costs_the_same_queries_for_10_meetings_or_200_to_come_and_past(client, people, org):
    """tests_scale reads the list over past meetings only; here half are still to come (two index reads)."""
    url = reverse("meetings:list")
    client.force_login(people["member"])
    add_meetings(people, org, 5, first_day=3)
    add_meetings(people, org, 5, first_day=-3, step=-1, start=5)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_meetings(people, org, 95, first_day=10, start=10)
    add_meetings(people, org, 95, first_day=-10, step=-1, start=105)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]


def test_the_pages_go_from_the_soonest_meeting_to_the_latest_past_one(client, people, org):
    add_meetings(people, org, 35, first_day=1)  # 周会0 … 周会34: tomorrow onwards
    add_meetings(people, org, 10, first_day=-1, step=-1, start=35)  # 周会35 … 周会44: yesterday backwards
    client.force_login(people["member"])

    def titles(page):
        body = client.get(reverse("meetings:list"), {"page": page}).content.decode()
        return [int(n) for n in re.findall(r"周会(\d+)", body)]

    first, second = titles(1), titles(2)
    assert first == list(range(30))
    assert second == [30, 31, 32, 33, 34, *range(35, 45)]
