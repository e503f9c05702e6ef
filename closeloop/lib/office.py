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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from lxml import etree
from openpyxl.worksheet.datavalidation import DataValidation

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The fonts of a Chinese office document: 宋体 for the body, 黑体 for headings, Times New Roman for Latin text.
# The East Asian names are written the way Chinese Word and WPS write them; the font table gives the
# English alternate names so any reader finds them.
LATIN_FONT = "Times New Roman"
HEADING_LATIN_FONT = "Arial"
CJK_FONT = "宋体"
CJK_HEADING_FONT = "黑体"
CJK_FALLBACK = "仿宋"
# name -> (alternate name, panose, family) for the font table.
_CJK_FONT_TABLE = {
    CJK_FONT: ("SimSun", "02010600030101010101", "auto"),
    CJK_HEADING_FONT: ("SimHei", "02010609060101010101", "modern"),
    CJK_FALLBACK: ("FangSong", "02010609060101010101", "modern"),
}
HEADING_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3")
# A4 with the margins of Chinese office documents (GB/T 9704 style: 2.54 cm top/bottom, 3.17 cm left/right).
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN_TOP_BOTTOM, MARGIN_LEFT_RIGHT = Cm(2.54), Cm(3.17)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_LEFT_RIGHT
BODY_SIZE = Pt(10.5)  # 五号
CELL_PADDING = Cm(0.38)  # Word's default left + right cell margins (0.19 cm each)
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
        if style.name in HEADING_STYLES:
            set_fonts(element, latin=HEADING_LATIN_FONT, east_asia=CJK_HEADING_FONT)
        elif has_fonts or style.name == "Normal":
            set_fonts(element, latin=latin, east_asia=east_asia)
    _declare_cjk_fonts(document)
    return document


def _black_headings(document):
    """Headings in black, as in an office document (python-docx's template colours them blue)."""
    for name in HEADING_STYLES:
        style = document.styles[name]
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.color.theme_color = None
        rpr = style.element.find(qn("w:rPr"))
        color = rpr.find(qn("w:color")) if rpr is not None else None
        if color is not None:
            for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
                color.attrib.pop(qn(attr), None)
    title = document.styles["Title"]
    title.font.size = Pt(22)  # 二号
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ppr = title.element.find(qn("w:pPr"))
    border = ppr.find(qn("w:pBdr")) if ppr is not None else None
    if border is not None:
        ppr.remove(border)  # the template's blue rule under the title
    for name, size in (("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):  # 三号, 四号, 小四
        document.styles[name].font.size = Pt(size)


def set_page(section):
    """A4 portrait with the margins of Chinese office documents."""
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = section.bottom_margin = MARGIN_TOP_BOTTOM
    section.left_margin = section.right_margin = MARGIN_LEFT_RIGHT
    section.header_distance = section.footer_distance = Cm(1.5)
    return section


def _add_field(paragraph, instruction):
    """A Word field (PAGE, NUMPAGES) whose value the reader computes; '1' until then."""
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def add_page_numbers(section, language="zh-CN"):
    """Footer '第 X 页 共 Y 页' (or 'Page X of Y'), centred, with PAGE and NUMPAGES fields."""
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    parts = ("第 ", " 页 共 ", " 页") if language.lower().startswith("zh") else ("Page ", " of ", "")
    paragraph.add_run(parts[0])
    _add_field(paragraph, "PAGE")
    paragraph.add_run(parts[1])
    _add_field(paragraph, "NUMPAGES")
    if parts[2]:
        paragraph.add_run(parts[2])
    for run in paragraph.runs:
        run.font.size = Pt(9)  # 小五
    return paragraph


def add_header_mark(section, mark):
    """A mark in the page header, right-aligned and bold (e.g. the confidentiality mark '机密')."""
    paragraph = section.header.paragraphs[0]
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(xml_text(mark))
    run.bold = True
    set_fonts(run._r, latin=HEADING_LATIN_FONT, east_asia=CJK_HEADING_FONT)
    return paragraph


def new_document(*, title="", author="", language="zh-CN", header_mark=""):
    """An empty A4 document with Chinese margins, CJK fonts, page numbers, the optional header mark
    (confidentiality) and its core properties filled in."""
    document = Document()
    apply_cjk_fonts(document)
    document.styles["Normal"].font.size = BODY_SIZE  # 五号, the usual size for Chinese office documents
    _black_headings(document)
    section = set_page(document.sections[0])
    add_page_numbers(section, language)
    if header_mark:
        add_header_mark(section, header_mark)
    props = document.core_properties
    props.title = xml_text(title)[:255]  # python-docx's limit for a core property
    props.author = xml_text(author)[:255]
    props.language = xml_text(language)
    return document


def add_title_block(document, title, lines=()):
    """The centred title (Title style: 黑体 二号) and centred lines under it (version, date, organisation)."""
    heading = document.add_heading(xml_text(title), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in lines:
        if line:
            paragraph = document.add_paragraph(xml_text(line))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return heading


_WIDE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                   "\uffe0-\uffe6\U00020000-\U0003fffd]")
_TOKEN = re.compile(r"[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]+")


def text_width(text, *, size=BODY_SIZE, bold=False):
    """Roughly how wide a line of text prints: a CJK character is one em, a Latin one about 0.55 em."""
    ems = sum(1.0 if _WIDE.match(ch) else 0.55 for ch in text)
    return int(ems * size * (1.08 if bold else 1.0))


SHORT_TEXT = 6  # a text this short (序号, 未开始, 所需支持) is never broken over lines


def _words(line):
    """The parts of a line that must not break: the whole line when short, else its Latin words and numbers."""
    line = line.strip()
    if len(line) <= SHORT_TEXT:
        return [line]
    return _TOKEN.findall(line) + [line[:1]]


def column_widths(headers, rows, *, total=TEXT_WIDTH):
    """Column widths that fit the content within the text width: no column narrower than its longest
    unbreakable word (a time such as '14:30–15:00' never breaks), the rest shared by how much text each
    column holds."""
    columns = list(zip(*([list(headers)] + [list(r) for r in rows]), strict=True)) or [()] * len(headers)
    mins, naturals = [], []
    for n, column in enumerate(columns):
        texts = [xml_text(v) for v in column]
        lines = [line for text in texts for line in text.split("\n")]
        header = xml_text(headers[n]) if n < len(headers) else ""
        word_min = max([text_width(w) for line in lines for w in _words(line)]
                       + [text_width(w, bold=True) for w in _words(header)] + [0])
        natural = max([text_width(line) for line in lines] + [text_width(header, bold=True)] + [0])
        mins.append(min(word_min, total // 3) + CELL_PADDING)
        naturals.append(natural + CELL_PADDING)
    if sum(naturals) <= total:
        scale = total / sum(naturals)
        widths = [int(w * scale) for w in naturals]
    elif sum(mins) >= total:
        scale = total / sum(mins)
        widths = [int(w * scale) for w in mins]
    else:
        spare = total - sum(mins)
        wants = [n - m for n, m in zip(naturals, mins, strict=True)]
        widths = [int(m + spare * w / sum(wants)) if sum(wants) else m for m, w in zip(mins, wants, strict=True)]
    return [Emu(w) for w in widths]


def set_column_widths(table, widths):
    """Fixed column widths on the grid and on every cell, so Word, WPS and LibreOffice agree."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def repeat_header_row(row):
    """Mark a table row as the header that Word repeats on every page (and never splits)."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)
    return row


def add_table(document, headers, rows, *, style="Table Grid", widths=None):
    """A table with a bold header row repeated on every page and column widths that fit the content;
    cells are converted to text ('' for None)."""
    rows = [list(r) for r in rows]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_text(text)).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(cell, "EEF1F7")
    repeat_header_row(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            add_lines(cell, value)
    set_column_widths(table, widths or column_widths(headers, rows))
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
    set_column_widths(table, _field_widths(pairs))
    return table


def _field_widths(pairs):
    label = max([text_width(xml_text(label), bold=True) for label, _value in pairs] + [0]) + CELL_PADDING
    label = Emu(min(max(label, LABEL_WIDTH), TEXT_WIDTH // 3))
    return [label, Emu(TEXT_WIDTH - label)]


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


LABEL_WIDTH = Cm(2.8)  # the label column of an information table, at least


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


def add_field_table_lines(document, pairs, *, style="Table Grid"):
    """Like add_field_table, but values with line breaks become separate paragraphs in their cell."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles[style]
    for label, value in pairs:
        label_cell, value_cell = table.add_row().cells
        label_cell.paragraphs[0].add_run(xml_text(label)).bold = True
        shade(label_cell, "EEF1F7")
        add_lines(value_cell, value)
    set_column_widths(table, _field_widths(pairs))
    return table


def xlsx_print_setup(sheet, *, language="zh-CN", header_rows=1):
    """Print like an office table: A4 landscape, fitted to the page width, the header row repeated on every
    page and frozen on screen, the footer '第 &P 页 共 &N 页' (or 'Page &P of &N')."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5  # inches
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.freeze_panes = f"A{header_rows + 1}"
    zh = language.lower().startswith("zh")
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页" if zh else "Page &P of &N"
    sheet.oddFooter.center.size = 9
    return sheet


def xlsx_list_validation(sheet, column, values, *, first_row=2, last_row=1000, title="", message=""):
    """A drop-down of the allowed values on a column; anything else is refused with the message."""
    validation = DataValidation(type="list", formula1='"' + ",".join(xml_text(v) for v in values) + '"',
                                allow_blank=True, showErrorMessage=True, showDropDown=False)
    validation.errorTitle, validation.error = xml_text(title)[:32] or None, xml_text(message)[:255] or None
    validation.add(f"{column}{first_row}:{column}{last_row}")
    sheet.add_data_validation(validation)
    return validation
