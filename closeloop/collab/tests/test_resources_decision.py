"""A resource request belongs to its request and may be tied to one decision of the request's meetings:
raised from the request page (also straight from a difficulty answer), chosen in the form and the API,
shown on the request and the resource pages; a decision of another meeting is refused naming the field."""

import pytest
from django.core.exceptions import ValidationError

from closeloop.collab import services
from closeloop.collab.models import ResourceRequest
from closeloop.conftest import at
from closeloop.meetings.services.planning import meeting_create, topic_add
from closeloop.record.models import Decision, MeetingRecord

from .test_resources import finance_set  # noqa: F401  (fixture)


def decide(meeting, text):
    record, _created = MeetingRecord.objects.get_or_create(meeting=meeting)
    topic = meeting.topics.first()
    return Decision.objects.create(record=record, topic=topic, text=text)


@pytest.fixture
def decided(with_meeting, parties):
    topic_add(actor=parties["host"], meeting=with_meeting, data={"title": "铺货人手", "kind": "decide",
                                                                   "minutes": 20, "required_outcome": "定人手"})
    return decide(with_meeting, "销售部增派2名促销员，7月到岗")


@pytest.fixture
def elsewhere(parties):
    meeting = meeting_create(actor=parties["host"], data={"type": "decision", "title": "别的会",
                                                          "start": at(2026, 6, 16), "end": at(2026, 6, 16, 15)})
    topic_add(actor=parties["host"], meeting=meeting, data={"title": "别的议题", "kind": "decide", "minutes": 20,
                                                            "required_outcome": "定"})
    return decide(meeting, "另一个会的决议")


DATA = {"title": "促销人员", "reason": "铺货人手不足", "people": [{"role": "促销员", "count": 2}],
        "budget_amount": 5000, "budget_category": "personnel"}


def test_a_resource_request_is_tied_to_a_decision_of_the_requests_meeting(finance_set, sent, decided,  # noqa: F811
                                                                         elsewhere):
    resource = services.resource_request_create(actor=finance_set["member"], request=sent,
                                                data={**DATA, "decision": decided})
    assert resource.decision == decided
    with pytest.raises(ValidationError) as refused:
        services.resource_request_create(actor=finance_set["member"], request=sent,
                                         data={**DATA, "decision": elsewhere})
    assert "decision" in refused.value.error_dict


def test_the_api_takes_and_shows_the_decision(client, finance_set, sent, decided, elsewhere):  # noqa: F811
    client.force_login(finance_set["head"])  # reads Chinese
    refused = client.post("/api/v1/resource-requests", {**DATA, "request": sent.pk, "decision_id": elsewhere.pk},
                          content_type="application/json")
    assert refused.status_code == 422 and "decision_id" in refused.json()["errors"]
    assert "会议" in refused.json()["errors"]["decision_id"][0]  # the reader's language
    created = client.post("/api/v1/resource-requests", {**DATA, "request": sent.pk, "decision_id": decided.pk},
                          content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["decision"] == decided.pk and created.json()["decision_text"] == decided.text
    listed = client.get(f"/api/v1/resource-requests?request={sent.pk}").json()["items"]
    assert [r["decision"] for r in listed] == [decided.pk]


def test_raised_from_the_request_page_with_the_decision_and_shown_on_both_pages(client, finance_set, sent,  # noqa: F811
                                                                               decided):
    client.force_login(finance_set["member"])
    form = client.get(f"/requests/{sent.pk}/resources/new/?decision={decided.pk}")
    assert form.status_code == 200 and decided.text[:20] in form.content.decode()
    response = client.post(f"/requests/{sent.pk}/resources/new/", {
        "title": "促销人员", "reason": "铺货人手不足", "people": "促销员, 2, 7月", "budget_amount": "5000",
        "budget_category": "personnel", "decision": decided.pk})
    resource = ResourceRequest.objects.get()
    assert response.status_code == 302 and resource.decision == decided
    page = client.get(f"/requests/resources/{resource.pk}/").content.decode()
    assert 'id="resource-decision"' in page and decided.text in page
    story = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "resource-decision" in story and "促销人员" in story


def test_a_difficulty_answer_asking_for_resources_offers_to_raise_them(client, parties, sent):
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="difficulty",
                            note="人手不够", missing=["people"], resource_request="2名促销员")
    client.force_login(parties["member"])  # a member of the answering department
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "raise-resources" in page and f"/requests/{sent.pk}/resources/new/" in page
    client.force_login(parties["outsider"])
    assert client.get(f"/requests/{sent.pk}/resources/new/").status_code == 404


def test_the_request_page_and_api_list_the_decisions_of_its_meetings(client, parties, sent, decided, elsewhere):
    client.force_login(parties["host"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert f'id="decision-{decided.pk}"' in page and decided.text in page
    assert "另一个会的决议" not in page  # a meeting that is not the request's
    body = client.get(f"/api/v1/requests/{sent.pk}").json()
    assert [(d["id"], d["meeting"]) for d in body["decisions"]] == [(decided.pk, decided.record.meeting_id)]
    client.force_login(parties["outsider"])
    assert client.get(f"/api/v1/requests/{sent.pk}").status_code == 404
