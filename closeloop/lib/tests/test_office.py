"""Any text, however strange, goes into a .docx or .xlsx that opens again; text cells never become formulas."""

import datetime as dt
import io
from types import SimpleNamespace

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from closeloop.actions.exports import export_plan
from closeloop.lib import office

# Surrogates' neighbours, the characters XML 1.0 forbids, RTL and zero-width marks, the BOM and non-characters.
ODD_CHARS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\u200b", "\u200e", "\u200f", "\u202e",
             "\u2028", "\ud7ff", "\ue000", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\U00010000", "\U0010ffff", "\r",
             "\t", "=", "+", "-", "@"]
texts = st.one_of(
    st.text(alphabet=st.one_of(st.characters(exclude_categories=()), st.sampled_from(ODD_CHARS)), max_size=60),
    st.builds(lambda c, n: c * n, st.sampled_from(ODD_CHARS + ["汉", "a"]), st.integers(9_000, 10_000)),
)


def test_forbidden_characters_are_dropped_and_page_breaks_become_line_breaks():
    assert office.xml_text("a\x01b\x0bc\x0cd\x1f\ufffee\ud800") == "ab\nc\nde"
    kept = "保留\t制表\r回车\n换行 \u202eRTL \U0001f600"
    assert office.xml_text(kept) == kept
    assert office.xml_text(None) == "" and office.xml_text(12) == "12"


def test_a_file_name_keeps_no_control_characters():
    assert office.file_name("周会\x01\x0b计划\n.docx") == "周会_计划_.docx"


def test_text_cells_are_text_and_numbers_and_dates_stay_typed():
    workbook = Workbook()
    sheet = workbook.active
    office.xlsx_append(sheet, ["=1+1", "-5", 3, 2.5, dt.date(2026, 6, 18), None, "x" * 40_000, "a\x01"])
    data = io.BytesIO()
    workbook.save(data)
    row = load_workbook(io.BytesIO(data.getvalue())).active[1]
    assert [c.value for c in row[:6]] == ["=1+1", "-5", 3, 2.5, dt.datetime(2026, 6, 18), None]
    assert row[0].data_type == "s" and row[0].quotePrefix and row[1].quotePrefix and not row[2].quotePrefix
    assert len(row[6].value) == office.XLSX_MAX_CELL and row[7].value == "a"


def _docx_round_trip(values):
    document = office.new_document(title=values[0], author=values[1])
    office.add_heading(document, values[2], level=1)
    office.add_paragraph(document, values[3])
    office.add_table(document, [values[4], "b"], [[values[5], None], [1, values[6]]])
    office.add_field_table(document, [(values[7], values[0])])
    office.add_field_table_lines(document, [(values[1], values[2])])
    office.add_lines(document, values[3])
    return docx.Document(io.BytesIO(office.document_bytes(document)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(st.lists(texts, min_size=8, max_size=8))
def test_any_text_in_any_field_makes_a_docx_that_opens_again(values):
    reopened = _docx_round_trip(values)
    assert len(reopened.tables) == 3
    def flat(text):  # a line break is a paragraph or a <w:br/>: compare without them
        return text.replace("\r", "").replace("\n", "")

    assert flat(reopened.tables[1].rows[0].cells[0].text) == flat(office.xml_text(values[7]))


def _item(task, text):
    return SimpleNamespace(task=task, owner=None, department=text, deliverable=text, due=dt.date(2026, 6, 18),
                           support_needed=task, status="not_started", progress=50, original_due=dt.date(2026, 6, 18))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(st.lists(texts, min_size=2, max_size=2), texts)
def test_any_text_in_any_field_makes_an_xlsx_that_opens_again(values, title):
    data = export_plan([_item(values[0], values[1])], language="zh-hans", title=title)
    sheet = load_workbook(io.BytesIO(data)).active
    task = sheet["B2"]
    assert task.value == (office.xml_text(values[0])[:office.XLSX_MAX_CELL] or None)
    assert task.value is None or task.data_type == "s"
    assert sheet["E2"].value == 50 or sheet["I2"].value == 50


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_formula_triggers_are_quoted(value):
    workbook = Workbook()
    office.xlsx_append(workbook.active, [value])
    cell = workbook.active["A1"]
    assert cell.data_type == "s" and cell.quotePrefix
