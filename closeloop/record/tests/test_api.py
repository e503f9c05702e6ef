"""The live record through the API: the whole record with its revision, every write, closing with the loop
check in the 422 body, and the permission matrix (404 for outsiders, 403 on writes for readers)."""

import json

import pytest
from django.test import Client

from closeloop.actions.models import ActionItem
from closeloop.org.selectors import policy_for
from closeloop.org.services import token_create
from closeloop.record.models import MeetingRecord, Note

pytestmark = pytest.mark.django_db
BASE = "/api/v1/record/meetings/{meeting_id}"


def api(person):
    client = Client()
    secret = token_create(person=person, name="record")[1]
    return client, {"Authorization": f"Bearer {secret}"}


def call(person, method, path, body=None, **ids):
    client, headers = api(person)
    url = (BASE + path).format(**ids)
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", headers=headers)


def test_the_record_before_it_starts(people, meeting):
    body = call(people["member"], "get", "", meeting_id=meeting.pk).json()
    assert (body["state"], body["revision"], body["can_record"]) == ("not_started", 0, False)
    assert [t["title"] for t in body["topics"]] == ["Q2推广活动复盘", "Q3推广目标及策略", "部门分工与资源协调"]
    assert {a["person"]["username"]: a["signed_in"] for a in body["attendance"]} == {
        "host": False, "recorder": False, "member": False}
    assert call(people["member"], "get", "/revision", meeting_id=meeting.pk).json() == {
        "state": "not_started", "revision": 0}


def test_a_meeting_day_through_the_api(people, meeting, topics):
    rec, m = people["recorder"], meeting.pk
    t_inform, t_discuss, t_decide = (t.pk for t in topics)
    assert call(rec, "post", "/open", meeting_id=m).json()["state"] == "open"

    r = call(rec, "post", "/attendance", {"person_id": people["member"].pk, "presence": "absent"}, meeting_id=m)
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = call(rec, "post", "/attendance", {"person_id": people["member"].pk, "presence": "substitute",
                                          "reason": "出差", "substitute_id": people["head"].pk}, meeting_id=m)
    assert r.status_code == 200 and r.json()["substitute"]["username"] == "head"
    assert call(rec, "post", "/attendance/suggested", meeting_id=m).json() == {"signed_in": 2}

    r = call(rec, "post", f"/topics/{t_inform}/notes", {"text": "Q2转化率偏低"}, meeting_id=m)
    assert r.status_code == 201 and r.json()["department"]["name"] == "市场部"

    r = call(rec, "post", f"/topics/{t_discuss}/disagreements", {
        "subject": "线上线下预算比例", "path": "data", "owner_id": people["member"].pk,
        "data_needed": "Q2各渠道ROI"}, meeting_id=m)
    assert r.status_code == 201
    dis = r.json()
    assert dis["due"] == "2026-06-16" and dis["action_item_id"]

    r = call(rec, "post", f"/topics/{t_decide}/decisions", {"text": "市场部牵头", "decided_by_id": people["member"].pk,
                                                            "no_objection": True}, meeting_id=m)
    decision = r.json()
    assert r.status_code == 201 and decision["no_objection"] is True

    r = call(rec, "post", f"/topics/{t_decide}/action-items", {
        "task": "提交推广方案", "deliverable": "方案经审批", "due": "2026-06-18"}, meeting_id=m)
    assert r.status_code == 422 and "owner_id" in r.json()["errors"]
    r = call(rec, "post", f"/topics/{t_decide}/action-items", {
        "task": "尽快提交推广方案", "owner_id": people["member"].pk, "deliverable": "方案经审批", "due": "2026-06-18",
        "decision_id": decision["id"], "collaborator_ids": [people["host"].pk]}, meeting_id=m)
    item = r.json()
    assert r.status_code == 201 and item["decision_id"] == decision["id"]
    # The owner sent a substitute: the item is saved, with a warning that they were not there.
    assert [f["rule"] for f in item["findings"]] == ["vague", "owner_not_present"]

    r = call(rec, "post", f"/topics/{t_inform}/timer", {"action": "start"}, meeting_id=m)
    assert r.json()["running"] is True and r.json()["budget_seconds"] == 20 * 60
    r = call(rec, "post", f"/topics/{t_inform}/timer", {"action": "pause"}, meeting_id=m)
    assert r.status_code == 422 and "action" in r.json()["errors"]

    points = call(rec, "get", "/loop-check", meeting_id=m).json()
    assert sorted(p["rule"] for p in points) == ["item_not_confirmed", "item_not_confirmed"]

    policy = policy_for(meeting.organisation)
    policy.close_loop_mode = "block"
    policy.save()
    r = call(rec, "post", "/close", {"force": True}, meeting_id=m)
    body = r.json()
    assert r.status_code == 422 and body["mode"] == "block" and body["can_force"] is False
    assert [p["object_type"] for p in body["open_points"]] == ["action_item", "action_item"]
    assert body["errors"]["loop"]

    for item_id in ActionItem.objects.filter(meeting=meeting).values_list("pk", flat=True):
        assert call(rec, "post", f"/action-items/{item_id}/confirm", meeting_id=m).json()["owner_confirmed"]
    r = call(rec, "post", "/close", {}, meeting_id=m)
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["closed_by"]["username"] == "recorder"

    record = call(people["member"], "get", "", meeting_id=m).json()
    topic = record["topics"][0]
    assert topic["notes"][0]["text"] == "Q2转化率偏低" and topic["timer"]["running"] is False
    assert record["revision"] == MeetingRecord.objects.get().revision
    assert call(rec, "post", f"/topics/{t_inform}/notes", {"text": "迟到"}, meeting_id=m).status_code == 422


def test_warn_mode_closes_with_force(people, meeting, topics):
    r = call(people["host"], "post", "/close", {}, meeting_id=meeting.pk)
    assert r.status_code == 422 and r.json()["can_force"] is True and r.json()["mode"] == "warn"
    assert r.json()["open_points"][0]["rule"] == "decide_topic_without_decision"
    r = call(people["host"], "post", "/close", {"force": True}, meeting_id=meeting.pk)
    assert r.json()["state"] == "closed"


def test_editing_and_deleting_rows(people, meeting, topics):
    rec, m = people["recorder"], meeting.pk
    dec = call(rec, "post", f"/topics/{topics[2].pk}/decisions", {"text": "原决议"}, meeting_id=m).json()
    r = call(rec, "put", f"/decisions/{dec['id']}", {"text": "新决议", "no_action_needed": True}, meeting_id=m)
    assert r.json()["text"] == "新决议" and r.json()["no_action_needed"] is True
    dis = call(rec, "post", f"/topics/{topics[1].pk}/disagreements", {"subject": "分歧"}, meeting_id=m).json()
    assert dis["path"] is None
    r = call(rec, "put", f"/disagreements/{dis['id']}", {
        "subject": "分歧", "path": "escalate", "escalate_to_id": people["head"].pk, "due": "2026-06-17"},
        meeting_id=m)
    assert r.json()["escalate_to"]["username"] == "head"
    note = call(rec, "post", f"/topics/{topics[0].pk}/notes", {"text": "写错"}, meeting_id=m).json()
    assert call(rec, "delete", f"/notes/{note['id']}", meeting_id=m).status_code == 204
    assert not Note.objects.exists()
    assert call(rec, "delete", f"/bogus/{note['id']}", meeting_id=m).status_code == 404
    r = call(rec, "put", f"/topics/{topics[2].pk}/no-decision-reason", {"reason": "待定"}, meeting_id=m)
    assert r.json() == {"reason": "待定"}


def test_the_review_through_the_api(people, meeting, earlier_item):
    m = meeting.pk
    record = call(people["recorder"], "get", "", meeting_id=m).json()
    assert [(i["task"], i["can_update"]) for i in record["review"]] == [("整理上周渠道数据", True)]
    r = call(people["recorder"], "post", f"/review/{earlier_item.pk}/status", {"status": "delayed"}, meeting_id=m)
    assert r.status_code == 422 and {"reason", "new_due"} <= set(r.json()["errors"])
    r = call(people["recorder"], "post", f"/review/{earlier_item.pk}/progress", {"percent": 30}, meeting_id=m)
    assert r.json()["progress"] == 30 and r.json()["status"] == "in_progress"


def test_unknown_people_are_refused_naming_the_field(people, meeting, org):
    r = call(people["recorder"], "post", "/attendance", {"person_id": 99999, "presence": "present"},
             meeting_id=meeting.pk)
    assert r.status_code == 422 and "person_id" in r.json()["errors"]


@pytest.fixture
def ids(people, meeting, topics, earlier_item):
    from closeloop.record.services import record as services
    from closeloop.record.services.items import record_item_add
    from closeloop.record.tests.conftest import item_data

    rec = people["recorder"]
    return {
        "meeting_id": meeting.pk, "topic_id": topics[2].pk,
        "note_id": services.note_add(actor=rec, meeting=meeting, topic=topics[0], text="x").pk,
        "dec_id": services.decision_save(actor=rec, meeting=meeting, topic=topics[2], data={"text": "x"}).pk,
        "dis_id": services.disagreement_save(actor=rec, meeting=meeting, topic=topics[1], data={"subject": "x"}).pk,
        "item_id": record_item_add(actor=rec, meeting=meeting, topic=topics[2], data=item_data(people)).pk,
        "review_id": earlier_item.pk, "person_id": people["member"].pk,
    }


ENDPOINTS = [
    ("get", "", None),
    ("get", "/revision", None),
    ("get", "/loop-check", None),
    ("post", "/open", {}),
    ("post", "/attendance", {"person_id": "{person_id}", "presence": "present"}),
    ("post", "/attendance/suggested", {}),
    ("post", "/topics/{topic_id}/notes", {"text": "x"}),
    ("post", "/topics/{topic_id}/disagreements", {"subject": "x"}),
    ("put", "/disagreements/{dis_id}", {"subject": "y"}),
    ("post", "/topics/{topic_id}/decisions", {"text": "x"}),
    ("put", "/decisions/{dec_id}", {"text": "y"}),
    ("delete", "/notes/{note_id}", None),
    ("post", "/topics/{topic_id}/action-items", {"task": "x"}),
    ("post", "/action-items/{item_id}/confirm", {}),
    ("post", "/topics/{topic_id}/timer", {"action": "start"}),
    ("put", "/topics/{topic_id}/no-decision-reason", {"reason": "x"}),
    ("post", "/review/{review_id}/status", {"status": "in_progress"}),
    ("post", "/review/{review_id}/progress", {"percent": 10}),
    ("post", "/close", {"force": True}),
]
WRITES = [e for e in ENDPOINTS if e[0] != "get"]


def _call(person, endpoint, ids):
    method, path, body = endpoint
    if body is not None:
        body = json.loads(json.dumps(body).replace('"{person_id}"', str(ids["person_id"])))
    return call(person, method, path.format(**ids), body, **ids)


def _state():
    record = MeetingRecord.objects.get()
    return record.revision, record.state, Note.objects.count(), ActionItem.objects.filter(owner_confirmed=True).count()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_an_outsider_gets_404_from_every_record_endpoint(people, ids, endpoint):
    before = _state()
    assert _call(people["outsider"], endpoint, ids).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("endpoint", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_a_participant_gets_403_on_every_write(people, ids, endpoint):
    before = _state()
    response = _call(people["member"], endpoint, ids)
    assert response.status_code == 403 and response.json()["detail"]
    assert _state() == before


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e[0] == "get"], ids=lambda e: e[1] or "record")
def test_a_participant_reads(people, ids, endpoint):
    assert _call(people["member"], endpoint, ids).status_code == 200


def test_the_recorder_reaches_every_write(people, ids):
    for endpoint in WRITES:
        assert _call(people["recorder"], endpoint, ids).status_code in (200, 201, 204, 422), endpoint


def test_the_record_endpoints_are_in_the_api_schema(client, people):
    client.force_login(people["member"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/record/meetings/{meeting_id}/close" in paths
    assert "422" in paths["/api/v1/record/meetings/{meeting_id}/close"]["post"]["responses"]
