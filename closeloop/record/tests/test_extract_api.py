"""POST /api/v1/record/meetings/{id}/extract: typed notes in, proposals out, nothing saved; host and recorder only."""

import json

import pytest
from django.test import Client

from closeloop.actions.models import ActionItem
from closeloop.org.services import token_create
from closeloop.record.models import Decision

pytestmark = pytest.mark.django_db
NOTES = "请王销售明天提交渠道报告。会议决定Q3预算维持不变。张主持认为可以。\n销售部节前提交客户清单"


def extract(person, meeting_id, body):
    secret = token_create(person=person, name="extract")[1]
    return Client().post(f"/api/v1/record/meetings/{meeting_id}/extract", json.dumps(body),
                         content_type="application/json", headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("who", ["recorder", "host"])
def test_the_recorder_and_the_host_get_proposals_and_nothing_is_saved(people, meeting, who):
    response = extract(people[who], meeting.pk, {"text": NOTES})
    assert response.status_code == 200
    body = response.json()
    assert body["meeting_id"] == meeting.pk
    action, decision, department = body["proposals"]
    assert (action["kind"], action["owner"], action["task"], action["due"]) == (
        "action", "王销售", "提交渠道报告", "2026-06-16")
    assert action["match"] == {"type": "person", "id": people["member"].pk, "name": "王销售"}
    assert action["due_phrase"] == "明天" and action["vague"] is False and action["deliverable"] == "渠道报告"
    assert (decision["kind"], decision["owner"], decision["text"]) == ("decision", None, "会议决定Q3预算维持不变。")
    # 节前: the last working day before the Dragon Boat Festival (06-19 … 06-21).
    assert (department["due"], department["match"]["id"]) == ("2026-06-18", people["departments"]["sales"].pk)
    assert not ActionItem.objects.exists() and not Decision.objects.exists()


@pytest.mark.parametrize("who", ["admin", "member", "head", "outsider"])
def test_anyone_else_gets_404(people, meeting, who):
    response = extract(people[who], meeting.pk, {"text": NOTES})
    assert response.status_code == 404


def test_a_meeting_that_does_not_exist_is_404_and_no_token_is_401(people, meeting):
    assert extract(people["recorder"], meeting.pk + 999, {"text": "x"}).status_code == 404
    response = Client().post(f"/api/v1/record/meetings/{meeting.pk}/extract", json.dumps({"text": "x"}),
                             content_type="application/json")
    assert response.status_code == 401


def test_bad_input_names_the_field(people, meeting):
    response = extract(people["recorder"], meeting.pk, {})
    assert response.status_code == 422 and "text" in response.json()["errors"]
    response = extract(people["recorder"], meeting.pk, {"text": "x" * 20001})
    assert response.status_code == 422 and "text" in response.json()["errors"]


def test_empty_notes_give_no_proposals(people, meeting):
    assert extract(people["recorder"], meeting.pk, {"text": "  \n "}).json()["proposals"] == []


def test_it_is_in_the_openapi_schema(people):
    client = Client()
    client.force_login(people["member"])
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/record/meetings/{meeting_id}/extract"]["post"]
    assert "proposals" in json.dumps(operation) or operation["responses"]["200"]
    assert "ProposalOut" in schema["components"]["schemas"]
