"""Uploads are judged by their content, not their name or the client's Content-Type, and refused at the limit."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from closeloop.lib.uploads import detect_type
from closeloop.meetings.models import Material
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


def ooxml(part):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<x/>")
    return data.getvalue()


@pytest.mark.parametrize("name,content,expected", [
    ("a.pdf", b"%PDF-1.7\n...", "application/pdf"),
    ("a.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
    ("a.jpg", b"\xff\xd8\xff\xe0....", "image/jpeg"),
    ("a.docx", ooxml("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("a.xlsx", ooxml("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("a.pptx", ooxml("ppt"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, "application/msword"),
    ("a.md", "# 纪要\n".encode(), "text/markdown"),
    ("a.csv", "日期,事项\n".encode("gb18030"), "text/csv"),
])
def test_the_type_comes_from_the_content(name, content, expected):
    assert detect_type(name, content[:8192], io.BytesIO(content)) == expected


@pytest.mark.parametrize("name,content", [
    ("report.pdf", b"MZ\x90\x00 an executable"), ("report.pdf", b"<html><script>"), ("sheet.xlsx", ooxml("word")),
    ("sheet.xlsx", b"PK\x03\x04 broken zip"), ("notes.txt", b"\x00\x01\x02binary"), ("photo.png", b"%PDF-1.4"),
])
def test_content_that_does_not_match_the_name_is_refused(name, content):
    assert detect_type(name, content[:8192], io.BytesIO(content)) is None


def api(person):
    return Client(), {"Authorization": f"Bearer {token_create(person=person, name='up')[1]}"}


def test_a_disguised_file_is_refused_naming_the_field_and_the_detected_type_is_stored(people, meeting):
    client, headers = api(people["host"])
    url = f"/api/v1/meetings/{meeting.pk}/materials"
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"file": fake}, headers=headers)
    assert response.status_code == 422 and "file" in response.json()["errors"]
    real = SimpleUploadedFile("报告.pdf", b"%PDF-1.4 real", content_type="text/html")
    response = client.post(url, {"file": real}, headers=headers)
    assert response.status_code == 201, response.content
    assert Material.objects.get().content_type == "application/pdf"


def test_the_size_message_states_the_real_limit(people, meeting, settings):
    settings.MATERIAL_MAX_BYTES = 1000
    client, headers = api(people["host"])
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 1500)
    response = client.post(f"/api/v1/meetings/{meeting.pk}/materials", {"file": big}, headers=headers)
    assert response.status_code in (413, 422)
    message = " ".join(m for ms in response.json().get("errors", {}).values() for m in ms) + response.json()["detail"]
    assert "1000" in message or "1,000" in message or "1000 字节" in message, message
    assert "0.0 MB" not in message


def test_an_oversized_upload_is_refused_with_413_before_its_body_is_read(people, meeting, settings):
    settings.MATERIAL_MAX_BYTES = 1000
    client, headers = api(people["host"])
    # The declared length alone decides: the body is never read.
    response = client.generic("POST", f"/api/v1/meetings/{meeting.pk}/materials", b"x" * 10,
                              content_type="multipart/form-data; boundary=zz", headers=headers,
                              CONTENT_LENGTH=str(5 * 1024 * 1024))
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")


def test_a_body_longer_than_the_limit_stops_at_the_limit_while_it_streams(people, meeting, settings):
    settings.MATERIAL_MAX_BYTES = 1000
    client, headers = api(people["host"])
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 200_000)
    response = client.post(f"/api/v1/meetings/{meeting.pk}/materials", {"file": big}, headers=headers)
    assert response.status_code == 413
    assert not Material.objects.exists()


def test_the_service_names_the_real_limit_in_the_readers_words(people, meeting, settings):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from closeloop.meetings.services.planning import material_add

    settings.MATERIAL_MAX_BYTES = 1000
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        material_add(actor=people["host"], meeting=meeting, upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 1500))
    assert refused.value.message_dict["file"] == ["The file is 1.5 KB; the limit is 1000 bytes."]
