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
# Reading the session, the person, the meeting with the person's roles, the topic, its decisions and the owner;
# the write (BEGIN, the record under lock, the calendar, who was there, the item, its history, its audit row, the
# record's revision, COMMIT). The answer (a fresh form and the new row) is built from what the write had in hand.
LIMIT = 15

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


def add_item(client, people, meeting, topic, task="提交推广方案", decision=None):
    data = {"task": task, "owner": people["member"].pk, "deliverable": "方案经审批", "due": "2026-06-18",
            "owner_confirmed": "on"}
    if decision is not None:
        data["decision"] = decision.pk
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("record:item_add", args=[meeting.pk, topic.pk]), data, **HTMX)
    assert response.status_code == 200, response.content[:500]
    assert task in response.content.decode()  # the topic's lists came back with the new item
    return len(queries)


def test_adding_an_item_costs_a_bounded_number_of_queries(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    decision = services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2],
                                      data={"text": "预算按季度拨付"})
    add_item(client, people, meeting, topics[1], "整理渠道数据")  # the first write fills per-process caches
    count = add_item(client, people, meeting, topics[2], decision=decision)
    assert ActionItem.objects.filter(decision=decision).count() == 1
    assert count <= LIMIT, f"{count} queries"


def test_the_answer_appends_the_new_row_and_offers_a_fresh_form(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    add_item(client, people, meeting, topics[1], "整理渠道数据")
    response = client.post(reverse("record:item_add", args=[meeting.pk, topics[1].pk]), {
        "task": "确认预算", "owner": people["member"].pk, "due": "2026-06-18", "deliverable": "预算表"}, **HTMX)
    html = response.content.decode()
    item = ActionItem.objects.get(task="确认预算")
    assert f'hx-swap-oob="beforeend:#topic-{topics[1].pk}-rows"' in html and f'id="item-{item.pk}"' in html
    assert f'id="topic-{topics[1].pk}-nothing" hidden hx-swap-oob="true"' in html
    assert f'id="t{topics[1].pk}-item"' in html and 'value="确认预算"' not in html  # the form is fresh
    live = client.get(reverse("record:live", args=[meeting.pk])).content.decode()
    assert f'<tbody id="topic-{topics[1].pk}-rows">' in live and f'id="item-{item.pk}"' in live


def test_the_number_of_queries_does_not_grow_with_the_meeting(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    add_item(client, people, meeting, topics[1], "整理渠道数据")
    small = add_item(client, people, meeting, topics[2], "提交推广方案")
    grow(meeting, people, 12)
    large = add_item(client, people, meeting, topics[2], "确认预算")
    assert large == small
