"""Every list, page and API, costs the same number of SQL queries for 10 rows as for 200 (issue 17), and the API
lists answer pages of the one default size."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from closeloop.actions.models import ActionItem, owner_sort_key
from closeloop.conftest import at
from closeloop.meetings.models import Meeting, Participant
from closeloop.notify.models import InboxItem

pytestmark = pytest.mark.django_db

LISTS = [
    ("admin", "/api/v1/actions"),
    ("member", "/api/v1/actions"),
    ("member", "/api/v1/actions?sort=owner"),
    ("head", "/api/v1/actions?sort=status&open=true"),
    ("member", "/actions/"),
    ("head", "/actions/department/{sales}/"),
    ("admin", "/api/v1/meetings"),
    ("member", "/api/v1/meetings"),
    ("member", "/meetings/"),
    ("admin", "/archive/"),
    ("member", "/notify/inbox/"),
    ("member", "/api/v1/notify/inbox"),
]


def add_rows(org, people, start, count):
    """`count` meetings with the member taking part, one item of theirs in each, and an inbox message."""
    member = people["member"]
    meetings = Meeting.objects.bulk_create([
        Meeting(organisation=org, type="weekly_sync", title=f"周例会 {n}", state="noticed", ical_uid=f"scale-{n}",
                start=at(2026, 3, 1) + dt.timedelta(days=n), end=at(2026, 3, 1, 15) + dt.timedelta(days=n))
        for n in range(start, start + count)])
    meetings = list(Meeting.objects.filter(ical_uid__startswith="scale-").order_by("-pk")[:count])
    Participant.objects.bulk_create([Participant(meeting=m, person=member, roles="executor", token=f"scale-{m.pk}")
                                     for m in meetings])
    ActionItem.objects.bulk_create([
        ActionItem(organisation=org, meeting=m, task=f"提交第{n}份周报", owner=member, department=member.department,
                   due=dt.date(2026, 7, 1) + dt.timedelta(days=n % 20), deliverable="周报经确认",
                   status=("not_started", "in_progress", "done")[n % 3], owner_sort=owner_sort_key(member),
                   created_by=people["host"])
        for n, m in enumerate(meetings, start=start)])
    InboxItem.objects.bulk_create([InboxItem(recipient=member, key=f"scale:{n}", kind="reminder",
                                             title=f"提醒 {n}", link="/actions/")
                                   for n in range(start, start + count)])


def queries_of(clients, people, who, url):
    url = url.format(sales=people["departments"]["sales"].pk)
    with CaptureQueriesContext(connection) as queries:
        response = clients[who].get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


def test_no_list_costs_more_queries_for_200_rows_than_for_10(org, people):
    clients = {}
    for who in ("admin", "member", "head"):
        clients[who] = Client()
        clients[who].force_login(people[who])
    add_rows(org, people, 0, 10)
    for who, url in LISTS:  # the first requests fill per-process caches (the calendar, translations…)
        queries_of(clients, people, who, url)
    small = {(who, url): queries_of(clients, people, who, url) for who, url in LISTS}
    add_rows(org, people, 10, 190)
    large = {(who, url): queries_of(clients, people, who, url) for who, url in LISTS}
    assert {k: v for k, v in large.items() if v != small[k]} == {}, (small, large)


def test_api_lists_answer_pages_of_50_by_default(org, people):
    add_rows(org, people, 0, 60)
    client = Client()
    client.force_login(people["member"])
    actions = client.get("/api/v1/actions").json()
    meetings = client.get("/api/v1/meetings").json()
    inbox = client.get("/api/v1/notify/inbox").json()
    assert (actions["count"], len(actions["items"])) == (60, 50)
    assert (meetings["count"], len(meetings["items"])) == (60, 50)
    assert (inbox["count"], len(inbox["items"])) == (60, 50)
    assert len(client.get("/api/v1/actions?page_size=100").json()["items"]) == 60
