"""The action plan as .xlsx: headers in either language, every row checked first and nothing imported when one
is wrong, errors per row and column, and a round trip export → import read back with openpyxl."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from closeloop.actions.choices import EventKind, ItemStatus
from closeloop.actions.exports import column_for, parse_due, parse_status
from closeloop.actions.imports import ImportRefused, action_items_import
from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_create
from closeloop.actions.tests.conftest import item_data, later
from closeloop.conftest import make_person
from closeloop.meetings.services.planning import meeting_create

ZH = ["序号", "行动任务", "负责人", "所属部门", "交付物", "截止时间", "所需支持", "状态"]
EN = ["No.", "Task", "Owner", "Department", "Deliverable", "Due date", "Support needed", "Status"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
pytestmark = pytest.mark.django_db


def workbook(header, rows, title="项目Q3推广行动计划表"):
    wb = Workbook()
    sheet = wb.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_prefix(row, column, language="zh-hans"):
    """How a problem of this row and column begins, in that language ("第6行 截止时间：" / "Row 6, Due date: ")."""
    with translation.override(language):
        return _("Row %(row)s, %(column)s: %(message)s") % {"row": row, "column": column, "message": ""}


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


# --- Reading cells (no database) -----------------------------------------------------------

@pytest.mark.parametrize("header,key", [
    ("截止时间", "due"), ("Due date", "due"), ("行动任务/Task", "task"), ("负责人（Owner）", "owner"),
    (" 交付物 ", "deliverable"), ("所属部门", "department"), ("STATUS", "status"), ("所需支持", "support"),
    ("原定截止时间", None), ("备注", None), (None, None),
])
def test_headers_are_found_in_chinese_or_english(header, key):
    assert column_for(header) == key


@pytest.mark.parametrize("value,expected", [
    (dt.datetime(2026, 6, 18, 0, 0), dt.date(2026, 6, 18)), (dt.date(2026, 6, 18), dt.date(2026, 6, 18)),
    ("2026-06-18", dt.date(2026, 6, 18)), ("2026/6/18", dt.date(2026, 6, 18)), ("2026.6.18", dt.date(2026, 6, 18)),
    ("2026年6月18日", dt.date(2026, 6, 18)), ("20260618", dt.date(2026, 6, 18)),
    ("2026-06-18 17:00", dt.date(2026, 6, 18)), (46191, dt.date(2026, 6, 18)),
])
def test_due_dates_are_read_from_dates_numbers_and_text(value, expected):
    assert parse_due(value) == (expected, None)


@pytest.mark.parametrize("value", ["下周五", "2026-02-30", "18/06/2026", 12, ""])
def test_a_due_date_that_cannot_be_read_says_how_to_write_it(value):
    due, message = parse_due(value)
    assert due is None and message


@pytest.mark.parametrize("value,status", [("进行中", "in_progress"), ("已完成", "done"), ("Delayed", "delayed"),
                                          ("", "not_started"), ("cancelled", "cancelled"), ("未开始", "not_started")])
def test_statuses_in_chinese_or_english(value, status):
    assert parse_status(value) == (status, None)


def test_an_unknown_status_names_the_known_ones():
    status, message = parse_status("搁置")
    assert status is None and "进行中" in message


# --- Import --------------------------------------------------------------------------------

def good_rows(people, today):
    return [
        [1, "提交Q3推广预算明细表", "member", "销售部", "预算明细表经财务部签字确认", later(today, 5),
         "财务部提供Q2数据", "未开始"],
        [2, "输出产品卖点手册初稿", "张主持", "", "卖点手册初稿(10页内)", later(today, 6).isoformat(), "", "进行中"],
        [3, "完成售后话术培训", "recorder@example.com", "市场部", "培训签到表及考核结果", later(today, 7), "", ""],
    ]


def test_a_good_plan_is_imported_whole_into_the_meeting(people, meeting, today):
    result = action_items_import(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting,
                                 data=workbook(ZH, good_rows(people, today)))
    assert result.created == 3
    items = list(ActionItem.objects.filter(meeting=meeting).order_by("id"))
    assert [(i.owner.username, i.department.name, i.due, i.status) for i in items] == [
        ("member", "销售部", later(today, 5), ItemStatus.NOT_STARTED),
        ("host", "市场部", later(today, 6), ItemStatus.IN_PROGRESS),  # no department: the owner's
        ("recorder", "市场部", later(today, 7), ItemStatus.NOT_STARTED),
    ]
    assert items[0].support_needed == "财务部提供Q2数据" and items[0].original_due == later(today, 5)
    assert all(i.events.get().kind == EventKind.CREATED and i.created_by == people["recorder"] for i in items)


def test_bad_rows_import_nothing_and_each_problem_names_its_row_and_column(people, meeting, today):
    make_person(meeting.organisation, "wang2", name="王销售")  # a second 王销售: the name is ambiguous
    rows = good_rows(people, today) + [
        [4, "确认渠道报价", "nobody", "销售部", "报价单", "下周五", "", "进行中"],
        [5, "", "王销售", "公关部", "新闻稿", later(today, 4), "", "搁置"],
    ]
    with translation.override("zh-hans"), pytest.raises(ImportRefused) as exc:
        action_items_import(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting,
                            data=workbook(ZH, rows))
    found = {(p.row, p.column) for p in exc.value.problems}
    # The title row is row 1, the header row 2: the plan's 4th and 5th lines are rows 6 and 7.
    assert found == {(6, "负责人"), (6, "截止时间"), (7, "行动任务"), (7, "负责人"), (7, "所属部门"), (7, "状态")}
    due = next(p for p in exc.value.problems if p.column == "截止时间")
    with translation.override("zh-hans"):
        assert str(due).startswith(row_prefix(6, "截止时间")) and "下周五" in str(due)
    assert not ActionItem.objects.exists()


def test_english_headers_and_errors_in_english(people, meeting, today):
    rows = [[1, "Send the price list", "member", "", "Signed price list", "June 18", "", "Not started"]]
    with translation.override("en"):  # an English-speaking request
        with pytest.raises(ImportRefused) as exc:
            action_items_import(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                                data=workbook(EN, rows, title=None))
        assert [str(p).split(":")[0] for p in exc.value.problems] == ["Row 2, Due date"]
        assert exc.value.problems[0].message.startswith("Write the date as 2026-06-18")


def test_a_blocking_smart_rule_refuses_its_row(people, meeting, today):
    from closeloop.org.models import Policy

    Policy.objects.update_or_create(organisation=meeting.organisation, defaults={"smart_vague_mode": "block"})
    rows = [[1, "尽快研究一下渠道方案", "member", "", "方案", later(today, 5), "", ""]]
    with pytest.raises(ImportRefused) as exc:
        action_items_import(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                            data=workbook(ZH, rows))
    assert {(p.row, p.field) for p in exc.value.problems} == {(3, "task")}  # one per vague word


def test_a_file_that_is_not_a_plan_says_so(people, meeting):
    for data in (b"not a workbook", workbook(["姓名", "电话"], [["张三", "123"]])):
        with pytest.raises(ImportRefused) as exc:
            action_items_import(actor=people["host"], organisation=meeting.organisation, meeting=meeting, data=data)
        assert exc.value.problems[0].row is None and exc.value.problems[0].field == "file"


@pytest.mark.parametrize("who", ["member", "head", "outsider"])
def test_only_editors_import(people, meeting, today, who):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        action_items_import(actor=people[who], organisation=meeting.organisation, meeting=meeting,
                            data=workbook(ZH, good_rows(people, today)))


# --- Export and round trip -----------------------------------------------------------------

def test_export_then_import_gives_the_same_plan(people, meeting, today):
    org = meeting.organisation
    for n, (owner, days) in enumerate([("member", 5), ("host", 8), ("head", 3)]):
        action_item_create(actor=people["recorder"], organisation=org, meeting=meeting, data=item_data(
            people, task=f"任务{n} 推广", owner=people[owner], due=later(today, days), support_needed=f"支持{n}"))
    res = client_for(people["host"]).get(reverse("actions:meeting_export", args=[meeting.pk]) + "?sort=-due")
    assert res.status_code == 200 and res["Content-Type"] == XLSX
    assert "filename*=utf-8''" in res["Content-Disposition"].lower()
    sheet = load_workbook(io.BytesIO(res.content)).active
    assert [c.value for c in sheet[1]][:8] == ZH  # the host reads Chinese
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 40
    assert isinstance(sheet["F2"].value, dt.datetime) and sheet["F2"].number_format == "yyyy-mm-dd"
    assert [sheet.cell(row=r, column=2).value for r in (2, 3, 4)] == ["任务1 推广", "任务0 推广", "任务2 推广"]

    other = meeting_create(actor=people["host"], recorder=people["recorder"], data={
        "type": "weekly_sync", "title": "下周例会", "start": meeting.start + dt.timedelta(days=7),
        "end": meeting.end + dt.timedelta(days=7)})
    result = action_items_import(actor=people["host"], organisation=org, meeting=other, data=res.content)

    def plan(m):
        return sorted(ActionItem.objects.filter(meeting=m).values_list(
            "task", "owner__username", "department__name", "deliverable", "due", "support_needed", "status"))

    assert result.created == 3 and plan(other) == plan(meeting)


def test_a_shared_name_is_exported_with_the_username_and_found_again(people, meeting, today):
    make_person(meeting.organisation, "wang2", name="王销售")
    action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting,
                       data=item_data(people, due=later(today, 5)))
    res = client_for(people["host"]).get(reverse("actions:meeting_export", args=[meeting.pk]))
    sheet = load_workbook(io.BytesIO(res.content)).active
    assert sheet["C2"].value == "王销售 (member)"
    result = action_items_import(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                                 data=res.content)
    assert result.items[0].owner == people["member"]


def test_the_english_export_and_the_empty_template(people, meeting, today):
    action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting,
                       data=item_data(people, due=later(today, 5)))
    sheet = load_workbook(io.BytesIO(client_for(people["member"]).get(reverse("actions:mine_export")).content)).active
    assert [c.value for c in sheet[1]][:8] == ["No.", "Task", "Owner", "Department", "Deliverable", "Due",
                                               "Support needed", "Status"]
    assert sheet["H2"].value == "Not started"
    empty = load_workbook(io.BytesIO(client_for(people["host"]).get(reverse("actions:template")).content)).active
    assert [c.value for c in empty[1]][:8] == ZH and empty.max_row == 1


# --- Pages and API -------------------------------------------------------------------------

def upload(data, name="行动计划表.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_the_import_page_shows_every_problem_and_then_a_summary(people, meeting, today):
    c = client_for(people["host"])
    url = reverse("actions:meeting_import", args=[meeting.pk])
    assert c.get(url).status_code == 200
    bad = good_rows(people, today) + [[4, "确认渠道报价", "nobody", "", "报价单", later(today, 5), "", ""]]
    res = c.post(url, {"file": upload(workbook(ZH, bad))})
    page = res.content.decode()
    assert res.status_code == 422 and 'data-row="6" data-field="owner"' in page
    assert row_prefix(6, "负责人", people["host"].language) in page  # the host reads Chinese
    assert not ActionItem.objects.exists()
    res = c.post(url, {"file": upload(workbook(ZH, good_rows(people, today)))})
    assert res.status_code == 200 and 'id="import-result"' in res.content.decode()
    assert ActionItem.objects.filter(meeting=meeting).count() == 3


def test_the_import_page_refuses_other_files_naming_the_field(people, meeting):
    res = client_for(people["host"]).post(reverse("actions:meeting_import", args=[meeting.pk]),
                                          {"file": upload(b"a,b", name="plan.csv")})
    assert 'class="field invalid"' in res.content.decode() and ".xlsx" in res.content.decode()


def test_import_page_permissions(people, meeting):
    url = reverse("actions:meeting_import", args=[meeting.pk])
    assert client_for(people["member"]).get(url).status_code == 403  # sees the meeting, does not edit it
    assert client_for(people["outsider"]).get(url).status_code == 404


def test_the_api_imports_and_answers_problems_per_row(people, meeting, today):
    c = client_for(people["recorder"])
    bad = [[1, "确认渠道报价", "nobody", "", "报价单", "明天", "", ""]]
    res = c.post("/api/v1/actions/import", {"file": upload(workbook(ZH, bad)), "meeting_id": meeting.pk})
    assert res.status_code == 422
    body = res.json()
    assert {(p["row"], p["column"]) for p in body["problems"]} == {(3, "负责人"), (3, "截止时间")}
    assert set(body["errors"]) == {"rows.3.owner", "rows.3.due"}
    res = c.post("/api/v1/actions/import", {"file": upload(workbook(ZH, good_rows(people, today))),
                                            "meeting_id": meeting.pk})
    assert res.status_code == 201 and res.json()["created"] == 3 and len(res.json()["item_ids"]) == 3


def test_the_api_import_permissions(people, meeting, today):
    data = workbook(ZH, good_rows(people, today))
    url = "/api/v1/actions/import"
    assert client_for(people["member"]).post(url, {"file": upload(data), "meeting_id": meeting.pk}).status_code == 403
    assert client_for(people["outsider"]).post(url, {"file": upload(data),
                                                     "meeting_id": meeting.pk}).status_code == 404
    res = client_for(people["host"]).post(url, {"file": upload(data)})
    assert res.status_code == 422 and "meeting_id" in res.json()["errors"]
    assert not ActionItem.objects.exists()


# --- Odd text: control characters and formulas ---------------------------------------------

def test_control_characters_and_formulas_export_as_plain_text(people, meeting, today):
    """OWASP CSV/Excel injection: text cells starting with = + - @ are written as text, never as formulas."""
    tasks = ["=HYPERLINK(\"http://evil.example/\",\"点我\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
             "换行\x0b粘贴\x01自Word"]
    for task in tasks:
        action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting,
                           data=item_data(people, task=task, due=later(today, 5), support_needed="\tTab"))
    res = client_for(people["host"]).get(reverse("actions:meeting_export", args=[meeting.pk]))
    assert res.status_code == 200
    sheet = load_workbook(io.BytesIO(res.content)).active
    cells = [sheet.cell(row=r, column=2) for r in range(2, 2 + len(tasks))]
    assert {c.value for c in cells} == {*tasks[:5], "换行\n粘贴自Word"}
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value[0] in "=+-@")
    assert isinstance(sheet["F2"].value, dt.datetime) and isinstance(sheet["A2"].value, int)  # still typed
    assert ActionItem.objects.filter(task=tasks[-1]).exists()  # the database keeps what was typed


def test_an_imported_formula_is_read_as_its_text_never_evaluated(people, meeting, today):
    rows = good_rows(people, today)
    rows[0][1] = "=1+1"
    result = action_items_import(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                                 data=workbook(ZH, rows))
    assert result.created == len(rows)
    assert ActionItem.objects.filter(meeting=meeting, task="=1+1").exists()


def test_the_workbook_prints_on_a4_landscape_with_a_repeated_header_and_page_numbers(people, meeting, today):
    action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting,
                       data=item_data(people, due=later(today, 5)))
    zh = load_workbook(io.BytesIO(client_for(people["host"]).get(
        reverse("actions:meeting_export", args=[meeting.pk])).content))
    sheet = zh.active
    assert zh.sheetnames == ["行动计划表"] and sheet.sheet_state == "visible"
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert isinstance(sheet["F2"].value, dt.datetime)
    en = load_workbook(io.BytesIO(client_for(people["member"]).get(reverse("actions:mine_export")).content))
    assert en.sheetnames == ["Action plan"] and en.active.oddFooter.center.text == "Page &P of &N"


def test_the_import_template_offers_the_statuses_as_a_list(people, meeting):
    sheet = load_workbook(io.BytesIO(client_for(people["host"]).get(reverse("actions:template")).content)).active
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    status = validations[0]
    assert status.type == "list" and status.formula1 == '"未开始,进行中,已完成,延期,已取消"'
    assert str(status.sqref) == "H2:H5001" and status.showErrorMessage
    assert "未开始" in status.error
    english = load_workbook(io.BytesIO(client_for(people["member"]).get(reverse("actions:template")).content)).active
    assert english.data_validations.dataValidation[0].formula1 == '"Not started,In progress,Done,Delayed,Cancelled"'


def test_the_import_size_message_states_the_real_limit(people, meeting, today, monkeypatch):
    monkeypatch.setattr("closeloop.actions.api.lists.MAX_UPLOAD", 1000)
    monkeypatch.setattr("closeloop.actions.forms.ImportForm.MAX_BYTES", 1000)
    c = client_for(people["recorder"])
    with translation.override("en"):
        res = c.post("/api/v1/actions/import", {"file": upload(workbook(ZH, good_rows(people, today))),
                                                "meeting_id": meeting.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 422
    message = res.json()["errors"]["file"][0]
    assert "1000" in message or "1,000" in message, message
    assert "10 MB" not in message
