"""The action plan (行动计划表) as .xlsx, both ways, with openpyxl.

The columns are those of the seed template 001: 序号, 行动任务, 负责人, 所属部门, 交付物, 截止时间,
所需支持, 状态. Their Chinese and English names are part of the file format (a reader's spreadsheet
must match whatever language the other side uses), so they are spelt out here rather than translated.

Reading is pure: `read_plan` finds the header row (Chinese or English, "行动任务/Task" too), and gives
the raw rows with their spreadsheet row numbers; `parse_due` and `parse_status` turn cells into values
or say what is wrong. Matching people and departments and the SMART check are in imports.py.
"""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from closeloop.actions.choices import ItemStatus
from closeloop.lib.office import xlsx_append, xlsx_list_validation, xlsx_print_setup, xml_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10  # a title row or two ("行动计划表") may sit above the header


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    width: int
    aliases: tuple = ()

    def label(self, language):
        return self.zh if (language or "").startswith("zh") else self.en


COLUMNS = [
    Column("seq", "序号", "No.", 6, ("no", "#", "编号", "number")),
    Column("task", "行动任务", "Task", 40, ("任务", "行动事项", "行动项", "待办事项", "action", "actionitem", "todo")),
    Column("owner", "负责人", "Owner", 14, ("责任人", "执行人", "responsible", "assignee")),
    Column("department", "所属部门", "Department", 14, ("部门", "责任部门", "dept")),
    Column("deliverable", "交付物", "Deliverable", 32,
           ("交付标准", "验收标准", "交付物及标准", "acceptancestandard", "acceptance")),
    Column("due", "截止时间", "Due", 12, ("截止日期", "完成时间", "完成日期", "duedate", "deadline")),
    Column("support", "所需支持", "Support needed", 24, ("需要支持", "支持需求", "support", "supportneeded")),
    Column("status", "状态", "Status", 10, ("进度状态", "当前状态", "state")),
    # Export only: the import ignores them (and any other column it does not know).
    Column("progress", "进度(%)", "Progress (%)", 9),
    Column("original_due", "原定截止时间", "Original due", 13),
]
IMPORT_KEYS = ("seq", "task", "owner", "department", "deliverable", "due", "support", "status")
REQUIRED_KEYS = ("task", "owner", "due")

# Chinese and English words for the statuses, so a sheet in either language imports whatever the reader's.
STATUS_WORDS = {
    ItemStatus.NOT_STARTED: ("未开始", "待开始", "未启动", "not started", "not_started", "todo", "to do"),
    ItemStatus.IN_PROGRESS: ("进行中", "执行中", "处理中", "in progress", "in_progress", "doing", "ongoing"),
    ItemStatus.DONE: ("已完成", "完成", "done", "completed", "complete", "finished"),
    ItemStatus.DELAYED: ("延期", "已延期", "延迟", "delayed", "postponed"),
    ItemStatus.CANCELLED: ("已取消", "取消", "cancelled", "canceled"),
}
STATUS_ZH = {status: words[0] for status, words in STATUS_WORDS.items()}


class SheetError(Exception):
    """The file itself cannot be read as an action plan (not a workbook, no header, too many rows)."""


@dataclass
class PlanSheet:
    header_row: int
    labels: dict  # key -> the header as written in the file
    rows: list = field(default_factory=list)  # [(spreadsheet row number, {key: cell value})]


def _norm(text):
    return re.sub(r"[\s_\-:：*.]", "", str(text or "")).lower()


_ALIASES = {}
for _column in COLUMNS:
    for _name in (_column.zh, _column.en, _column.key, *_column.aliases):
        _ALIASES.setdefault(_norm(_name), _column.key)


def column_for(header):
    """The column key a header names ("截止时间", "Due date", "行动任务/Task", "负责人（Owner）"), or None."""
    text = str(header or "")
    for part in [text, *re.split(r"[/／|\n()（）\[\]【】]", text)]:
        key = _ALIASES.get(_norm(part))
        if key in IMPORT_KEYS:
            return key
    return None


def _header_map(values):
    found = {}
    for index, value in enumerate(values):
        key = column_for(value)
        if key is not None and key not in found:
            found[key] = (index, str(value).strip())
    return found


def read_plan(data):
    """The header and the non-empty rows of the first sheet; SheetError when it is not an action plan."""
    try:
        # A formula is read as the text it is written with: never evaluated, and its cached result (which
        # whoever made the file controls) never taken for the value.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SheetError(_("This is not an .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header, header_row = None, 0
        for number, values in enumerate(rows, start=1):
            found = _header_map(values or ())
            if all(key in found for key in REQUIRED_KEYS):
                header, header_row = found, number
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            raise SheetError(_("No header row with the columns 行动任务 (task), 负责人 (owner) and 截止时间 (due) "
                               "in the first %(n)s rows.") % {"n": HEADER_SEARCH_ROWS})
        plan = PlanSheet(header_row=header_row, labels={key: label for key, (_i, label) in header.items()})
        for number, values in enumerate(rows, start=header_row + 1):
            cells = {key: (values[index] if index < len(values) else None) for key, (index, _l) in header.items()}
            if all(_blank(v) for k, v in cells.items() if k != "seq"):
                continue  # an empty line, or a template line with only its number
            if len(plan.rows) >= MAX_ROWS:
                raise SheetError(_("More than %(n)s rows: split the plan into several files.") % {"n": MAX_ROWS})
            plan.rows.append((number, cells))
        return plan
    finally:
        workbook.close()


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value):
    """A cell as text: numbers without a trailing .0, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_due(value):
    """A due date from a date cell, an Excel serial number or text such as 2026-06-18 or 2026年6月18日.

    Returns (date, None) or (None, message)."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # 1954–2119 as Excel serial days
            return from_excel(value).date(), None
        return None, _("Write the date as 2026-06-18.")
    text = cell_text(value)
    if not text:
        return None, _("Give the due date.")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text) or pattern.match(text.replace(" ", ""))
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups())), None
            except ValueError:
                return None, _("%(text)s is not a date in the calendar.") % {"text": text}
    return None, _("Write the date as 2026-06-18 (not “%(text)s”).") % {"text": text}


def parse_status(value):
    """A status from its Chinese or English word (or its code); empty means not started."""
    text = cell_text(value).lower()
    if not text:
        return ItemStatus.NOT_STARTED, None
    for status, words in STATUS_WORDS.items():
        if text in words or text == str(status.label).lower():
            return status, None
    known = "、".join(STATUS_ZH.values())
    return None, _("Unknown status “%(text)s”; use one of %(known)s (or in English).") % {
        "text": text, "known": known}


def status_word(status, language):
    if (language or "").startswith("zh"):
        return STATUS_ZH[ItemStatus(status)]
    with translation.override("en"):
        return str(ItemStatus(status).label)


_THIN = Side(style="thin", color="B7C3D0")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def export_plan(items, *, language, title="", shared_names=frozenset()):
    """The items as an action plan workbook (bytes): styled header in the reader's language, dates as dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "行动计划表" if (language or "").startswith("zh") else "Action plan"
    xlsx_append(sheet, [column.label(language) for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
    for n, item in enumerate(items, start=1):
        xlsx_append(sheet, [
            n, item.task, _owner_text(item, shared_names), str(item.department or ""), item.deliverable, item.due,
            item.support_needed, status_word(item.status, language), item.progress,
            item.original_due if item.original_due != item.due else None,
        ])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(vertical="top", wrap_text=column.key in ("task", "deliverable", "support"))
            if column.key in ("due", "original_due"):
                cell.number_format = "yyyy-mm-dd"
    xlsx_print_setup(sheet, language=language or "zh-CN")
    sheet.auto_filter.ref = sheet.dimensions
    status = get_column_letter(1 + [c.key for c in COLUMNS].index("status"))
    words = [status_word(s, language) for s in ItemStatus]
    with translation.override("zh-hans" if (language or "").startswith("zh") else "en"):
        message = _("Choose one of: %(codes)s.") % {"codes": pgettext("list separator", ", ").join(words)}
        xlsx_list_validation(sheet, status, words, last_row=MAX_ROWS + 1, title=_("Status"), message=message)
    if title:
        workbook.properties.title = xml_text(title)[:200]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _owner_text(item, shared_names):
    """The owner's name; with the username when someone else has the same name, so re-import finds them."""
    owner = item.owner
    if owner is None:
        return ""
    if str(owner) in shared_names:
        return f"{owner} ({owner.username})"
    return str(owner)
