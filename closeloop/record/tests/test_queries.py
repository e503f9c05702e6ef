"""Adding an item on the live record page costs a fixed number of queries, whatever the meeting's size.

Counted outside a test transaction, as in production: every statement, BEGIN and COMMIT included.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.actions.models import ActionItem
from closeloop.audit.testing import audit_flushable  # noqa: F401
from closeloop.conftest import make_person
from closeloop.meetings.choices import TopicKind
from closeloop.meetings.services.planning import participant_set, topic_add
from closeloop.record.services import record as services

HTMX = {"HTTP_HX_REQUEST": "true"}
# Reading the session, the person, the meeting, the topic and the form's choices; the write (whether the minutes
# went out, which closes the record; SMART check with the policy and the calendar, the item in its own savepoint,
# its history and audit, the record's revision); the topic's lists.
LIMIT = 29

pytestmark = pytest.mark.usefixtures("audit_flushable")


def grow(meeting, people, size):
    """`size` more participants and topics, each topic with a decision and a note."""
    for i in range(size):
        person = make_person(meeting.organisation, f"extra{i}", people["departments"]["sales"], name=f"人员{i}")
        participant_set(actor=people["host"], meeting=meeting, person=person, roles=["executor"])
        topic = topic_add(actor=people["host"], meeting=meeting, data={
            "order": 10 + i, "title": f"议题{i}", "minutes": 5, "kind": TopicKind.DECIDE,
            "presenter": people["host"]})
        services.decision_save(actor=people["recorder"], meeting=meeting, topic=topic, data={"text": f"决定{i}"})
        services.note_add(actor=people["recorder"], meeting=meeting, topic=topic, text=f"观点{i}", department=None)


def add_item(client, people, meeting, topic, task="提交推广方案"):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("record:item_add", args=[meeting.pk, topic.pk]), {
            "task": task, "owner": people["member"].pk, "deliverable": "方案经审批",
            "due": "2026-06-18", "owner_confirmed": "on"}, **HTMX)
    assert response.status_code == 200, response.content[:500]
    assert task in response.content.decode()  # the topic's lists came back with the new item
    return len(queries)


def test_adding_an_item_costs_a_bounded_number_of_queries(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    add_item(client, people, meeting, topics[1], "整理渠道数据")  # the first write fills per-process caches
    count = add_item(client, people, meeting, topics[2])
    assert ActionItem.objects.count() == 2
    assert count <= LIMIT, f"{count} queries"


def test_the_number_of_queries_does_not_grow_with_the_meeting(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    add_item(client, people, meeting, topics[1], "整理渠道数据")
    small = add_item(client, people, meeting, topics[2], "提交推广方案")
    grow(meeting, people, 12)
    large = add_item(client, people, meeting, topics[2], "确认预算")
    assert large == small
