"""Who may do what through the action items API, endpoint by endpoint.

Not entitled (outsider; someone of another organisation): 404 everywhere, nothing revealed or changed.
Entitled to see but not to change (the owner's department head, a participant who is not the owner): 403.
"""

import json

import pytest
from django.test import Client

from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_create
from closeloop.actions.tests.conftest import item_data
from closeloop.conftest import make_person
from closeloop.meetings.services.planning import meeting_update
from closeloop.org.models import Organisation

pytestmark = pytest.mark.django_db

ITEM_ENDPOINTS = [
    ("get", "/api/v1/actions/{id}", None),
    ("patch", "/api/v1/actions/{id}", {"support_needed": "外部支持"}),
    ("post", "/api/v1/actions/{id}/confirm", {}),
    ("post", "/api/v1/actions/{id}/status", {"status": "in_progress"}),
    ("post", "/api/v1/actions/{id}/progress", {"percent": 10}),
]
WRITES = [e for e in ITEM_ENDPOINTS if e[0] != "get"]


def call(person, endpoint, item_id):
    method, path, body = endpoint
    client = Client()
    client.force_login(person)
    url = path.format(id=item_id)
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def state(item):
    i = ActionItem.objects.get(pk=item.pk)
    return (i.version, i.status, i.progress, i.owner_confirmed, i.support_needed, i.events.count())


@pytest.fixture
def stranger(db):
    other = Organisation.objects.create(name="别家公司")
    return make_person(other, "stranger")


@pytest.mark.parametrize("endpoint", ITEM_ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_someone_not_entitled_gets_404_from_every_item_endpoint(people, item, stranger, endpoint, who):
    person = stranger if who == "stranger" else people[who]
    before = state(item)
    res = call(person, endpoint, item.pk)
    assert res.status_code == 404
    assert res.json() == {"detail": res.json()["detail"]} and str(item.task) not in res.content.decode()
    assert state(item) == before


@pytest.mark.parametrize("endpoint", ITEM_ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_an_unknown_item_is_404_like_a_hidden_one(people, endpoint):
    assert call(people["admin"], endpoint, 999999).status_code == 404


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: f"{e[0]} {e[1]}")
@pytest.mark.parametrize("who", ["head"])
def test_a_viewer_who_may_not_change_gets_403_and_nothing_changes(people, item, endpoint, who):
    assert call(people[who], ITEM_ENDPOINTS[0], item.pk).status_code == 200
    before = state(item)
    assert call(people[who], endpoint, item.pk).status_code == 403
    assert state(item) == before


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: f"{e[0]} {e[1]}")
def test_a_participant_who_is_not_the_owner_gets_403(people, meeting, endpoint):
    item = action_item_create(actor=people["recorder"], organisation=meeting.organisation,
                              data=item_data(people, owner=people["host"]), meeting=meeting)
    before = state(item)
    assert call(people["member"], endpoint, item.pk).status_code == 403
    assert state(item) == before


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: f"{e[0]} {e[1]}")
def test_the_owner_may_use_every_write(people, item, endpoint):
    assert call(people["member"], endpoint, item.pk).status_code == 200


def test_hidden_items_are_missing_from_the_list(people, item, stranger):
    for person in (people["outsider"], stranger):
        client = Client()
        client.force_login(person)
        assert client.get("/api/v1/actions").json()["items"] == []
    client = Client()
    client.force_login(people["head"])
    assert [r["id"] for r in client.get("/api/v1/actions").json()["items"]] == [item.pk]


def _post(person, url, body):
    client = Client()
    client.force_login(person)
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_the_smart_check_of_a_hidden_meeting_is_404(people, meeting, stranger, who):
    person = stranger if who == "stranger" else people[who]
    res = _post(person, "/api/v1/actions/smart-check", {"task": "尽快", "meeting_id": meeting.pk})
    assert res.status_code == 404 and "尽快" not in res.content.decode()


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_creating_in_a_hidden_meeting_is_404(people, meeting, stranger, who):
    person = stranger if who == "stranger" else people[who]
    res = _post(person, "/api/v1/actions", {"meeting_id": meeting.pk, "task": "x", "owner_id": person.pk,
                                            "due": "2026-06-18", "deliverable": "y"})
    assert res.status_code == 404 and not ActionItem.objects.exists()


def test_a_confidential_meeting_hides_its_smart_check_from_the_head(people, meeting):
    meeting_update(actor=people["host"], meeting=meeting, data={"confidential": True})
    res = _post(people["head"], "/api/v1/actions/smart-check", {"task": "x", "meeting_id": meeting.pk})
    assert res.status_code == 404


def test_a_collaborator_sees_the_item_but_may_not_change_it(people, item):
    item.collaborators.add(people["outsider"])
    assert call(people["outsider"], ITEM_ENDPOINTS[0], item.pk).status_code == 200
    assert call(people["outsider"], WRITES[0], item.pk).status_code == 403


def test_the_head_sees_a_confidential_meetings_item_without_the_meeting(people, meeting, item):
    meeting_update(actor=people["host"], meeting=meeting, data={"confidential": True})
    client = Client()
    client.force_login(people["head"])
    detail = client.get(f"/api/v1/actions/{item.pk}")
    rows = client.get("/api/v1/actions").json()["items"]
    assert detail.status_code == 200 and detail.json()["meeting"] is None
    assert rows[0]["meeting"] is None and meeting.title not in detail.content.decode()
    client.force_login(people["member"])
    assert client.get(f"/api/v1/actions/{item.pk}").json()["meeting"]["title"] == meeting.title
