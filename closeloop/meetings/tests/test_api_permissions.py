"""Who may do what through the meetings API, endpoint by endpoint.

Not entitled (outsider; a department head for a confidential meeting): 404 everywhere, nothing
revealed. Entitled to see but not to change (a participant, a head): reads work, writes 403.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from closeloop.meetings.models import Material, Meeting, Participant, Topic
from closeloop.meetings.services.planning import material_add, meeting_update
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids(people, meeting):
    material = material_add(actor=people["host"], meeting=meeting,
                            upload=SimpleUploadedFile("议程.pdf", b"%PDF agenda"))
    meeting.refresh_from_db()
    return {
        "meeting_id": meeting.pk,
        "topic_id": meeting.topics.first().pk,
        "participant_id": Participant.objects.get(meeting=meeting, person=people["member"]).pk,
        "material_id": material.pk,
        "topic_ids": list(meeting.topics.values_list("pk", flat=True))[::-1],
        "person_id": people["outsider"].pk,
    }


# (method, path, body); a body of "upload" is a multipart file.
ENDPOINTS = [
    ("get", "/api/v1/meetings/{meeting_id}", None),
    ("patch", "/api/v1/meetings/{meeting_id}", {"place": "线上"}),
    ("post", "/api/v1/meetings/{meeting_id}/topics", {"title": "新议题", "minutes": 10}),
    ("post", "/api/v1/meetings/{meeting_id}/topics/reorder", {"topic_ids": "{topic_ids}"}),
    ("patch", "/api/v1/meetings/{meeting_id}/topics/{topic_id}", {"minutes": 5}),
    ("delete", "/api/v1/meetings/{meeting_id}/topics/{topic_id}", None),
    ("post", "/api/v1/meetings/{meeting_id}/participants", {"person_id": "{person_id}", "roles": ["cc"]}),
    ("patch", "/api/v1/meetings/{meeting_id}/participants/{participant_id}", {"required": False}),
    ("delete", "/api/v1/meetings/{meeting_id}/participants/{participant_id}", None),
    ("post", "/api/v1/meetings/{meeting_id}/materials", "upload"),
    ("get", "/api/v1/meetings/{meeting_id}/materials/{material_id}/download", None),
    ("delete", "/api/v1/meetings/{meeting_id}/materials/{material_id}", None),
]
READS = [e for e in ENDPOINTS if e[0] == "get"]
WRITES = [e for e in ENDPOINTS if e[0] != "get"]


def call(client, endpoint, ids, headers=None):
    method, path, body = endpoint
    url = path.format(**ids)
    kwargs = {"headers": headers or {}}
    if body == "upload":
        return client.post(url, {"file": SimpleUploadedFile("附件.pdf", b"%PDF x")}, **kwargs)
    if body is not None:
        text = json.dumps(body)
        for key in ("topic_ids", "person_id"):
            text = text.replace(f'"{{{key}}}"', json.dumps(ids[key]))
        return getattr(client, method)(url, text, content_type="application/json", **kwargs)
    return getattr(client, method)(url, **kwargs)


def state(meeting):
    """Everything a write could have changed."""
    m = Meeting.objects.get(pk=meeting.pk)
    return (m.version, m.place, list(Topic.objects.filter(meeting=m).values_list("pk", "order", "minutes")),
            list(Participant.objects.filter(meeting=m).values_list("pk", "roles", "required")),
            list(Material.objects.filter(meeting=m).values_list("pk", flat=True)))


def session(person):
    client = Client()
    client.force_login(person)
    return client, None


def token(person):
    return Client(), {"Authorization": f"Bearer {token_create(person=person, name='t')[1]}"}


@pytest.mark.parametrize("login", [session, token], ids=["session", "token"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_an_outsider_gets_404_from_every_meeting_endpoint(people, meeting, ids, endpoint, login):
    before = state(meeting)
    client, headers = login(people["outsider"])
    response = call(client, endpoint, ids, headers)
    assert response.status_code == 404, response.content
    assert state(meeting) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_a_confidential_meeting_gives_404_to_the_department_head(people, meeting, ids, endpoint):
    meeting_update(actor=people["host"], meeting=meeting, data={"confidential": True})
    before = state(meeting)
    client, headers = session(people["head"])
    assert call(client, endpoint, ids, headers).status_code == 404
    assert state(meeting) == before


@pytest.mark.parametrize("who", ["member", "head"])
@pytest.mark.parametrize("endpoint", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_someone_who_sees_but_does_not_run_the_meeting_gets_403_on_writes(people, meeting, ids, endpoint, who):
    before = state(meeting)
    client, headers = token(people[who])
    response = call(client, endpoint, ids, headers)
    assert response.status_code == 403, response.content
    assert response.json()["detail"]
    assert state(meeting) == before


@pytest.mark.parametrize("who", ["member", "head", "host", "recorder", "admin"])
@pytest.mark.parametrize("endpoint", READS, ids=[f"{m} {p}" for m, p, _ in READS])
def test_everyone_entitled_may_read(people, meeting, ids, endpoint, who):
    client, headers = session(people[who])
    assert call(client, endpoint, ids, headers).status_code == 200


@pytest.mark.parametrize("who", ["host", "recorder", "admin"])
@pytest.mark.parametrize("endpoint", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_the_host_the_recorder_and_administrators_may_write(people, meeting, ids, endpoint, who):
    client, headers = session(people[who])
    response = call(client, endpoint, ids, headers)
    assert response.status_code in (200, 201, 204), response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_nobody_signed_out_gets_anything(meeting, ids, endpoint):
    assert call(Client(), endpoint, ids).status_code == 401


def test_every_meeting_page_of_the_api_that_reads_answers_404_to_an_outsider(people, meeting, ids):
    """Also the endpoints other parts of the API add under /meetings/{meeting_id} (taken from the schema)."""
    client, _ = session(people["admin"])
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    outsider, _ = session(people["outsider"])
    checked = 0
    for path, operations in paths.items():
        if "{meeting_id}" not in path or "get" not in operations:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 0)), path)
        assert outsider.get(url).status_code == 404, url
        checked += 1
    assert checked >= 2
