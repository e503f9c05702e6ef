"""Distribution: every participant, substitute, cc person and signing head gets a mail in their language, with the
minutes .docx attached — delivered to a real SMTP server on 127.0.0.1 and read back with python-docx."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from docx import Document

from closeloop.minutes import services
from closeloop.minutes.models import Minutes, SignOff
from closeloop.notify.models import OutboxMessage
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db

RECIPIENTS = {"host", "recorder", "member", "wang5", "zhao6", "boss", "mhead", "head"}


def mail_to(smtp, address):
    """The distribution mail to `address` (the one with the minutes attached; review steps mail too)."""
    [mail] = [m for m in smtp.messages() if m["To"] == address and list(m.iter_attachments())]
    return mail


def docx_text(part):
    document = Document(io.BytesIO(part.get_content()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_mail_reaches_everyone_with_the_docx_attached(approved, cast, smtp_server):  # noqa: F811
    result = services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    assert result.minutes.state == "distributed" and result.minutes.distributed_at
    drain_outbox()
    distribution = OutboxMessage.objects.filter(kind__in=["minutes.distributed", "minutes.signoff"], state="sent")
    assert distribution.filter(channel="email").count() == len(RECIPIENTS)
    assert distribution.filter(channel="inbox").count() == len(RECIPIENTS)  # and an inbox entry each
    assert {m["To"].split("@")[0] for m in smtp_server.messages() if list(m.iter_attachments())} == RECIPIENTS
    mail = mail_to(smtp_server, "wang5@example.com")
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename().endswith("-v1.docx")
    assert attachment.get_content_type() == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = docx_text(attachment)
    assert "王五(销售部,出差)——由赵六代参会" in text
    assert "提交成本报告" in text and "市场部:张主持、李记录;销售部:王销售、赵六" in text
    assert "1.同意增加生产线" in mail.get_body(("plain",)).get_content()


def test_each_person_gets_the_mail_in_their_language(approved, cast, smtp_server):  # noqa: F811
    services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    drain_outbox()
    english = mail_to(smtp_server, "member@example.com")
    assert english["Content-Language"] == "en"
    assert english["Subject"].strip().startswith("Minutes: 项目Q3推广跨部门协作会")
    # The mail is in the reader's language; the attached minutes are the one document, in their own language.
    attached = docx_text(next(english.iter_attachments()))
    assert "会议名称" in attached and "Meeting name" not in attached
    assert mail_to(smtp_server, "host@example.com")["Content-Language"] == "zh-hans"


def test_each_participating_department_head_is_asked_to_sign_with_a_link(approved, cast, smtp_server):  # noqa: F811
    result = services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    signoffs = {s.department.name: s for s in result.signoffs}
    assert set(signoffs) == {"市场部", "销售部"}  # 总经办 is only on cc
    assert signoffs["销售部"].head == cast["head"] and signoffs["市场部"].head == cast["market_head"]
    assert len({s.token for s in result.signoffs}) == 2
    drain_outbox()
    body = mail_to(smtp_server, "head@example.com").get_body(("plain",)).get_content()
    [link] = re.findall(r"http://\S+/minutes/signoff/\S+/", body)
    assert link.endswith(f"/minutes/signoff/{signoffs['销售部'].token}/")
    member_body = mail_to(smtp_server, "member@example.com").get_body(("plain",)).get_content()
    assert "/minutes/signoff/" not in member_body
    page = Client().get(link.split("127.0.0.1:8000")[-1])
    assert page.status_code == 200 and 'id="signoff-form"' in page.text


def test_a_department_without_head_is_reported_and_not_asked(approved, cast):
    market = cast["departments"]["market"]
    market.head = None
    market.save()
    result = services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    assert result.without_head == [market]
    assert [s.department for s in result.signoffs] == [cast["departments"]["sales"]]


def test_distributing_again_sends_nothing_more(approved, cast):
    services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    count = OutboxMessage.objects.count()
    with pytest.raises(Exception):  # noqa: B017  (refused transition)
        services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    assert OutboxMessage.objects.count() == count and SignOff.objects.count() == 2


def test_only_host_recorder_or_admin_distributes(approved, cast):
    with pytest.raises(PermissionDenied):
        services.minutes_distribute(actor=cast["member"], minutes=approved)
    assert Minutes.objects.get(pk=approved.pk).state == "approved"
    assert not OutboxMessage.objects.filter(kind__startswith="minutes.distributed").exists()


def test_distributing_from_the_page(approved, cast, client_for):
    response = client_for(cast["host"]).post(f"/minutes/{approved.pk}/distribute/")
    assert response.status_code == 302
    assert Minutes.objects.get(pk=approved.pk).state == "distributed"
    page = client_for(cast["host"]).get(f"/minutes/{approved.pk}/")
    assert 'data-signed="0" data-total="2"' in page.text and page.text.count("signoff pending") == 2
