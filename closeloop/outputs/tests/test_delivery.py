"""The output is issued when the minutes are approved and sent with them: attached (.docx and .xlsx) to the
distribution mail delivered to a real SMTP server, in each recipient's inbox, and posted to the robots of
the participating departments that carry minutes."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from closeloop.minutes import services as minutes_services
from closeloop.notify.models import InboxItem, OutboxMessage, Robot
from closeloop.notify.testing.robots import robot_receiver  # noqa: F401
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.outputs.models import Output

pytestmark = pytest.mark.django_db


def attachments_of(smtp, address):
    [mail] = [m for m in smtp.messages() if m["To"] == address]
    return mail, {a.get_filename(): a for a in mail.iter_attachments()}


def docx_text(part):
    document = Document(io.BytesIO(part.get_content()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_approving_the_minutes_issues_the_output(rectification, approve):
    minutes = approve()
    output = Output.objects.get(minutes=minutes)
    assert output.kind == "rectification" and output.generated_at and output.sent_at is None


def test_a_decision_meeting_gets_no_output(held, approve):
    minutes = approve()
    assert not Output.objects.filter(minutes=minutes).exists()


def test_the_output_travels_with_the_minutes_mail_inbox_and_robot(rectification, approve, cast, smtp_server,  # noqa: F811
                                                                  robot_receiver):  # noqa: F811
    receiver = robot_receiver("wecom")
    market = cast["departments"]["market"]
    Robot.objects.create(organisation=market.organisation, department=market, platform="wecom", name="市场部群",
                         url=receiver.url, kinds=["minutes"], language="zh-hans")
    Robot.objects.create(organisation=market.organisation, department=market, platform="wecom", name="提醒群",
                         url=receiver.url, kinds=["reminder"], language="zh-hans")  # carries no minutes
    minutes = approve()
    minutes_services.minutes_distribute(actor=cast["recorder"], minutes=minutes)
    assert Output.objects.get(minutes=minutes).sent_at is not None
    drain_outbox()

    mail, files = attachments_of(smtp_server, "wang5@example.com")
    names = sorted(files)
    assert len(names) == 3 and names[0].endswith("-v1.docx")  # the minutes themselves
    [docx_name] = [n for n in names if n.endswith("问题整改清单.docx")]
    [xlsx_name] = [n for n in names if n.endswith("问题整改清单.xlsx")]
    text = docx_text(files[docx_name])
    assert "根本原因" in text and "产品功能与宣传不符" in text and "投诉量下降50%" in text
    sheet = load_workbook(io.BytesIO(files[xlsx_name].get_content())).worksheets[0]
    assert [c.value for c in sheet[2]] == [
        "序号", "问题", "根本原因", "整改措施", "责任人", "完成时间", "验证标准", "状态"]
    assert sheet.print_title_rows == "$1:$2" and int(sheet.page_setup.paperSize) == 9  # A4
    assert "问题整改清单" in mail.get_body(("plain",)).get_content()  # "另附:…"

    english_mail, english_files = attachments_of(smtp_server, "member@example.com")
    assert any(n.endswith("Rectification list.xlsx") for n in english_files)

    inbox = InboxItem.objects.filter(kind="minutes.output")
    assert inbox.filter(recipient=cast["wang"]).get().link.endswith(f"/outputs/minutes/{minutes.pk}/")
    assert inbox.count() == OutboxMessage.objects.filter(kind="minutes.output", channel="inbox").count() > 5
    [post] = receiver.requests
    assert "问题整改清单" in str(post["json"]) and f"/outputs/minutes/{minutes.pk}/" in str(post["json"])


def test_distributing_a_decision_meeting_attaches_only_the_minutes(held, approve, cast, smtp_server):  # noqa: F811
    minutes_services.minutes_distribute(actor=cast["recorder"], minutes=approve())
    drain_outbox()
    _mail, files = attachments_of(smtp_server, "wang5@example.com")
    assert len(files) == 1 and not OutboxMessage.objects.filter(kind="minutes.output").exists()
