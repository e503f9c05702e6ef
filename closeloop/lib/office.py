"""Word documents (python-docx) that show Chinese correctly in Word, WPS and LibreOffice.

python-docx's default template takes its East Asian font from the theme (eastAsiaTheme), which
wins over any font name and ends up as whatever the reader's Office picks. We drop the theme
references, name the fonts explicitly, mark the East Asian language as zh-CN and declare the CJK
fonts in the font table with their Chinese names and the GB2312 charset, so a machine without
Microsoft YaHei substitutes another Simplified Chinese font (SimSun, Noto Sans CJK SC) instead of
boxes.

Every text that enters a .docx or .xlsx goes through `xml_text`: XML 1.0 forbids most control
characters (a vertical tab pasted from Word is one), and one of them would make the whole document
fail. The database keeps what the person typed; only the document gets the cleaned text. Spreadsheet
rows go through `xlsx_append`, which writes text as text, never as a formula (OWASP CSV injection).
"""

import datetime as dt
import io
import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LATIN_FONT = "Calibri"
CJK_FONT = "Microsoft YaHei"
CJK_FALLBACK = "SimSun"
# name -> (Chinese alternate name, panose, family) for the font table.
_CJK_FONT_TABLE = {
    CJK_FONT: ("微软雅黑", "020B0503020204020204", "swiss"),
    CJK_FALLBACK: ("宋体", "02010600030101010101", "auto"),
}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# XML 1.0 allows tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF; everything else is dropped,
# except the vertical tab and form feed that Word uses for line and page breaks: those become line breaks.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_BREAKS = re.compile("[\x0b\x0c]")
_FILE_NAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|\ud800-\udfff\ufffe\uffff]+')
# A cell starting with one of these is a formula to Excel, LibreOffice or a CSV reader.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CELL = 32_767  # Excel's limit on the characters of one cell


def xml_text(value):
    """The value as text that XML 1.0 can hold: forbidden characters dropped, vertical tab → line break."""
    if value is None:
        return ""
    return _XML_FORBIDDEN.sub("", _XML_BREAKS.sub("\n", str(value)))


def file_name(text):
    """A download file name without control characters, path separators or characters Windows refuses."""
    return _FILE_NAME_UNSAFE.sub("_", xml_text(text).replace("\n", "_")).strip()


def xlsx_value(value):
    """A cell value: text cleaned and cut to Excel's limit; numbers, dates and None stay typed."""
    if value is None or isinstance(value, (bool, int, float, dt.date, dt.time, dt.timedelta)):
        return value
    return xml_text(value)[:XLSX_MAX_CELL] or None


def xlsx_append(sheet, values):
    """Append a row to an openpyxl sheet with every text written as text, never as a formula."""
    sheet.append([xlsx_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            if cell.value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True  # Excel's leading apostrophe: stays text when edited or saved as CSV
    return sheet[sheet.max_row]


def set_fonts(element, *, latin=LATIN_FONT, east_asia=CJK_FONT):
    """Name the Latin and East Asian fonts on a run, style or rPr element (theme references removed)."""
    rpr = element if element.tag == qn("w:rPr") else element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    return fonts


def _set_east_asian_language(rpr, lang="zh-CN"):
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:eastAsia"), lang)


def _declare_cjk_fonts(document):
    """Add the CJK fonts to the font table so a reader without them substitutes a Chinese font."""
    table_part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(table_part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, panose, family) in _CJK_FONT_TABLE.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:panose1", panose), ("w:charset", "86"),
                           ("w:family", family), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    table_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def apply_cjk_fonts(document, *, latin=LATIN_FONT, east_asia=CJK_FONT):
    """Set the document defaults and every style with a font to explicit Latin + East Asian fonts."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, latin=latin, east_asia=east_asia)
    _set_east_asian_language(rpr_default)
    for style in document.styles:
        element = style.element
        rpr = element.find(qn("w:rPr"))
        has_fonts = rpr is not None and rpr.find(qn("w:rFonts")) is not None
        if has_fonts or style.name in ("Normal", "Title"):
            set_fonts(element, latin=latin, east_asia=east_asia)
    _declare_cjk_fonts(document)
    return document


def new_document(*, title="", author="", language="zh-CN"):
    """An empty A4-ish document with CJK-safe fonts and its core properties filled in."""
    document = Document()
    apply_cjk_fonts(document)
    document.styles["Normal"].font.size = Pt(10.5)  # 五号, the usual size for Chinese office documents
    props = document.core_properties
    props.title = xml_text(title)[:255]  # python-docx's limit for a core property
    props.author = xml_text(author)[:255]
    props.language = xml_text(language)
    return document


def add_table(document, headers, rows, *, style="Table Grid"):
    """A table with a bold header row; cells are converted to text ('' for None)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_text(text)).bold = True
        shade(cell, "EEF1F7")
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = xml_text(value)
    return table


def add_field_table(document, pairs, *, style="Table Grid"):
    """A two-column label/value table (the 'meeting information' block of the seed templates)."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles[style]
    for label, value in pairs:
        label_cell, value_cell = table.add_row().cells
        label_cell.paragraphs[0].add_run(xml_text(label)).bold = True
        shade(label_cell, "EEF1F7")
        value_cell.text = xml_text(value)
    return table


def shade(cell, hex_fill):
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    tc_pr.append(shd)


def document_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(document, filename):
    """An attachment response; the file name may be Chinese (RFC 6266 filename*)."""
    response = HttpResponse(document_bytes(document), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name(filename))
    return response


def add_heading(document, text, *, level=1):
    return document.add_heading(xml_text(text), level=level)


def add_paragraph(container, text, *, style=None):
    return container.add_paragraph(xml_text(text), style=style)


def add_lines(container, text, *, style=None):
    """Write multi-line text as one paragraph per line into a document or a table cell."""
    lines = xml_text(text).split("\n") or [""]
    first = container.paragraphs[0] if hasattr(container, "_tc") and not container.paragraphs[0].text else None
    for line in lines:
        paragraph = first if first is not None else container.add_paragraph(style=style)
        first = None
        if line:
            paragraph.add_run(line)
    return container


LABEL_WIDTH, VALUE_WIDTH = Cm(3.2), Cm(12.8)  # A4 with default margins leaves 16 cm


def add_field_table_lines(document, pairs, *, style="Table Grid", label_width=LABEL_WIDTH, value_width=VALUE_WIDTH):
    """Like add_field_table, but values with line breaks become separate paragraphs in their cell."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles[style]
    table.autofit = False
    for label, value in pairs:
        label_cell, value_cell = table.add_row().cells
        label_cell.width, value_cell.width = label_width, value_width
        label_cell.paragraphs[0].add_run(xml_text(label)).bold = True
        shade(label_cell, "EEF1F7")
        add_lines(value_cell, value)
    return table
