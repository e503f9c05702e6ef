"""The change-request lists of the API are pages: the same number of SQL queries for 10 rows as for 200 (issue 17)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from closeloop.actions.choices import ChangeKind, ChangeState
from closeloop.actions.models import ActionItem, ChangeRequest, owner_sort_key

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions"


def add_waiting(meeting, people, count):
    """`count` items of the meeting, each with a change of date asked by its owner and waiting for the host."""
    member = people["member"]
    start = ActionItem.objects.count()
    items = ActionItem.objects.bulk_create([
        ActionItem(organisation=meeting.organisation, meeting=meeting, task=f"提交第{n}份周报", owner=member,
                   department=member.department, due=dt.date(2026, 7, 1), deliverable="周报经确认",
                   owner_sort=owner_sort_key(member), created_by=people["recorder"])
        for n in range(start, start + count)])
    items = ActionItem.objects.filter(meeting=meeting).order_by("-pk")[:count]
    ChangeRequest.objects.bulk_create([
        ChangeRequest(item=item, kind=ChangeKind.DATE, requested_by=member, reason="供应商报价延迟",
                      old_due=item.due, new_due=item.due + dt.timedelta(days=9))
        for item in items])


def add_history(item, people, count):
    """`count` answered changes of one item."""
    ChangeRequest.objects.bulk_create([
        ChangeRequest(item=item, kind=ChangeKind.DATE, requested_by=people["member"], reason=f"第{n}次",
                      state=ChangeState.REFUSED, decided_by=people["host"], comment="不同意")
        for n in range(count)])


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries), response.json()


def test_the_changes_awaiting_cost_the_same_queries_for_200_as_for_10(people, meeting):
    host = Client()
    host.force_login(people["host"])
    add_waiting(meeting, people, 10)
    get(host, f"{URL}/changes/awaiting")  # per-process caches
    small, page = get(host, f"{URL}/changes/awaiting")
    assert (page["count"], len(page["items"])) == (10, 10)
    add_waiting(meeting, people, 190)
    large, page = get(host, f"{URL}/changes/awaiting")
    assert (page["count"], page["count_exact"], len(page["items"])) == (200, True, 50)
    assert large == small
    oldest_first = list(ChangeRequest.objects.order_by("created_at", "id").values_list("pk", flat=True))
    assert [c["id"] for c in page["items"]] == oldest_first[:50]
    last = get(host, f"{URL}/changes/awaiting?page=4")[1]
    assert [c["id"] for c in last["items"]] == oldest_first[150:]


def test_an_items_changes_cost_the_same_queries_for_200_as_for_10(people, item):
    head = Client()
    head.force_login(people["head"])
    add_history(item, people, 10)
    get(head, f"{URL}/{item.pk}/changes")
    small, page = get(head, f"{URL}/{item.pk}/changes")
    add_history(item, people, 190)
    large, page = get(head, f"{URL}/{item.pk}/changes")
    assert (page["count"], len(page["items"])) == (200, 50) and large == small
