"""Odd input through the API: every answer is JSON with a 4xx naming the field, never a 5xx or an HTML page."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from closeloop.conftest import at
from closeloop.meetings.services.planning import meeting_create, topic_add
from closeloop.org.services import token_create
from closeloop.record.models import Decision, Disagreement

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def api(person):
    client = Client(raise_request_exception=False)
    return client, {"Authorization": f"Bearer {token_create(person=person, name='odd')[1]}"}


def post(person, url, body):
    client, headers = api(person)
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.parametrize("url,field", [
    (f"/api/v1/meetings?page={HUGE}", "page"), (f"/api/v1/actions?page={HUGE}", "page"),
    (f"/api/v1/notify/inbox?page={HUGE}", "page"), (f"/api/v1/meetings/{HUGE}", "meeting_id"),
    (f"/api/v1/actions/{HUGE}", "item_id"), ("/api/v1/meetings?page=0", "page"),
])
def test_huge_page_numbers_and_ids_are_refused_naming_the_field(people, url, field):
    client, headers = api(people["admin"])
    response = client.get(url, headers=headers)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


@pytest.mark.parametrize("value", ["0001-01-01T10:00:00", "9999-12-31T10:00:00", "0264-03-01T10:00:00+08:00",
                                   "1900-01-01T10:00:00", "1999-12-31T23:00:00+08:00", "2101-01-01T10:00:00"])
def test_datetimes_outside_2000_to_2100_are_refused_saying_the_window(people, value):
    response = post(people["host"], "/api/v1/meetings", {"type": "decision", "title": "周会", "start": value,
                                                        "end": "2026-06-15T15:00:00+08:00"})
    assert response.status_code == 422
    assert "2000" in response.json()["errors"]["start"][0] and "2100" in response.json()["errors"]["start"][0]


def test_a_date_inside_the_window_is_still_taken(people):
    response = post(people["host"], "/api/v1/meetings", {"type": "decision", "title": "周会",
                                                        "start": "2026-06-15T14:00:00+08:00",
                                                        "end": "2026-06-15T15:00:00+08:00"})
    assert response.status_code == 201, response.content
    assert response.json()["start"].endswith("+08:00")


def test_quiet_hours_with_a_utc_offset_are_refused_naming_the_field(people):
    client, headers = api(people["member"])
    response = client.put("/api/v1/notify/preferences", json.dumps({"quiet_start": "22:00+08:00",
                                                                     "quiet_end": "07:00"}),
                          content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert "quiet_start" in response.json()["errors"]


def test_a_malformed_multipart_body_is_a_400_naming_the_body(people, meeting):
    client, headers = api(people["host"])
    body = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF'  # never ends
    response = client.post(f"/api/v1/meetings/{meeting.pk}/materials", body,
                           content_type="multipart/form-data; boundary=xyz", headers=headers)
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and ("body" in body.get("errors", {}) or "file" in body.get("errors", {}))
    response = client.post(f"/api/v1/meetings/{meeting.pk}/materials", b"--",
                           content_type="multipart/form-data; boundary=", headers=headers)
    assert response.status_code == 400 and response.json()["errors"]["body"]


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_addresses_wrong_methods_and_crashes_answer_json(people, settings, monkeypatch, debug):
    settings.DEBUG = debug
    client, headers = api(people["admin"])
    response = client.get("/api/v1/no/such/thing", headers=headers)
    assert response.status_code == 404 and response.json()["detail"]
    response = client.get("/api/v1/meetings/abc/notice", headers=headers)
    assert response.status_code == 404 and response.json()["detail"]
    response = client.put("/api/v1/me", headers=headers)
    assert response.status_code == 405 and "GET" in response.json()["detail"] and "GET" in response["Allow"]

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("closeloop.meetings.api.meetings.meetings_visible_to", boom)
    response = client.get("/api/v1/meetings", headers=headers)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json") and "a bug" not in response.content.decode()


def test_deleting_a_decision_and_a_disagreement_works_as_documented(people, meeting):
    topic = meeting.topics.order_by("order").last()
    base = f"/api/v1/record/meetings/{meeting.pk}"
    dec = post(people["recorder"], f"{base}/topics/{topic.pk}/decisions", {"text": "决议"}).json()
    dis = post(people["recorder"], f"{base}/topics/{topic.pk}/disagreements", {"subject": "分歧"}).json()
    client, headers = api(people["recorder"])
    assert client.delete(f"{base}/decisions/{dec['id']}", headers=headers).status_code == 204
    assert client.delete(f"{base}/disagreements/{dis['id']}", headers=headers).status_code == 204
    assert not Decision.objects.exists() and not Disagreement.objects.exists()
    assert client.delete(f"{base}/decisions/{dec['id']}", headers=headers).status_code == 404
    member, member_headers = api(people["member"])
    dec = post(people["recorder"], f"{base}/topics/{topic.pk}/decisions", {"text": "决议"}).json()
    assert member.delete(f"{base}/decisions/{dec['id']}", headers=member_headers).status_code == 403


def test_a_topic_of_another_meeting_is_not_found_on_the_record_page(people, meeting):
    other = meeting_create(actor=people["host"], recorder=people["recorder"], data={
        "type": "weekly_sync", "title": "另一个会", "start": at(2026, 6, 16), "end": at(2026, 6, 16, 15)})
    foreign = topic_add(actor=people["host"], meeting=other, data={"title": "别的议题", "minutes": 10,
                                                                  "kind": "inform"})
    client = Client()
    client.force_login(people["host"])
    assert client.get(reverse("record:topic", args=[meeting.pk, foreign.pk])).status_code == 404
    own = meeting.topics.first()
    assert client.get(reverse("record:topic", args=[meeting.pk, own.pk])).status_code == 200


def test_the_served_schema_names_each_status_code_once_and_documents_the_errors(client):
    def no_duplicates(pairs):  # Swagger UI's YAML parser refuses a key written twice
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    schema = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
    delete = schema["paths"]["/api/v1/record/meetings/{meeting_id}/decisions/{row_id}"]["delete"]["responses"]
    assert {"204", "401", "403", "404", "409"} <= set(delete)
