"""Insight's tables as .xlsx (typed numbers and dates, set up for printing) and the management report as .docx
with the charts as PNG pictures (matplotlib, drawing Chinese with Debian's Noto CJK fonts when installed)."""

import datetime as dt
import io

from django.utils.translation import gettext as _
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from closeloop.insight.charts import chart_data
from closeloop.lib.office import DOCX_CONTENT_TYPE, add_table, document_bytes, new_document

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
__all__ = ["DOCX_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "report_docx", "tables_xlsx", "cell_text"]
FORMATS = {"rate": "0.0%", "workdays": "0.0", "hours": "0.0", "money": "#,##0.00", "minutes": "0", "ratio": "0.00",
           "count": "0", "date": "yyyy-mm-dd"}
CJK_FONT_FILES = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"]


def cell_text(value, unit):
    """A figure as the page and the report print it."""
    if value is None:
        return "—"
    if unit == "rate":
        return f"{value * 100:.1f}%"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.2f}" if unit == "money" else f"{value:.1f}"
    return str(value)


def tables_xlsx(board):
    """One sheet per table; the header row bold and frozen, A4 landscape fitted to the page width."""
    book = Workbook()
    book.remove(book.active)
    for table in board.tables.values():
        sheet = book.create_sheet(title=str(table.title)[:31])
        sheet.append([str(c.label) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EEF1F7")
        for row in table.rows:
            sheet.append([c.value for c in row])
            for column, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
                if column.unit in FORMATS and cell.value is not None:
                    cell.number_format = FORMATS[column.unit]
        for i, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, min(28, 2 * len(str(column.label))))
        sheet.freeze_panes = "A2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _font_properties():
    from matplotlib import font_manager

    for path in CJK_FONT_FILES:
        try:
            return font_manager.FontProperties(fname=path)
        except (OSError, RuntimeError):
            continue
    return None


def chart_png(key, title, x_label, y_label, categories, series, kind):
    """One chart as PNG bytes, drawn with matplotlib's Agg backend (no display needed)."""
    from matplotlib.figure import Figure

    font = _font_properties()
    fig = Figure(figsize=(7.5, 3.6), dpi=110)
    ax = fig.add_subplot()
    x = list(range(len(categories)))
    if kind == "line":
        ax.plot(x, [v or 0 for v in series[0][1]], marker="o", color="#2563eb")
    elif kind == "stacked":
        bottom = [0.0] * len(categories)
        for name, values in series:
            ax.bar(x, [v or 0 for v in values], bottom=bottom, label=name)
            bottom = [b + (v or 0) for b, v in zip(bottom, values, strict=True)]
        if len(series) > 1:
            ax.legend(prop=font, fontsize=8)
    else:
        width = 0.8 / max(len(series), 1)
        for j, (name, values) in enumerate(series):
            ax.bar([i + j * width for i in x], [(v or 0) * (100 if kind == "percent" else 1) for v in values],
                   width=width, label=name)
    ax.set_xticks(x)
    ax.set_xticklabels([str(c) for c in categories], fontproperties=font, fontsize=8)
    ax.set_title(title, fontproperties=font)
    ax.set_xlabel(x_label, fontproperties=font)
    ax.set_ylabel(y_label + (" (%)" if kind == "percent" else ""), fontproperties=font)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def report_filename(board):
    return _("Management report %(start)s to %(end)s") % {
        "start": board.period.start.isoformat(), "end": board.period.end.isoformat()} + ".docx"


def report_docx(board, organisation):
    """The management report: the period, the charts as pictures, then every table."""
    title = _("Management report: %(org)s") % {"org": organisation.name}
    document = new_document(title=title, author="Closeloop")
    document.add_heading(title, level=0)
    document.add_paragraph(_("Period: %(start)s to %(end)s (%(days)s working days)") % {
        "start": board.period.start.isoformat(), "end": board.period.end.isoformat(), "days": board.workdays})
    if board.unknown_years:
        document.add_paragraph(_("The working calendar does not know %(years)s: working days there are assumed "
                                 "Monday to Friday.") % {"years": ", ".join(map(str, board.unknown_years))})
    document.add_heading(_("Charts"), level=1)
    for data in chart_data(board):
        document.add_picture(io.BytesIO(chart_png(*data)), width=Cm(16))
    for table in board.tables.values():
        document.add_heading(str(table.title), level=1)
        add_table(document, [str(c.label) for c in table.columns],
                  [[cell_text(c.value, col.unit) for c, col in zip(row, table.columns, strict=True)]
                   for row in table.rows])
    return document_bytes(document)
