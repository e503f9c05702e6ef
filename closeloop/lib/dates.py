"""Dates as people type them: the ISO form a browser's date picker sends, and the forms a Chinese office writes by
hand (2026/01/01, 2026-1-1, 2026.1.1, 2026年1月1日, full-width digits), plus the active language's own formats
(01/15/2026 in English). One parser for every form, so no page accepts a date another one refuses."""

import datetime as dt
import re
import unicodedata

from django.utils import formats

# Year first: the order every Chinese form and ISO share, so it is never ambiguous.
_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?(?::(\d{1,2}))?$")


def _clean(text):
    # NFKC turns full-width digits and punctuation (２０２６／０１／０１) into their plain forms.
    return unicodedata.normalize("NFKC", str(text)).strip()


def _date(year, month, day):
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:  # 2026-02-30: a date that does not exist
        return None


def parse_typed_date(text):
    """The date `text` names, or None when it names none (empty, unknown form, or a day that does not exist)."""
    text = _clean(text or "")
    if not text:
        return None
    match = _YEAR_FIRST.match(text) or _COMPACT.match(text)
    if match:
        return _date(*match.groups())
    for pattern in formats.get_format("DATE_INPUT_FORMATS"):  # the language's own order (01/15/2026)
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_typed_datetime(text):
    """A date and a time of day (naive): "2026-01-01T14:30" from the browser, "2026/1/1 14:30", "2026年1月1日 14时30分"
    and "2026年1月1日14:30"; None when either part is missing or wrong."""
    text = _clean(text or "")
    if not text:
        return None
    split = re.match(r"^(.*?[日号])\s*(\S.*)$", text) or re.match(r"^(\S+)[\sT]+(\S.*)$", text)
    if not split:
        return None
    day = parse_typed_date(split.group(1))
    clock = _TIME.match(split.group(2).strip())
    if day is None or clock is None:
        return None
    hour, minute, second = (int(clock.group(i) or 0) for i in (1, 2, 3))
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        return None
