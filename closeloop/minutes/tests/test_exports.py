"""The minutes as .docx (read back with python-docx), laid out like the seed 001 template; Markdown: test_markdown."""

import io

import pytest
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from closeloop.minutes import services
from closeloop.minutes.exports import action_rows, filename, minutes_docx_bytes

pytestmark = pytest.mark.django_db


def read(minutes, language="en"):
    with translation.override(language):
        return Document(io.BytesIO(minutes_docx_bytes(minutes)))


def test_the_docx_has_a_title_an_information_table_and_the_sections(approved):
    document = read(approved)
    # Labels in the document's language (Chinese minutes), whoever reads them: test_markdown has the other way.
    assert document.paragraphs[0].text == "跨部门协作会议纪要"
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[1].text.startswith("版本 1 · ") and " · 由 张主持 于 " in document.paragraphs[1].text
    info = document.tables[0]
    rows = [(r.cells[0].text, r.cells[1].text) for r in info.rows]
    assert [label for label, _ in rows] == ["会议名称", "会议时间", "会议地点", "主持人", "记录人", "参会部门及人员",
                                            "缺席人员及原因", "议程"]
    assert rows[5][1] == "市场部:张主持、李记录;销售部:王销售、赵六"
    assert rows[6][1] == "王五(销售部,出差)——由赵六代参会"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["讨论内容摘要", "决议事项", "行动计划"]
    texts = [p.text for p in document.paragraphs]
    assert "议题1:Q2推广活动复盘" in texts and "1.同意增加生产线(决策人:张主持;无异议)" in texts


def test_the_action_plan_becomes_a_table_of_task_owner_due_and_deliverable(approved):
    plan = read(approved).tables[1]
    assert [c.text for c in plan.rows[0].cells] == ["序号", "任务", "负责人（部门）", "截止日期", "交付物", "所需支持",
                                                    "状态"]
    assert [c.text for c in plan.rows[2].cells] == ["2", "提交成本报告", "王销售(销售部)", "2026-06-19",
                                                    "成本报告(含两种方案)", "无", "未开始"]


def test_an_action_plan_edited_into_free_text_stays_text():
    assert action_rows("1.a——b——c——d\n2. e — f — g — h") == [["a", "b", "c", "d"], ["e", "f", "g", "h"]]
    assert action_rows("1.a——b——c——d——e——f") == [["a", "b", "c", "d", "e", "f"]]
    assert action_rows("1.a——b——c——d——e——f\n2.a——b——c——d") is None  # mixed layouts stay text
    assert action_rows("1.随便写的一句话") is None
    assert action_rows("") is None


def test_the_docx_names_chinese_fonts_so_word_and_wps_show_chinese(approved):
    document = read(approved, "zh-hans")
    fonts = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(
        qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    assert document.core_properties.language == "zh-CN"


def test_sign_offs_and_corrections_show_in_the_docx(distributed, cast):
    sales = next(s for s in distributed.signoffs if s.department.name == "销售部")
    services.minutes_sign_off(signoff=sales, token=sales.token, comment="同意")
    document = read(distributed.minutes)
    signatures = document.tables[-1]
    assert [c.text for c in signatures.rows[0].cells] == ["部门", "负责人", "已签署", "意见"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in signatures.rows[1:]}
    assert rows["市场部"][2] == "尚未" and rows["销售部"][3] == "同意"
    v2 = services.minutes_correct(actor=cast["recorder"], minutes=distributed.minutes, reason="补充行动项")
    assert "版本 1 的更正：补充行动项" in [p.text for p in read(v2).paragraphs]


# --- Text that XML 1.0 forbids (pasted from Word: vertical tab, other control characters) ----

ODD = "第一行\x0b第二行\x01\x02结束\x1f"


def test_approved_minutes_with_control_characters_still_export_and_keep_what_was_typed(draft, cast, client_for):
    services.minutes_save(actor=cast["recorder"], minutes=draft, version=1,
                          content={"decisions": ODD, "place": "3楼\x0b会议室", "summary": "=HYPERLINK(\"x\")\x01"})
    minutes = services.minutes_approve(actor=cast["host"], minutes=services.minutes_submit(
        actor=cast["recorder"], minutes=draft))
    minutes.refresh_from_db()
    assert minutes.content["decisions"] == ODD  # the database keeps what the person typed
    document = read(minutes)
    texts = [p.text for p in document.paragraphs]
    assert "第一行" in texts and "第二行结束" in texts  # the vertical tab became a line break, the rest dropped
    res = client_for(cast["host"]).get(f"/api/v1/minutes/{minutes.pk}/export.docx")
    assert res.status_code == 200
    assert Document(io.BytesIO(res.content)).paragraphs
    services.minutes_distribute(actor=cast["recorder"], minutes=minutes)


def test_a_title_with_control_characters_gives_a_clean_file_name(draft, cast):
    meeting = draft.meeting
    meeting.title = "周会\x01\x0b计划"
    with translation.override("en"):
        assert filename(draft, "docx") == "周会_计划-Minutes-v1.docx"


def test_the_docx_is_a4_with_a_centred_title_page_numbers_and_a_mark_when_confidential(approved):
    document = read(approved, "zh-hans")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 3.17
    assert round(section.top_margin.cm, 2) == round(section.bottom_margin.cm, 2) == 2.54
    title = document.paragraphs[0]
    assert title.text == "跨部门协作会议纪要" and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert document.paragraphs[1].alignment == WD_ALIGN_PARAGRAPH.CENTER  # the version line under it
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("第 ") and " 页 共 " in footer.text
    assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml
    assert not "".join(p.text for p in section.header.paragraphs).strip()
    approved.meeting.confidential = True
    approved.meeting.save()
    header = read(approved, "zh-hans").sections[0].header
    assert "机密" in "".join(p.text for p in header.paragraphs)
    # The mark is the document's, in its language, for an English reader too.
    assert "机密" in "".join(p.text for p in read(approved, "en").sections[0].header.paragraphs)
