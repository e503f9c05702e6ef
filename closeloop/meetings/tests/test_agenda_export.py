"""The agenda (议程表) as .docx, read back with python-docx: content, language, time zone, Chinese fonts."""

import io
import urllib.parse
import zipfile

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml.ns import qn

from closeloop.meetings.exports import agenda_document
from closeloop.meetings.services.planning import material_add, meeting_update
from closeloop.org.models import Person

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(client, person, meeting):
    client.force_login(person)
    response = client.get(reverse("meetings:agenda_docx", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return response, docx.Document(io.BytesIO(response.content))


def _text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_docx_lists_every_topic_with_presenter_and_time(client, people, meeting):
    _, document = _download(client, people["member"], meeting)
    topics = document.tables[1]
    assert [c.text for c in topics.rows[0].cells] == [
        "No.", "Topic", "Presenter", "Time", "Kind", "Required outcome", "Materials"]
    rows = [[c.text for c in r.cells] for r in topics.rows[1:]]
    assert [r[1] for r in rows] == ["Q2推广活动复盘", "Q3推广目标及策略", "部门分工与资源协调"]
    assert rows[0][2] == "张主持"
    assert rows[0][3].startswith("14:00–14:20") and rows[2][3].startswith("14:45–15:10")
    assert rows[2][4] == "Decide" and rows[2][5] == "确认分工"


def test_the_docx_has_the_meeting_information_and_participants(client, people, meeting):
    _, document = _download(client, people["member"], meeting)
    info = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    assert info["Host"] == "张主持" and info["Recorder"] == "李记录"
    assert info["Place"] == "3楼会议室A" and info["Objective"] == "确定Q3推广分工"
    assert info["Meeting type"] == "Decision"
    assert info["Time"] == "2026-06-15 Monday 14:00–15:30 (Asia/Shanghai)"
    participants = {r.cells[0].text: r.cells for r in document.tables[2].rows[1:]}
    assert set(participants) == {"张主持", "李记录", "王销售"}
    assert participants["王销售"][1].text == "销售部"
    assert "Decision-maker" in participants["王销售"][3].text
    assert document.paragraphs[0].text == "Agenda: 项目Q3推广跨部门协作会"


def test_a_chinese_reader_gets_chinese_dates_and_a_chinese_document(client, people, meeting):
    _, document = _download(client, people["host"], meeting)
    info = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    assert "星期一" in "\n".join(info.values())  # Django's own zh-hans weekday names
    assert document.core_properties.language == "zh-CN"


def test_times_follow_the_viewers_time_zone(people, meeting):
    viewer = Person.objects.get(pk=people["member"].pk)
    viewer.time_zone = "Europe/Berlin"
    document, _ = agenda_document(meeting, viewer=viewer)
    info = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    assert info["Time"] == "2026-06-15 Monday 08:00–09:30 (Europe/Berlin)"


def test_chinese_fonts_are_set_without_theme_fonts(client, people, meeting):
    response, document = _download(client, people["host"], meeting)
    styles = document.styles.element
    fonts = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"  # body text in 宋体, headings in 黑体
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override the name
    lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    for name, east_asia, latin in (("Normal", "宋体", "Times New Roman"), ("Heading 1", "黑体", "Arial"),
                                   ("Title", "黑体", "Arial")):
        rfonts = document.styles[name].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert (rfonts.get(qn("w:eastAsia")), rfonts.get(qn("w:ascii"))) == (east_asia, latin), name
        assert rfonts.get(qn("w:eastAsiaTheme")) is None, name
    font_table = zipfile.ZipFile(io.BytesIO(response.content)).read("word/fontTable.xml").decode()
    assert 'w:name="宋体"' in font_table and "SimSun" in font_table and 'w:charset w:val="86"' in font_table
    assert 'w:name="黑体"' in font_table and "SimHei" in font_table


def test_the_file_name_carries_the_meeting_title(client, people, meeting):
    response, _ = _download(client, people["member"], meeting)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = disposition.split("filename*=utf-8''")[1]
    assert urllib.parse.unquote(encoded) == "Agenda-项目Q3推广跨部门协作会-20260615.docx"


def test_pre_read_materials_and_the_date_to_send_them(client, people, meeting):
    topic = meeting.topics.get(order=2)
    upload = SimpleUploadedFile("Q3策略.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    material_add(actor=people["host"], meeting=meeting, upload=upload, topic=topic, pages=4)
    _, document = _download(client, people["member"], meeting)
    text = _text(document)
    assert "Q3策略.pdf (4 pages)" in text
    # Monday 15 June minus one working day: Friday 12 June.
    assert "2026-06-12 Friday" in text
    rows = [[c.text for c in r.cells] for r in document.tables[1].rows[1:]]
    assert rows[1][6] == "Q3策略.pdf"


def test_without_materials_the_agenda_says_so(client, people, meeting):
    _, document = _download(client, people["member"], meeting)
    assert "No pre-read materials." in _text(document)


def test_the_api_returns_the_same_document(client, people, meeting):
    meeting_update(actor=people["host"], meeting=meeting, data={"online_link": "https://meet.example.com/q3"})
    client.force_login(people["member"])
    response = client.get(f"/api/v1/meetings/{meeting.pk}/agenda.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    document = docx.Document(io.BytesIO(response.content))
    assert "https://meet.example.com/q3" in _text(document)
    assert "部门分工与资源协调" in _text(document)


def test_control_characters_in_titles_and_topics_do_not_break_the_docx(client, people, meeting):
    """Text pasted from Word carries vertical tabs and other characters XML 1.0 forbids."""
    meeting.title = "周会\x01\x0b计划"
    meeting.objective = "目标\x02"
    meeting.save()
    topic = meeting.topics.first()
    topic.title = "复盘\x0b数据\x1f"
    topic.save()
    response, document = _download(client, people["member"], meeting)
    assert "复盘\n数据" in _text(document)
    assert document.paragraphs[0].text == "Agenda: 周会\n计划"
    assert all(ord(c) >= 32 for c in response["Content-Disposition"])
    meeting.refresh_from_db()
    assert meeting.title == "周会\x01\x0b计划"


def _widths(table):
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_table_columns_fit_their_content_and_the_header_row_repeats(client, people, meeting):
    response, document = _download(client, people["host"], meeting)
    topics = document.tables[1]
    widths = _widths(topics)  # twips; 1 cm = 567
    text_width = round((21 - 2 * 3.17) * 567)
    assert abs(sum(widths) - text_width) <= len(widths)  # the whole text width, no more
    number, time = widths[0], widths[3]
    assert number < 1.5 * 567  # 序号 is narrow …
    assert time >= 2.6 * 567  # … and "14:00–14:20" never breaks into "14:0 / 0"
    assert len(set(widths)) > 2  # not the equal widths of a default table
    for cell in topics.rows[1].cells:
        assert cell._tc.tcPr.tcW.w is not None
    for table in (topics, document.tables[2]):
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    layout = topics._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout.get(qn("w:type")) == "fixed"
    info = _widths(document.tables[0])
    assert abs(sum(info) - text_width) <= 2 and info[0] < info[1]


def test_the_agenda_has_a_title_block_a4_page_numbers_and_the_confidential_mark(client, people, meeting):
    _, document = _download(client, people["host"], meeting)
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 2) == 3.17
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[1].text.startswith("决策会议 · 2026-06-15 星期一") or \
        document.paragraphs[1].text.startswith(f"{meeting.get_type_display()} · 2026-06-15")
    assert section.footer.paragraphs[0].text.replace("1", "X") == "第 X 页 共 X 页"
    assert not section.header.paragraphs[0].text
    meeting.confidential = True
    meeting.save()
    _, document = _download(client, people["host"], meeting)
    assert document.sections[0].header.paragraphs[0].text == "机密"
