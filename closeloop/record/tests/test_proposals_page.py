"""The live record page's smart-minutes proposals: what the note says, read into cards beside it; only the host
and the recorder get them (404 for anyone else); Edit fills the topic's form; nothing is saved by reading."""

import pytest

from closeloop.actions.models import ActionItem
from closeloop.record.models import Decision
from closeloop.record.tests.conftest import login

pytestmark = pytest.mark.django_db
NOTE = "请王销售明天提交渠道报告。会议决定Q3预算维持不变。张主持认为可以。"


def url(meeting, topic, name="proposals"):
    return f"/record/meetings/{meeting.pk}/topics/{topic.pk}/" + {"proposals": "proposals/",
                                                                  "edit": "proposals/edit/"}[name]


@pytest.mark.parametrize("who", ["recorder", "host"])
def test_the_note_is_read_into_an_action_item_and_a_decision(client, people, meeting, record, topics, who):
    response = login(client, people[who]).post(url(meeting, topics[0]), {"text": NOTE}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-proposal>") == 2
    assert 'name="task" value="提交渠道报告"' in html
    assert f'name="owner" value="{people["member"].pk}"' in html
    assert f'name="department" value="{people["departments"]["sales"].pk}"' in html
    assert 'name="due" value="2026-06-16"' in html
    assert 'name="text" value="会议决定Q3预算维持不变。"' in html
    assert not ActionItem.objects.exists() and not Decision.objects.exists()


def test_an_empty_note_gives_no_cards(client, people, meeting, record, topics):
    response = login(client, people["recorder"]).post(url(meeting, topics[0]), {"text": "  "})
    assert response.status_code == 200 and "data-proposal" not in response.content.decode()


@pytest.mark.parametrize("who", ["admin", "member", "head", "outsider"])
def test_anyone_else_gets_404(client, people, meeting, record, topics, who):
    login(client, people[who])
    assert client.post(url(meeting, topics[0]), {"text": NOTE}).status_code == 404
    assert client.post(url(meeting, topics[0], "edit"), {"kind": "action", "task": "x"}).status_code == 404


def test_a_topic_of_another_meeting_is_404(client, people, meeting, record, topics):
    login(client, people["recorder"])
    assert client.post(f"/record/meetings/{meeting.pk}/topics/999999/proposals/", {"text": NOTE}).status_code == 404


def test_edit_fills_the_topics_item_form_with_the_proposal(client, people, meeting, record, topics):
    response = login(client, people["recorder"]).post(url(meeting, topics[0], "edit"), {
        "kind": "action", "task": "提交渠道报告", "owner": people["member"].pk, "due": "2026-06-16"})
    html = response.content.decode()
    assert response.status_code == 200 and f'id="t{topics[0].pk}-item"' in html
    assert 'value="提交渠道报告"' in html and 'value="2026-06-16"' in html
    assert f'<option value="{people["member"].pk}" selected>' in html


def test_edit_fills_the_decision_form(client, people, meeting, record, topics):
    response = login(client, people["recorder"]).post(url(meeting, topics[0], "edit"), {
        "kind": "decision", "text": "会议决定Q3预算维持不变。"})
    html = response.content.decode()
    assert f'id="t{topics[0].pk}-dec"' in html and "会议决定Q3预算维持不变。</textarea>" in html


def test_the_page_asks_for_proposals_only_for_the_host_and_the_recorder(client, people, meeting, record, topics):
    marker = f'id="t{topics[0].pk}-proposals"'
    assert marker in login(client, people["recorder"]).get(f"/record/meetings/{meeting.pk}/").content.decode()
    assert marker not in login(client, people["admin"]).get(f"/record/meetings/{meeting.pk}/").content.decode()
