"""The action plan (行动计划表) of one meeting as .xlsx, read back with openpyxl: headers in the reader's language,
a styled header row, widths, dates as dates, one row per action item; 404 for anyone who may not see the meeting.

The workbook is the action items' file format (closeloop/actions/excel.py): the seed's eight columns first."""

import datetime as dt
import io
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from closeloop.actions.models import ActionItem
from closeloop.archive.exports import XLSX_CONTENT_TYPE

pytestmark = pytest.mark.django_db

ZH_HEADERS = ["序号", "行动任务", "负责人", "所属部门", "交付物", "截止时间", "所需支持", "状态"]
EN_HEADERS = ["No.", "Task", "Owner", "Department", "Deliverable", "Due", "Support needed", "Status"]


def read(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content)).active


def values(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def url(meeting):
    return f"/archive/meetings/{meeting.pk}/action-plan.xlsx"


def test_a_chinese_reader_gets_the_template_table_with_one_row_per_action_item(archive, people, client_for):
    meeting = archive["meeting"]
    ActionItem.objects.filter(task="优化落地页引导").update(status="in_progress")
    response = client_for(people["host"]).get(url(meeting))
    sheet = read(response)
    assert sheet.title == "行动计划表"
    rows = values(sheet)
    assert rows[0][:8] == ZH_HEADERS
    assert [r[:5] for r in rows[1:]] == [
        [1, "提交成本报告", "王销售", "销售部", "成本报告(含两种方案)"],
        [2, "优化落地页引导", "王销售", "销售部", "新版落地页上线"],
    ]
    assert [r[6:8] for r in rows[1:]] == [["财务部提供历史数据", "未开始"], ["财务部提供历史数据", "进行中"]]
    assert "行动计划表.xlsx" in unquote(response["Content-Disposition"])


def test_due_dates_are_real_dates_in_the_sheet(archive, people, client_for):
    sheet = read(client_for(people["host"]).get(url(archive["meeting"])))
    due = sheet["F2"]
    assert due.is_date and due.value.date() == dt.date(2026, 6, 19)
    assert due.number_format == "yyyy-mm-dd"


def test_the_header_row_is_styled_and_the_columns_have_widths(archive, people, client_for):
    sheet = read(client_for(people["host"]).get(url(archive["meeting"])))
    header = sheet["B1"]
    assert header.font.bold and header.fill.fill_type == "solid" and header.fill.fgColor.rgb != "00000000"
    assert sheet.column_dimensions["B"].width == 40 and sheet.column_dimensions["A"].width == 6
    assert sheet["B2"].alignment.wrap_text
    assert sheet.freeze_panes == "A2"
    assert re.fullmatch(r"A1:[A-Z]+3", sheet.auto_filter.ref)  # the header and both items


def test_an_english_reader_gets_english_headers_and_statuses(archive, people, client_for):
    response = client_for(people["member"]).get(url(archive["meeting"]))
    sheet = read(response)
    assert sheet.title == "Action plan"
    rows = values(sheet)
    assert rows[0][:8] == EN_HEADERS and rows[1][7] == "Not started"
    assert "action-plan.xlsx" in unquote(response["Content-Disposition"])


def test_a_reader_may_ask_for_the_other_language(archive, people, client_for):
    sheet = read(client_for(people["member"]).get(url(archive["meeting"]), {"language": "zh-hans"}))
    assert values(sheet)[0][:8] == ZH_HEADERS


def test_a_meeting_without_action_items_gives_the_header_alone(archive, people, client_for):
    sheet = read(client_for(people["member"]).get(url(archive["secret"])))
    [header] = values(sheet)
    assert header[:8] == EN_HEADERS


def test_the_api_gives_the_same_workbook_in_the_callers_language(archive, people, api_for):
    sheet = read(api_for(people["host"])(f"/meetings/{archive['meeting'].pk}/action-plan.xlsx"))
    assert values(sheet)[0][:8] == ZH_HEADERS and values(sheet)[1][1] == "提交成本报告"
    sheet = read(api_for(people["host"])(f"/meetings/{archive['meeting'].pk}/action-plan.xlsx?language=en"))
    assert values(sheet)[0][:8] == EN_HEADERS


def test_the_api_names_a_bad_language(archive, people, api_for):
    response = api_for(people["host"])(f"/meetings/{archive['meeting'].pk}/action-plan.xlsx?language=fr")
    assert response.status_code == 422 and "language" in response.json()["errors"]


@pytest.mark.parametrize("who, which", [("outsider", "meeting"), ("head", "secret"), ("outsider", "secret"),
                                          ("member", "budget")])
def test_anyone_who_may_not_see_the_meeting_gets_404_from_page_and_api(archive, people, client_for, api_for,
                                                                       who, which):
    target = archive[which]
    assert client_for(people[who]).get(url(target)).status_code == 404
    assert api_for(people[who])(f"/meetings/{target.pk}/action-plan.xlsx").status_code == 404


def test_an_unknown_meeting_is_404_and_a_signed_out_visitor_is_sent_to_sign_in(archive, people, client):
    response = client.get(url(archive["meeting"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/archive/meetings/999999/action-plan.xlsx").status_code == 401


def test_the_downloaded_plan_reads_back_with_the_action_items_import(archive, people, client_for):
    from closeloop.actions.exports import read_plan

    plan = read_plan(client_for(people["host"]).get(url(archive["meeting"])).content)
    assert [(n, cells["task"], cells["owner"]) for n, cells in plan.rows] == [
        (2, "提交成本报告", "王销售"), (3, "优化落地页引导", "王销售")]
