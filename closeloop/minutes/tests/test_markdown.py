"""The minutes as Markdown (issue 14, point 4): labels in the language the minutes are written in, whoever reads
them, and the template's "-…" and "1.…" lines as real Markdown lists (read back with markdown-it, CommonMark)."""

import pytest
from django.urls import reverse
from django.utils import translation
from markdown_it import MarkdownIt

from closeloop.minutes import services
from closeloop.minutes.exports import markdown_text, minutes_markdown
from closeloop.minutes.rules import document_language

pytestmark = pytest.mark.django_db

ENGLISH = {
    "title": "Q3 launch sync", "place": "Room 3A", "host": "Zhang Wei (Marketing)",
    "summary": "Topic 1: Q2 review\n-Marketing: reach 2M, conversion below target\n-Sales: messages did not match\n"
               "Consensus: rework the landing page",
    "decisions": "1.Add one production line (decided by 张伟)",
}


def tokens(text):
    return [t.type for t in MarkdownIt("commonmark").parse(text)]


def test_a_chinese_document_has_chinese_labels_for_an_english_reader(approved):
    with translation.override("en"):
        text = minutes_markdown(approved)
    assert text.startswith("# 跨部门协作会议纪要\n")
    assert "| 项目 | 内容 |" in text and "| Item | Content |" not in text
    assert "## 讨论内容摘要" in text and "Summary of the discussion" not in text
    assert "| 序号 | 任务 | 负责人（部门） | 截止日期 | 交付物 | 所需支持 | 状态 |" in text
    assert "| 2 | 提交成本报告 | 王销售(销售部) | 2026-06-19 | 成本报告(含两种方案) | 无 | 未开始 |" in text


def test_english_minutes_have_english_labels_for_a_chinese_reader(draft, cast):
    services.minutes_save(actor=cast["recorder"], minutes=draft, version=1,
                          content={key: ENGLISH.get(key, "") for key in draft.content})
    draft.refresh_from_db()
    with translation.override("zh-hans"):
        text = minutes_markdown(draft)
    assert text.startswith("# Cross-department meeting minutes\n")
    assert "| Item | Content |" in text and "| Meeting place | Room 3A |" in text and "项目 | 内容" not in text


def test_the_download_is_named_and_labelled_in_the_documents_language(approved, cast, client_for):
    cast["member"].language = "en"
    cast["member"].save()
    response = client_for(cast["member"]).get(reverse("minutes:markdown", args=[approved.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "| 项目 | 内容 |" in body
    assert "%E7%BA%AA%E8%A6%81-v1.md" in response["Content-Disposition"]  # …-会议纪要-v1.md


def test_the_discussion_lines_are_a_real_list_between_their_paragraphs(approved):
    text = minutes_markdown(approved)
    assert ("议题1:Q2推广活动复盘\n\n- 市场部:Q2线上曝光量达200万,但转化率低于目标(3%vs目标5%)\n"
            "- 销售部:客户反馈推广信息与产品实际功能存在偏差\n\n共识:暂无\n") in text
    assert "1. 同意增加生产线(决策人:张主持;无异议)" in text
    summary = text.split("## 讨论内容摘要")[1].split("## ")[0]
    html = MarkdownIt("commonmark").render(summary)
    assert "<ul>\n<li>市场部:Q2线上曝光量达200万" in html and "<li>销售部:" in html
    assert "<p>共识:暂无" in html  # the consensus is its own paragraph, not swallowed by the last item
    decisions = text.split("## 决议事项")[1].split("## ")[0]
    assert "<ol>\n<li>同意增加生产线" in MarkdownIt("commonmark").render(decisions)


def test_lines_become_lists_only_when_they_are_lists():
    lines = markdown_text("第一段\n  缩进的一行\n-甲\n• 乙\n1、丙\n2)丁\n3.5亿元预算\n# 不是标题\n\n结尾")
    assert lines == ["第一段  ", "缩进的一行", "", "- 甲", "- 乙", "", "1. 丙", "2. 丁", "", "3.5亿元预算  ",
                     "\\# 不是标题", "", "结尾"]
    kinds = tokens("\n".join(lines))
    assert kinds.count("bullet_list_open") == 1 and kinds.count("ordered_list_open") == 1
    assert "heading_open" not in kinds and "code_block" not in kinds


@pytest.mark.parametrize("content,language", [
    ({"summary": "议题1:复盘\n-市场部:曝光200万"}, "zh-hans"),
    ({"summary": "Topic 1: review of the Q2 campaign with 张伟 and 王强"}, "en"),
    ({"summary": ""}, None),
])
def test_the_documents_language_is_read_from_its_text(content, language):
    assert document_language(content) == language


def docx_text(data):
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_docx_is_labelled_in_the_documents_language_like_the_markdown(approved, cast, client_for):
    from closeloop.minutes.exports import minutes_docx_bytes

    with translation.override("en"):
        chinese = docx_text(minutes_docx_bytes(approved))
    assert "跨部门协作会议纪要" in chinese and "Cross-department meeting minutes" not in chinese
    cast["member"].language = "en"
    cast["member"].save()
    response = client_for(cast["member"]).get(reverse("minutes:docx", args=[approved.pk]))
    assert response.status_code == 200 and "跨部门协作会议纪要" in docx_text(response.content)
    assert "%E7%BA%AA%E8%A6%81-v1.docx" in response["Content-Disposition"]


def test_english_minutes_make_an_english_docx_for_a_chinese_reader(draft, cast):
    from closeloop.minutes.exports import minutes_docx_bytes

    services.minutes_save(actor=cast["recorder"], minutes=draft, version=1,
                          content={key: ENGLISH.get(key, "") for key in draft.content})
    draft.refresh_from_db()
    with translation.override("zh-hans"):
        english = docx_text(minutes_docx_bytes(draft))
    assert "Cross-department meeting minutes" in english and "跨部门协作会议纪要" not in english
