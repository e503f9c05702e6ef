"""One meeting's action plan (行动计划表, seed 001 §(三)) as an .xlsx workbook.

One sheet, the header in row 1 and one action item per row, so the file sorts, filters and reads back
as a table. Chinese readers get the seed template's own column titles (序号, 行动任务 …) — the words of the
table they already keep — and English readers the translated ones. Due dates are real dates.
"""

import io
import re

from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from closeloop.actions.models import ActionItem

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"

# (key, English title, the seed template's Chinese title, column width in characters)
COLUMNS = [
    ("number", gettext_lazy("No."), "序号", 6),
    ("task", gettext_lazy("Action task"), "行动任务", 40),
    ("owner", gettext_lazy("Owner"), "负责人", 12),
    ("department", gettext_lazy("Department"), "所属部门", 14),
    ("deliverable", gettext_lazy("Deliverable / acceptance standard"), "交付物/验收标准", 36),
    ("due", gettext_lazy("Due date"), "截止时间", 12),
    ("support", gettext_lazy("Support needed"), "所需支持", 24),
    ("status", gettext_lazy("Status"), "状态", 10),
]
TITLE_ZH = "行动计划表"
# The status words of the seed's follow-up (“进行中”“已完成”“延期”) and the two it leaves implicit.
STATUS_ZH = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成", "delayed": "延期",
             "cancelled": "已取消"}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1D5FD1")
_THIN = Side(style="thin", color="D9DEE8")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAPPED = {"task", "deliverable", "support"}


def is_chinese(language):
    return (language or "").lower().startswith("zh")


def headers(language):
    if is_chinese(language):
        return [zh for _key, _en, zh, _width in COLUMNS]
    with translation.override(language):
        return [str(en) for _key, en, _zh, _width in COLUMNS]


def sheet_title(language):
    if is_chinese(language):
        return TITLE_ZH
    with translation.override(language):
        return _("Action plan")


def plan_items(meeting):
    """The meeting's action items in the order of its agenda, then as they were agreed."""
    return (ActionItem.objects.filter(meeting=meeting).select_related("owner", "department", "topic")
            .order_by(F("topic__order").asc(nulls_last=True), "pk"))


def _status(item, language):
    if is_chinese(language) and item.status in STATUS_ZH:
        return STATUS_ZH[item.status]
    with translation.override(language):
        return str(item.get_status_display())


def rows(items, language):
    """The table's rows as plain values (the due date stays a date)."""
    return [
        [number, item.task, str(item.owner) if item.owner_id else "", item.department.name if item.department else "",
         item.deliverable, item.due, item.support_needed, _status(item, language)]
        for number, item in enumerate(items, start=1)
    ]


def action_plan_workbook(meeting, items, language):
    """An openpyxl Workbook: styled header row, fixed widths, wrapped long texts, frozen header, filter."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(language)
    sheet.append(headers(language))
    for row in rows(items, language):
        sheet.append(row)
    for index, (key, _en, _zh, width) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter]:
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=key in _WRAPPED)
            if key == "due" and cell.row > 1 and cell.value is not None:
                cell.number_format = DATE_FORMAT
    for cell in sheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"{meeting.title} — {sheet_title(language)}"
    workbook.properties.language = "zh-CN" if is_chinese(language) else "en-US"
    return workbook


def action_plan_bytes(meeting, language):
    buffer = io.BytesIO()
    action_plan_workbook(meeting, plan_items(meeting), language).save(buffer)
    return buffer.getvalue()


def filename(meeting, language):
    title = re.sub(r'[\\/:*?"<>|\s]+', "_", meeting.title).strip("_") or "meeting"
    return f"{title}-{sheet_title(language)}.xlsx"
