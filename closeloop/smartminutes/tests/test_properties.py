"""Any text at all gives a well-formed result and never raises (hypothesis)."""

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from closeloop.smartminutes.rules import KINDS, DueContext, extract, extract_notes
from closeloop.workcal.rules import WorkingCalendar

CONTEXT = DueContext(dt.datetime(2026, 4, 28, 15), WorkingCalendar("CN"))
# Text built from the parser's own vocabulary finds its corners faster than random code points alone.
PIECES = st.sampled_from([
    "请", "由", "负责", "牵头", "张伟", "市场部", "和", "、", "在", "前", "之前", "内", "下下周", "周", "五", "末",
    "节后", "节前", "第一天", "个工作日", "小时", "天", "月底", "季度末", "Q2", "5月", "8日", "5/8", "5.8", "2026-",
    "会议决定", "同意", "一致通过", "认为", "已经", "了", "?", "，", "。", "：", "(", ")", "【行动项】", "@", " ",
    "to", " will ", "please", "by", "next", "Friday", "within", "two", "working days", "end of month", "ASAP",
    "优化一下", "加强", "尽快", "improve", "look into", "\n", "\u3000", "Ｑ", "１", "十", "两", "百",
])
TEXT = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=25).map("".join))
START = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 12, 31))


def _well_formed(result):
    data = result.as_json()
    assert set(data) == {"kind", "owner", "task", "due", "vague", "flags"}
    assert data["kind"] in KINDS
    assert data["owner"] is None or (isinstance(data["owner"], str) and data["owner"].strip())
    assert data["task"] is None or isinstance(data["task"], str)
    assert data["due"] is None or dt.date.fromisoformat(data["due"])
    assert isinstance(data["vague"], bool)
    assert all(isinstance(flag, str) for flag in data["flags"])
    if data["kind"] != "action":
        assert (data["owner"], data["task"], data["due"], data["vague"]) == (None, None, None, False)
    json.dumps(data, ensure_ascii=False)


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_any_text_gives_a_well_formed_result(text):
    _well_formed(extract(text, CONTEXT))


@settings(max_examples=100, deadline=None)
@given(TEXT, START)
def test_any_meeting_date_gives_a_well_formed_result(text, start):
    _well_formed(extract(text, DueContext(start, WorkingCalendar("CN"))))


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_a_block_of_notes_gives_one_result_per_sentence(text):
    for result in extract_notes(text, CONTEXT):
        _well_formed(result)
