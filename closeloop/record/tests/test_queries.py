"""Adding an item on the live record page costs a fixed number of queries, whatever the meeting's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.actions.models import ActionItem
from closeloop.conftest import make_person
from closeloop.meetings.choices import TopicKind
from closeloop.meetings.services.planning import participant_set, topic_add
from closeloop.record.services import record as services

HTMX = {"HTTP_HX_REQUEST": "true"}
LIMIT = 15


def grow(meeting, people, size):
    """`size` more participants, topics, and a decision and a note on each topic."""
    for i in range(size):
        person = make_person(meeting.organisation, f"extra{i}", people["departments"]["sales"], name=f"人员{i}")
        participant_set(actor=people["host"], meeting=meeting, person=person, roles=["executor"])
        topic = topic_add(actor=people["host"], meeting=meeting, data={
            "order": 10 + i, "title": f"议题{i}", "minutes": 5, "kind": TopicKind.DECIDE,
            "presenter": people["host"]})
        services.decision_save(actor=people["recorder"], meeting=meeting, topic=topic, data={"text": f"决定{i}"})
        services.note_add(actor=people["recorder"], meeting=meeting, topic=topic, text=f"观点{i}", department=None)


def add_item(client, people, meeting, topic):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("record:item_add", args=[meeting.pk, topic.pk]), {
            "task": "提交推广方案", "owner": people["member"].pk, "deliverable": "方案经审批",
            "due": "2026-06-18", "owner_confirmed": "on"}, **HTMX)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


@pytest.mark.parametrize("size", [0, 12])
def test_adding_an_item_costs_at_most_15_queries_at_any_size(client, people, meeting, topics, record, size):
    grow(meeting, people, size)
    client.force_login(people["recorder"])
    add_item(client, people, meeting, topics[1])  # the first write warms per-process caches (content types)
    count = add_item(client, people, meeting, topics[2])
    assert ActionItem.objects.count() == 2
    assert count <= LIMIT, f"{count} queries at size {size}"


def test_the_number_of_queries_does_not_grow_with_the_meeting(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    add_item(client, people, meeting, topics[1])
    small = add_item(client, people, meeting, topics[2])
    grow(meeting, people, 12)
    large = add_item(client, people, meeting, topics[2])
    assert large == small
