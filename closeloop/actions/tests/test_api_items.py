"""The action items API: each endpoint, its validation errors naming the field, and the list's cost."""

import datetime as dt
import json

import pytest
from django.test import Client

from closeloop.actions.choices import ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_create, action_item_set_status
from closeloop.actions.tests.conftest import item_data, later
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions"


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def new_body(people, meeting, **overrides):
    body = {"meeting_id": meeting.pk, "task": "提交Q3推广预算明细表", "owner_id": people["member"].pk,
            "due": "2026-06-18", "deliverable": "预算明细表经财务部签字确认"}
    body.update(overrides)
    return body


# --- Create -------------------------------------------------------------------------------

def test_the_recorder_creates_an_item_for_a_meeting(people, meeting):
    topic = meeting.topics.last()
    res = post(client_for(people["recorder"]), URL, new_body(
        people, meeting, topic_id=topic.pk, collaborator_ids=[people["host"].pk, people["host"].pk],
        support_needed="财务部提供数据"))
    assert res.status_code == 201, res.content
    data = res.json()
    assert data["meeting"] == {"id": meeting.pk, "title": meeting.title}
    assert data["topic_id"] == topic.pk and data["department"]["name"] == "销售部"
    assert [c["id"] for c in data["collaborators"]] == [people["host"].pk]
    assert data["due"] == data["original_due"] == "2026-06-18"
    assert [e["kind"] for e in data["history"]] == ["created"]
    assert data["can_change"] is True and data["findings"] == []
    assert data["created_at"].endswith("+08:00")


def test_a_create_answers_its_warnings(people, meeting):
    res = post(client_for(people["recorder"]), URL, new_body(people, meeting, task="尽快出方案", due="2026-06-20"))
    assert res.status_code == 201
    assert {(f["rule"], f["field"]) for f in res.json()["findings"]} == {("vague", "task"),
                                                                        ("due_not_working_day", "due")}


def test_a_blocking_finding_answers_422_naming_the_field(people, meeting):
    res = post(client_for(people["recorder"]), URL, new_body(people, meeting, owner_id=None))
    assert res.status_code == 422
    assert set(res.json()["errors"]) == {"owner_id"}
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"task": "   "}, "task"), ({"due": "2026-13-01"}, "due"), ({"owner_id": 999999}, "owner_id"),
    ({"topic_id": 999999}, "topic_id"), ({"collaborator_ids": [999999]}, "collaborator_ids"),
    ({"department_id": 999999}, "department_id"), ({"decision_id": 999999}, "decision_id"),
])
def test_bad_input_to_create_names_the_field(people, meeting, body, field):
    res = post(client_for(people["recorder"]), URL, new_body(people, meeting, **body))
    assert res.status_code == 422
    assert field in res.json()["errors"]


def test_a_topic_without_a_meeting_is_refused_naming_the_meeting(people, meeting):
    body = new_body(people, meeting, topic_id=meeting.topics.first().pk)
    del body["meeting_id"]
    res = post(client_for(people["recorder"]), URL, body)
    assert res.status_code == 422 and "meeting_id" in res.json()["errors"]


def test_a_participant_who_may_not_edit_the_meeting_gets_403(people, meeting):
    res = post(client_for(people["member"]), URL, new_body(people, meeting))
    assert res.status_code == 403


def test_anyone_creates_an_item_outside_a_meeting(people):
    body = {"task": "整理渠道清单", "owner_id": people["outsider"].pk, "due": "2026-12-04", "deliverable": "清单"}
    res = post(client_for(people["outsider"]), URL, body)
    assert res.status_code == 201 and res.json()["meeting"] is None


# --- Read ---------------------------------------------------------------------------------

def test_the_detail_shows_the_history_with_actors(people, item, today):
    action_item_set_status(actor=people["member"], item=item, status="delayed", reason="等数据",
                           new_due=later(today, 5))
    data = client_for(people["member"]).get(f"{URL}/{item.pk}").json()
    delay = data["history"][-1]
    assert delay["kind"] == "delay" and delay["reason"] == "等数据"
    assert delay["old_due"] == "2026-06-18" and delay["new_due"] == later(today, 5).isoformat()
    assert delay["actor"]["id"] == people["member"].pk
    assert data["can_confirm"] is True


def test_the_head_sees_but_may_not_change(people, item):
    data = client_for(people["head"]).get(f"{URL}/{item.pk}").json()
    assert data["can_change"] is False and data["can_confirm"] is False


def make_items(people, meeting, n, **overrides):
    return [action_item_create(actor=people["recorder"], organisation=meeting.organisation,
                               data=item_data(people, task=f"任务{i}", **overrides), meeting=meeting)
            for i in range(n)]


def test_the_list_filters_by_status_owner_department_meeting_and_dates(people, meeting, today):
    first, second, third = make_items(people, meeting, 3)
    action_item_set_status(actor=people["member"], item=second, status="delayed", reason="x",
                           new_due=later(today, 9))
    third.owner, third.department = people["host"], people["departments"]["market"]
    third.save()
    c = client_for(people["admin"])

    def ids(query):
        res = c.get(f"{URL}?{query}")
        assert res.status_code == 200, res.content
        return [row["id"] for row in res.json()["items"]]

    assert ids("") == [first.pk, third.pk, second.pk]
    assert ids("status=delayed") == [second.pk]
    assert ids(f"owner={people['host'].pk}") == [third.pk]
    assert ids(f"department={people['departments']['sales'].pk}") == [first.pk, second.pk]
    assert ids(f"meeting={meeting.pk}") == [first.pk, third.pk, second.pk]
    assert ids(f"due_from={today.isoformat()}") == [second.pk]
    assert ids("due_to=2026-06-30") == [first.pk, third.pk]
    assert ids("overdue=true") == [first.pk, third.pk]
    assert ids("overdue=false") == [second.pk]
    assert ids("project=999") == []


def test_the_list_marks_overdue_items(people, meeting, today):
    (item,) = make_items(people, meeting, 1)
    rows = client_for(people["member"]).get(URL).json()["items"]
    assert rows[0]["overdue"] is True  # due 2026-06-18, still open
    action_item_set_status(actor=people["member"], item=item, status="done", note="已交付")
    assert client_for(people["member"]).get(URL).json()["items"][0]["overdue"] is False


def test_mine_lists_what_i_own_or_collaborate_on(people, meeting):
    owned, other = make_items(people, meeting, 2)
    other.owner = people["host"]
    other.save()
    other.collaborators.add(people["recorder"])
    c = client_for(people["recorder"])
    assert [r["id"] for r in c.get(f"{URL}?mine=true").json()["items"]] == [other.pk]
    assert [r["id"] for r in client_for(people["member"]).get(f"{URL}?mine=true").json()["items"]] == [owned.pk]


def test_a_bad_filter_is_refused_naming_it(people):
    res = client_for(people["member"]).get(f"{URL}?due_from=tomorrow")
    assert res.status_code == 422 and "due_from" in res.json()["errors"]


def test_the_list_costs_the_same_queries_for_one_item_or_twenty(people, meeting, django_assert_max_num_queries):
    make_items(people, meeting, 1, collaborators=[people["host"]])
    c = client_for(people["head"])
    c.get(URL)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert len(c.get(URL).json()["items"]) == 1
    make_items(people, meeting, 19, collaborators=[people["host"], people["recorder"]])
    with django_assert_max_num_queries(len(one)):
        assert len(c.get(URL).json()["items"]) == 20


def test_the_detail_costs_a_fixed_number_of_queries(people, item, today, django_assert_max_num_queries):
    for days in (3, 6, 9):
        action_item_set_status(actor=people["member"], item=item, status="delayed", reason="x",
                               new_due=later(today, days))
        item.refresh_from_db()
    c = client_for(people["member"])
    c.get(f"{URL}/{item.pk}")
    with django_assert_max_num_queries(14):
        assert len(c.get(f"{URL}/{item.pk}").json()["history"]) == 4


# --- Change -------------------------------------------------------------------------------

def test_patch_with_the_version_read_changes_the_item(people, item):
    res = patch(client_for(people["host"]), f"{URL}/{item.pk}", {"version": 1, "support_needed": "无",
                                                                 "collaborator_ids": [people["head"].pk]})
    assert res.status_code == 200
    assert res.json()["version"] == 2 and res.json()["collaborators"][0]["id"] == people["head"].pk


def test_patch_with_a_stale_version_answers_409(people, item):
    patch(client_for(people["host"]), f"{URL}/{item.pk}", {"version": 1, "support_needed": "无"})
    res = patch(client_for(people["member"]), f"{URL}/{item.pk}", {"version": 1, "task": "x"})
    assert res.status_code == 409 and res.json()["current_version"] == 2


@pytest.mark.parametrize("body, field", [
    ({"task": None}, "task"), ({"task": "  "}, "task"), ({"owner_id": 999999}, "owner_id"),
    ({"project_id": 999999}, "project_id"), ({"due": "x"}, "due"),
])
def test_bad_input_to_patch_names_the_field(people, item, body, field):
    res = patch(client_for(people["host"]), f"{URL}/{item.pk}", body)
    assert res.status_code == 422 and field in res.json()["errors"]


def test_the_owner_confirms(people, item):
    res = post(client_for(people["member"]), f"{URL}/{item.pk}/confirm")
    assert res.status_code == 200 and res.json()["owner_confirmed"] is True
    assert res.json()["history"][-1]["kind"] == "confirmed"


def test_confirm_accepts_no_body_at_all(people, item):
    res = client_for(people["member"]).post(f"{URL}/{item.pk}/confirm", "", content_type="application/json")
    assert res.status_code == 200, res.content


def test_confirm_with_a_stale_version_answers_409(people, item):
    patch(client_for(people["host"]), f"{URL}/{item.pk}", {"support_needed": "无"})
    assert post(client_for(people["member"]), f"{URL}/{item.pk}/confirm", {"version": 1}).status_code == 409


def test_status_delay_with_reason_and_new_date(people, item, today):
    res = post(client_for(people["member"]), f"{URL}/{item.pk}/status",
               {"status": "delayed", "reason": "供应商报价延迟", "new_due": later(today, 4).isoformat()})
    assert res.status_code == 200
    assert res.json()["status"] == "delayed" and res.json()["due"] == later(today, 4).isoformat()


@pytest.mark.parametrize("body, fields", [
    ({"status": "delayed"}, {"reason", "new_due"}), ({"status": "done"}, {"note"}),
    ({"status": "cancelled"}, {"reason"}), ({"status": "paused"}, {"status"}),
    ({"status": "not_started"}, {"status"}), ({}, {"status"}),
])
def test_status_errors_name_their_fields(people, item, body, fields):
    res = post(client_for(people["member"]), f"{URL}/{item.pk}/status", body)
    assert res.status_code == 422
    assert set(res.json()["errors"]) == fields


def test_a_done_item_refuses_further_status_changes_naming_status(people, item):
    c = client_for(people["member"])
    assert post(c, f"{URL}/{item.pk}/status", {"status": "done", "note": "已提交"}).status_code == 200
    res = post(c, f"{URL}/{item.pk}/status", {"status": "in_progress"})
    assert res.status_code == 422 and set(res.json()["errors"]) == {"status"}
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.DONE


def test_progress(people, item):
    res = post(client_for(people["member"]), f"{URL}/{item.pk}/progress", {"percent": 40, "note": "初稿"})
    assert res.status_code == 200
    assert (res.json()["progress"], res.json()["status"]) == (40, "in_progress")


@pytest.mark.parametrize("percent", [-5, 101, "many"])
def test_progress_out_of_range_names_percent(people, item, percent):
    res = post(client_for(people["member"]), f"{URL}/{item.pk}/progress", {"percent": percent})
    assert res.status_code == 422 and "percent" in res.json()["errors"]


# --- SMART check ---------------------------------------------------------------------------

def test_the_smart_check_answers_findings_for_a_draft(people, meeting):
    res = post(client_for(people["recorder"]), f"{URL}/smart-check",
               {"task": "再看看渠道", "owner_id": people["outsider"].pk, "due": "2026-06-13",
                "meeting_id": meeting.pk})
    assert res.status_code == 200
    data = res.json()
    found = {(f["rule"], f["field"]) for f in data["findings"]}
    assert found == {("vague", "task"), ("deliverable_missing", "deliverable"), ("due_before_meeting", "due"),
                     ("due_not_working_day", "due"), ("owner_not_present", "owner_id")}
    assert data["blocking"] is True  # the missing deliverable blocks by default
    vague = next(f for f in data["findings"] if f["rule"] == "vague")
    assert vague["params"] == {"word": "再看看"} and "“再看看”" in vague["message"]
    assert not ActionItem.objects.exists()


def test_the_smart_check_speaks_the_token_owners_language(people, meeting):
    _token, secret = token_create(person=people["member"], name="脚本")  # member reads English
    res = Client().post(f"{URL}/smart-check", json.dumps({"task": "ASAP"}), content_type="application/json",
                        headers={"Authorization": f"Bearer {secret}"})
    assert res.status_code == 200
    assert "ASAP" in res.json()["findings"][0]["message"]
    assert "Name one owner" in next(f["message"] for f in res.json()["findings"] if f["rule"] == "owner_missing")


def test_the_smart_check_without_a_meeting_skips_the_meeting_rules(people):
    res = post(client_for(people["outsider"]), f"{URL}/smart-check",
               {"task": "提交清单", "owner_id": people["outsider"].pk, "due": "2020-01-06", "deliverable": "清单"})
    assert res.json() == {"blocking": False, "findings": []}


def test_the_smart_check_names_an_unknown_owner(people):
    res = post(client_for(people["member"]), f"{URL}/smart-check", {"owner_id": 999999})
    assert res.status_code == 422 and "owner_id" in res.json()["errors"]


def test_an_anonymous_caller_gets_401(item):
    assert Client().get(URL).status_code == 401
    assert Client().post(f"{URL}/smart-check", "{}", content_type="application/json").status_code == 401


def test_dates_are_plain_dates(people, item):
    data = client_for(people["member"]).get(f"{URL}/{item.pk}").json()
    assert dt.date.fromisoformat(data["due"]) == item.due
