"""Binary attachments (such as the minutes .docx) travel through the JSON outbox as base64 and arrive intact."""

import base64

import pytest

from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db

PAYLOAD = bytes(range(256)) * 40  # every byte value, including ones no text encoding survives


def test_a_base64_attachment_arrives_byte_for_byte_with_its_type_and_chinese_file_name(smtp_server):  # noqa: F811
    outbox_enqueue(
        key="binary:1", address="wang@example.com", kind="test", subject="会议纪要", body_text="附件见纪要",
        attachments=[{"filename": "会议纪要-v1.docx", "content_b64": base64.b64encode(PAYLOAD).decode(),
                      "content_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}],
    )
    assert drain_outbox() == 1
    [mail] = smtp_server.messages()
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == "会议纪要-v1.docx"
    assert part.get_content_type().endswith("wordprocessingml.document")
    assert part.get_content() == PAYLOAD


def test_a_text_attachment_without_base64_still_goes_as_text(smtp_server):  # noqa: F811
    outbox_enqueue(key="text:1", address="wang@example.com", kind="test", subject="s", body_text="b",
                   attachments=[{"filename": "note.txt", "content_type": "text/plain", "content": "纪要 note"}])
    drain_outbox()
    [part] = list(smtp_server.messages()[0].iter_attachments())
    assert part.get_content().strip() == "纪要 note"
