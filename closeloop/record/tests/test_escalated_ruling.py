"""Issue 12 point 5: a disagreement escalated for a ruling (提请上级裁决) is an action item for the decider, due
when the path says, with a message to them; their ruling, recorded from its page or as the item's closing note,
closes it, reaches the host and the recorder, and shows on the minutes."""

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.actions.models import ActionItem
from closeloop.audit.models import AuditEntry
from closeloop.minutes.services import minutes_create_draft
from closeloop.notify.models import InboxItem
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.record.selectors import escalations_of, loop_check_for
from closeloop.record.services import record as services

pytestmark = pytest.mark.django_db


def escalate(people, meeting, topic, **extra):
    return services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topic, data={
        "subject": "是否增加2条生产线", "positions": "生产部:产能不足;财务部:需评估成本", "path": "escalate",
        "escalate_to": people["head"], "due": dt.date(2026, 6, 19), **extra})


def test_the_decider_gets_an_item_due_on_the_paths_date_and_a_message(  # noqa: F811
        smtp_server, people, meeting, topics, record):  # noqa: F811
    dis = escalate(people, meeting, topics[2])
    item = ActionItem.objects.get(pk=dis.action_item_id)
    assert (item.owner, item.due, item.meeting_id) == (people["head"], dt.date(2026, 6, 19), meeting.pk)
    assert "是否增加2条生产线" in item.task
    drain_outbox()
    [told] = InboxItem.objects.filter(recipient=people["head"], kind="escalation.disagreement")
    assert told.link.endswith(reverse("record:ruling", args=[dis.pk]))
    assert "是否增加2条生产线" in told.title
    assert any("head@example.com" in m["To"] for m in smtp_server.messages())
    # Saving the disagreement again neither duplicates the item nor the message.
    services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[2], disagreement=dis, data={
        "subject": "是否增加2条生产线", "path": "escalate", "escalate_to": people["head"], "due": dt.date(2026, 6, 19),
        "parties": "生产部、财务部"})
    assert ActionItem.objects.filter(task__contains="是否增加2条生产线").count() == 1
    drain_outbox()
    assert InboxItem.objects.filter(recipient=people["head"], kind="escalation.disagreement").count() == 1


def test_the_ruling_asked_of_someone_above_does_not_hold_the_record_open(people, meeting, topics, record):
    escalate(people, meeting, topics[1])
    assert "item_not_confirmed" not in {p.rule for p in loop_check_for(meeting)}


def test_the_ruling_closes_the_disagreement_and_shows_on_the_minutes(client, people, meeting, topics, record):
    dis = escalate(people, meeting, topics[2])
    [open_one] = escalations_of(meeting)
    assert not open_one.closed
    client.force_login(people["head"])
    item = dis.action_item
    response = client.post(reverse("actions:status", args=[item.pk]), {
        "status": "done", "note": "同意增加1条生产线，第二条待Q4评估", "version": item.version})
    assert response.status_code in (200, 302)
    [ruled] = escalations_of(meeting)
    assert ruled.closed and ruled.ruling == "同意增加1条生产线，第二条待Q4评估"
    minutes = minutes_create_draft(actor=people["recorder"], meeting=meeting, language="zh-hans")
    assert "——赵经理裁决:同意增加1条生产线，第二条待Q4评估" in minutes.content["summary"]
    client.force_login(people["host"])
    html = client.get(reverse("minutes:detail", args=[minutes.pk])).content.decode()
    assert 'id="escalations"' in html and "同意增加1条生产线" in html


def test_the_decider_records_the_ruling_from_its_page(client, people, meeting, topics, record):
    dis = escalate(people, meeting, topics[2])
    client.force_login(people["head"])
    url = reverse("record:ruling", args=[dis.pk])
    item_page = client.get(reverse("actions:detail", args=[dis.action_item_id])).content.decode()
    assert f'href="{url}"' in item_page  # the item page leads to the ruling
    page = client.get(url).content.decode()
    assert "是否增加2条生产线" in page and "生产部:产能不足;财务部:需评估成本" in page and 'id="ruling-form"' in page
    empty = client.post(url, {"ruling": "  "}).content.decode()
    assert 'class="field invalid"' in empty and not escalations_of(meeting)[0].closed  # the error by its field
    answer = client.post(url, {"ruling": "同意增加1条生产线"})
    assert answer.status_code == 302 and answer["Location"] == url
    [ruled] = escalations_of(meeting)
    assert ruled.closed and ruled.ruling == "同意增加1条生产线"
    assert AuditEntry.objects.filter(action="disagreement.rule", object_id=str(dis.pk)).exists()
    after = client.get(url).content.decode()
    assert 'id="ruling-form"' not in after and "同意增加1条生产线" in after
    assert f'href="{url}"' not in client.get(reverse("actions:detail", args=[dis.action_item_id])).content.decode()
    drain_outbox()
    told = InboxItem.objects.filter(kind="escalation.ruling")
    assert {t.recipient for t in told} == {people["host"], people["recorder"]}
    assert all("同意增加1条生产线" in t.body or "同意增加1条生产线" in t.title for t in told)
    minutes = minutes_create_draft(actor=people["recorder"], meeting=meeting, language="zh-hans")
    assert "——赵经理裁决:同意增加1条生产线" in minutes.content["summary"]


@pytest.mark.parametrize("who", ["host", "recorder", "member", "outsider", "admin"])
def test_only_the_decider_opens_the_ruling_page(client, people, meeting, topics, record, who):
    dis = escalate(people, meeting, topics[2])
    client.force_login(people[who])
    url = reverse("record:ruling", args=[dis.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"ruling": "越权裁决"}).status_code == 404
    assert not escalations_of(meeting)[0].closed
