"""The output as .docx (A4, CJK fonts, like the seed's tables) and .xlsx (one sheet per section, printable).

Call under the reader's language: the labels follow it, the rows are the items' own words.
"""

import base64
import io
import re

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.office import (
    DOCX_CONTENT_TYPE,
    add_field_table_lines,
    add_heading,
    add_paragraph,
    add_table,
    add_title_block,
    document_bytes,
    file_name,
    new_document,
    xlsx_append,
    xlsx_print_setup,
    xml_text,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDE_COLUMNS = {"problem", "root_cause", "corrective_action", "verification", "responsibility", "deliverable",
                "need", "value", "resources", "allocation", "task", "goal", "adjustment", "decision", "confirmation"}
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin", color="B7C3D0")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def _language():
    return "zh-CN" if (translation.get_language() or "").startswith("zh") else "en-US"


def filename(view, extension):
    title = re.sub(r"[\s_]+", "_", file_name(view.meeting.title)).strip("_") or "meeting"
    return f"{title}-{file_name(view.title)}.{extension}"


def status_line(view):
    """'3 of 5 closed · as of 2026-…' — the file is a snapshot of a live list, so it says when."""
    zone = organisation_tz(view.meeting.organisation)
    s = view.summary
    state = _("All closed") if s["all_closed"] else _("%(closed)s of %(total)s closed") % s
    return f"{state} · " + _("as of %(when)s") % {"when": f"{timezone.localtime(timezone.now(), zone):%Y-%m-%d %H:%M}"}


def _sections(view):
    return [*view.sections, view.decisions]


def output_docx(view):
    document = new_document(title=f"{view.meeting.title} — {view.title}", language=_language(),
                            header_mark=pgettext("document mark", "Confidential") if view.meeting.confidential else "")
    add_title_block(document, view.title, [view.meeting.title, status_line(view)])
    add_field_table_lines(document, view.info)
    for section in _sections(view):
        add_heading(document, section.title, level=1)
        if not section.rows:
            add_paragraph(document, _("Nothing recorded."))
            continue
        add_table(document, [label for _key, label in section.columns],
                  [[row["cells"][key] for key, _label in section.columns] for row in section.rows])
    return document


def output_docx_bytes(view):
    return document_bytes(output_docx(view))


def _sheet_title(text, used):
    title = _SHEET_UNSAFE.sub(" ", text)[:28].strip() or "Sheet"
    candidate, n = title, 2
    while candidate in used:
        candidate, n = f"{title[:26]} {n}", n + 1
    used.add(candidate)
    return candidate


def output_xlsx_bytes(view):
    """One sheet per section: a title row, the header (repeated when printed), the rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for section in _sections(view):
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        xlsx_append(sheet, [f"{view.title} · {section.title} · {view.meeting.title} · {status_line(view)}"])
        sheet["A1"].font = Font(bold=True, size=12)
        xlsx_append(sheet, [label for _key, label in section.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
        for row in section.rows:
            xlsx_append(sheet, [row["cells"][key] for key, _label in section.columns])
        for index, (key, _label) in enumerate(section.columns, start=1):
            letter = sheet.cell(row=2, column=index).column_letter
            sheet.column_dimensions[letter].width = 36 if key in WIDE_COLUMNS else (6 if key == "no" else 14)
            for cell in sheet[letter][2:]:
                cell.alignment = Alignment(vertical="top", wrap_text=key in WIDE_COLUMNS)
        xlsx_print_setup(sheet, language=_language(), header_rows=2)
    workbook.properties.title = xml_text(f"{view.meeting.title} — {view.title}")[:200]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attachments(view):
    """The .docx and .xlsx as mail attachments (base64, like the minutes' own)."""
    return [
        {"filename": filename(view, "docx"), "content_type": DOCX_CONTENT_TYPE,
         "content_b64": base64.b64encode(output_docx_bytes(view)).decode("ascii")},
        {"filename": filename(view, "xlsx"), "content_type": XLSX_CONTENT_TYPE,
         "content_b64": base64.b64encode(output_xlsx_bytes(view)).decode("ascii")},
    ]
