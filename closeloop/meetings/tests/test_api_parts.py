"""A meeting's topics, participants, materials and series through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from closeloop.audit.models import AuditEntry
from closeloop.meetings.models import Material, Participant, Series, Topic
from closeloop.org.models import Organisation, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_host(client, people):
    client.force_login(people["host"])
    return client


def test_a_topic_is_added_at_the_end_changed_and_removed(as_host, people, meeting):
    url = f"/api/v1/meetings/{meeting.pk}/topics"
    version = meeting.version
    created = as_host.post(url, {"title": "风险与预算", "minutes": 15, "kind": "decide",
                                 "presenter_id": people["member"].pk, "required_outcome": "预算批准"},
                           content_type="application/json")
    assert created.status_code == 201, created.content
    topic = created.json()
    assert topic["order"] == 4 and topic["presenter"]["username"] == "member"
    changed = as_host.patch(f"{url}/{topic['id']}", {"minutes": 20, "presenter_id": None},
                            content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["minutes"] == 20 and changed.json()["presenter"] is None
    assert as_host.delete(f"{url}/{topic['id']}").status_code == 204
    assert not Topic.objects.filter(pk=topic["id"]).exists()
    meeting.refresh_from_db()
    assert meeting.version == version + 3  # each change inside the meeting moves its version on


@pytest.mark.parametrize("payload, field", [
    ({"minutes": 10}, "title"),
    ({"title": "x", "minutes": 0}, "minutes"),
    ({"title": "x"}, "minutes"),
    ({"title": "x", "minutes": 10, "kind": "vote"}, "kind"),
    ({"title": "x", "minutes": 10, "presenter_id": 999999}, "presenter_id"),
])
def test_a_bad_topic_is_refused_naming_the_field(as_host, meeting, payload, field):
    response = as_host.post(f"/api/v1/meetings/{meeting.pk}/topics", payload, content_type="application/json")
    assert response.status_code == 422 and field in response.json()["errors"], response.json()
    assert meeting.topics.count() == 3


def test_topics_are_reordered_and_every_topic_must_be_given_once(as_host, meeting):
    ids = list(meeting.topics.values_list("pk", flat=True))
    url = f"/api/v1/meetings/{meeting.pk}/topics/reorder"
    response = as_host.post(url, {"topic_ids": ids[::-1]}, content_type="application/json")
    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == ids[::-1]
    assert [t["order"] for t in response.json()] == [1, 2, 3]
    partial = as_host.post(url, {"topic_ids": ids[:2]}, content_type="application/json")
    assert partial.status_code == 422 and "topic_ids" in partial.json()["errors"]


def test_a_topic_of_another_meeting_is_not_found_here(as_host, people, meeting):
    from closeloop.conftest import at
    from closeloop.meetings.services.planning import meeting_create, topic_add

    other = meeting_create(actor=people["host"], data={
        "type": "kickoff", "title": "另一个会", "start": at(2026, 7, 1), "end": at(2026, 7, 1, 15)})
    foreign = topic_add(actor=people["host"], meeting=other, data={"title": "别的议题", "minutes": 10})
    response = as_host.patch(f"/api/v1/meetings/{meeting.pk}/topics/{foreign.pk}", {"minutes": 5},
                             content_type="application/json")
    assert response.status_code == 404


def test_participants_are_invited_with_roles_changed_and_removed(as_host, people, meeting):
    url = f"/api/v1/meetings/{meeting.pk}/participants"
    created = as_host.post(url, {"person_id": people["outsider"].pk, "roles": ["informed", "cc"], "required": False},
                           content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["roles"] == ["informed", "cc"] and body["required"] is False and body["response"] == "pending"
    changed = as_host.patch(f"{url}/{body['id']}", {"roles": ["executor"]}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["roles"] == ["executor"]
    assert changed.json()["required"] is False  # untouched
    assert as_host.delete(f"{url}/{body['id']}").status_code == 204
    assert not Participant.objects.filter(pk=body["id"]).exists()
    assert AuditEntry.objects.filter(action="participant.remove").exists()


@pytest.mark.parametrize("payload, field", [
    ({"roles": ["chairman"]}, "roles"),
    ({"roles": "host"}, "roles"),
    ({"person_id": 999999, "roles": []}, "person_id"),
    ({"roles": []}, "person_id"),
])
def test_a_bad_participant_is_refused_naming_the_field(as_host, people, meeting, payload, field):
    payload = {"person_id": people["outsider"].pk, **payload} if "person_id" not in payload and field != "person_id" \
        else payload
    response = as_host.post(f"/api/v1/meetings/{meeting.pk}/participants", payload, content_type="application/json")
    assert response.status_code == 422 and field in response.json()["errors"], response.json()
    assert not meeting.participants.filter(person=people["outsider"]).exists()


def test_a_person_of_another_organisation_cannot_be_invited(as_host, meeting):
    from closeloop.conftest import make_person

    stranger = make_person(Organisation.objects.create(name="别家"), "stranger")
    response = as_host.post(f"/api/v1/meetings/{meeting.pk}/participants", {"person_id": stranger.pk},
                            content_type="application/json")
    assert response.status_code == 422 and "person_id" in response.json()["errors"]


def test_a_material_is_uploaded_downloaded_and_deleted(as_host, people, meeting):
    topic = meeting.topics.first()
    url = f"/api/v1/meetings/{meeting.pk}/materials"
    upload = SimpleUploadedFile("Q2复盘.pdf", b"%PDF-1.4 pre-read", content_type="application/pdf")
    created = as_host.post(url, {"file": upload, "topic_id": topic.pk, "pages": 3})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "Q2复盘.pdf" and body["size"] == 17 and body["topic_id"] == topic.pk and body["pages"] == 3

    as_host.force_login(people["member"])
    download = as_host.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 pre-read"
    assert "attachment" in download["Content-Disposition"] and download["Content-Type"] == "application/pdf"
    detail = as_host.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert [m["id"] for m in detail["materials"]] == [body["id"]]

    as_host.force_login(people["host"])
    assert as_host.delete(f"{url}/{body['id']}").status_code == 204
    assert not Material.objects.exists()
    assert as_host.get(body["download_url"]).status_code == 404


@pytest.mark.parametrize("name,content", [("纪要.txt", "会议纪要".encode()), ("a.pdf", b"%PDF-1.4 x"),
                                          ("a.png", b"\x89PNG\r\n\x1a\n...")])
def test_the_schema_documents_a_download_in_the_type_it_is_served_with(as_host, meeting, name, content):
    """Fuzzing found the download's 200 undocumented: each type a stored file can have is listed."""
    url = f"/api/v1/meetings/{meeting.pk}/materials"
    created = as_host.post(url, {"file": SimpleUploadedFile(name, content, content_type="application/x-anything")})
    assert created.status_code == 201, created.content
    download = as_host.get(created.json()["download_url"])
    assert download.status_code == 200
    schema = as_host.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/meetings/{meeting_id}/materials/{material_id}/download"]["get"]
    documented = operation["responses"]["200"]["content"]
    assert download["Content-Type"] in documented


def test_uploads_over_the_size_limit_or_of_a_refused_type_name_the_file(as_host, meeting, settings):
    settings.MATERIAL_MAX_BYTES = 10
    url = f"/api/v1/meetings/{meeting.pk}/materials"
    big = as_host.post(url, {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 11)})
    assert big.status_code == 413 and "10" in big.json()["errors"]["body"][0]  # stopped while it streamed
    response = as_host.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ")})
    assert response.status_code == 422 and "file" in response.json()["errors"], response.json()
    missing = as_host.post(url, {"pages": 2})
    assert missing.status_code == 422 and "file" in missing.json()["errors"], missing.json()
    wrong_topic = as_host.post(url, {"file": SimpleUploadedFile("a.pdf", b"x"), "topic_id": 999999})
    assert wrong_topic.status_code == 422 and "topic_id" in wrong_topic.json()["errors"]
    assert not Material.objects.exists()


def test_a_presenter_may_upload_for_their_own_topic(client, people, meeting):
    topic = meeting.topics.first()
    topic.presenter = people["member"]
    topic.save()
    client.force_login(people["member"])
    url = f"/api/v1/meetings/{meeting.pk}/materials"
    own = client.post(url, {"file": SimpleUploadedFile("mine.md", b"# notes"), "topic_id": topic.pk})
    assert own.status_code == 201
    general = client.post(url, {"file": SimpleUploadedFile("other.md", b"# notes")})
    assert general.status_code == 403


def test_series_are_listed_and_started_within_the_organisation(client, people, org):
    project = Project.objects.create(organisation=org, name="Q3推广")
    Series.objects.create(organisation=Organisation.objects.create(name="别家"), name="外部周会")
    client.force_login(people["member"])
    created = client.post("/api/v1/series", {"name": "Q3推广周会", "project_id": project.pk},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["project"]["name"] == "Q3推广"
    assert [s["name"] for s in client.get("/api/v1/series").json()["items"]] == ["Q3推广周会"]
    bad = client.post("/api/v1/series", {"name": " "}, content_type="application/json")
    assert bad.status_code == 422 and "name" in bad.json()["errors"]
