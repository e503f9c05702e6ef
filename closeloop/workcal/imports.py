"""Reading a year of holidays and adjusted working days from a CSV or .ics file. Pure: no database.

Every row is checked before anything is returned; a file with any bad row raises
`CalendarFileError` listing each problem by line and column, so an import is all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

import icalendar
from django.utils.translation import gettext as _

HOLIDAY, WORKDAY = "holiday", "workday"
YEAR_MIN, YEAR_MAX = 1900, 2200
NAME_MAX = 100

# Spellings accepted in the kind column (compared lower-case, trimmed).
KIND_WORDS = {
    HOLIDAY: {"holiday", "off", "rest", "休", "假", "放假", "假期", "节假日", "休息"},
    WORKDAY: {"workday", "working", "work", "working day", "班", "上班", "补班", "调休上班"},
}
HEADER_WORDS = {"date", "day", "日期"}
# An .ics event whose summary says one of these is a working day; every other event is a holiday.
WORKDAY_MARKERS = ("班", "调休上班", "working day", "workday")
DATE_RE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")


@dataclass(frozen=True)
class ImportedDay:
    date: dt.date
    kind: str  # HOLIDAY or WORKDAY
    name: str
    line: int


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # "2 (kind)" for CSV, a property name such as "DTSTART" for .ics; "" for the whole file
    message: str

    def __str__(self):
        if not self.line:
            return self.message
        if self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line, "column": self.column, "message": self.message}
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class CalendarFileError(ValueError):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class CalendarFile:
    year: int
    days: tuple[ImportedDay, ...]

    @property
    def holidays(self):
        return sum(d.kind == HOLIDAY for d in self.days)

    @property
    def workdays(self):
        return sum(d.kind == WORKDAY for d in self.days)


def parse_date(text):
    """A date written 2026-10-01, 2026/10/1 or 2026.10.01; None when it is not one."""
    match = DATE_RE.match(text or "")
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_kind(text):
    word = (text or "").strip().lower()
    for kind, words in KIND_WORDS.items():
        if word in words:
            return kind
    return None


def check_year(year):
    """The year as an int, or a ValueError with a message for the person who typed it."""
    try:
        value = int(str(year).strip())
    except (TypeError, ValueError):
        raise ValueError(_("“%(value)s” is not a year.") % {"value": year}) from None
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise ValueError(_("The year must be between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX})
    return value


def decode_text(data):
    """UTF-8 with or without BOM; GB18030 as a fallback because Excel in China saves CSV that way."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CalendarFileError([RowError(0, "", _("The file is not UTF-8 text."))]) from None


def parse_csv(data, year=None):
    """Rows of date,kind[,name]; a header row is optional. Returns a CalendarFile or raises CalendarFileError."""
    text = decode_text(data)
    errors, days = [], []
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not days and not errors and cells[0].lower().lstrip("\ufeff") in HEADER_WORDS:
            continue
        day = _csv_row(line, cells, year, errors)
        if day is not None:
            days.append(day)
    return _finish(days, year, errors, _("1 (date)"))


def _csv_row(line, cells, year, errors):
    found = []
    date = parse_date(cells[0])
    if date is None:
        found.append(RowError(line, _("1 (date)"), _("“%(value)s” is not a date; write it as YYYY-MM-DD.")
                              % {"value": cells[0]}))
    elif year is not None and date.year != year:
        found.append(RowError(line, _("1 (date)"), _("%(date)s is not in %(year)s.")
                              % {"date": date.isoformat(), "year": year}))
    kind = parse_kind(cells[1]) if len(cells) > 1 else None
    if kind is None:
        value = cells[1] if len(cells) > 1 else ""
        found.append(RowError(line, _("2 (kind)"), _("“%(value)s” is not a kind; use holiday, workday, 休 or 班.")
                              % {"value": value}))
    name = cells[2] if len(cells) > 2 else ""
    if len(name) > NAME_MAX:
        found.append(RowError(line, _("3 (name)"), _("The name is longer than %(max)s characters.")
                              % {"max": NAME_MAX}))
    if len(cells) > 3 and any(cells[3:]):
        found.append(RowError(line, "4", _("Only three columns are read: date, kind, name.")))
    errors.extend(found)
    return None if found else ImportedDay(date, kind, name, line)


def parse_ics(data, year=None):
    """VEVENTs: each day an event spans is a holiday, or a working day when its summary says 班 / working day.

    With a year, days of other years are left out, so a feed covering many years can be imported one year at a time.
    """
    text = decode_text(data)
    try:
        cal = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        message = _("This is not an iCalendar file: %(error)s") % {"error": exc}
        raise CalendarFileError([RowError(0, "", message)]) from None
    # icalendar gives no line numbers; the n-th BEGIN:VEVENT in the text is the n-th event walked.
    starts = [n for n, raw in enumerate(text.splitlines(), start=1) if raw.strip().upper() == "BEGIN:VEVENT"]
    errors, days = [], []
    for index, event in enumerate(cal.walk("VEVENT")):
        line = starts[index] if index < len(starts) else 0
        for day, kind, name in _ics_event_days(event, line, errors):
            if year is None or day.year == year:
                days.append(ImportedDay(day, kind, name, line))
    return _finish(days, year, errors, "DTSTART")


def _ics_event_days(event, line, errors):
    summary = str(event.get("SUMMARY", "")).strip()
    if event.get("RRULE") is not None:
        errors.append(RowError(line, "RRULE", _("Repeating events are not read; list each day or span instead.")))
        return []
    start = _ics_date(event, "DTSTART", line, errors)
    if start is None:
        return []
    end = _ics_date(event, "DTEND", line, errors, required=False)
    if end is None and event.get("DURATION") is not None:
        end = start + event.decoded("DURATION")
    if end is None or end <= start:
        end = start + dt.timedelta(days=1)
    if (end - start).days > 366:
        errors.append(RowError(line, "DTEND", _("The event lasts more than a year.")))
        return []
    lowered = summary.lower().replace("non-working", "").replace("non working", "")
    kind = WORKDAY if any(marker in lowered for marker in WORKDAY_MARKERS) else HOLIDAY
    name = summary[:NAME_MAX]
    return [(start + dt.timedelta(days=i), kind, name) for i in range((end - start).days)]


def _ics_date(event, prop, line, errors, required=True):
    if event.get(prop) is None:
        if required:
            errors.append(RowError(line, prop, _("The event has no %(prop)s.") % {"prop": prop}))
        return None
    try:
        value = event.decoded(prop)
    except (ValueError, TypeError):
        errors.append(RowError(line, prop, _("%(prop)s is not a date.") % {"prop": prop}))
        return None
    if isinstance(value, dt.datetime):
        # A timed event covers each day it touches: DTEND becomes the (exclusive) day after its last moment.
        if prop == "DTSTART":
            return value.date()
        return (value - dt.timedelta(microseconds=1)).date() + dt.timedelta(days=1)
    if not isinstance(value, dt.date):
        errors.append(RowError(line, prop, _("%(prop)s is not a date.") % {"prop": prop}))
        return None
    return value


def _finish(days, year, errors, date_column):
    seen = {}
    for day in days:
        first = seen.get(day.date)
        if first is None:
            seen[day.date] = day
        elif first.kind != day.kind:
            message = _("%(date)s is already given as another kind on line %(line)s.") % {
                "date": day.date.isoformat(), "line": first.line}
            errors.append(RowError(day.line, date_column, message))
    if errors:
        raise CalendarFileError(sorted(errors, key=lambda e: e.line))
    unique = sorted(seen.values(), key=lambda d: d.date)
    if not unique:
        raise CalendarFileError([RowError(0, "", _("The file contains no days to import."))])
    years = sorted({d.date.year for d in unique})
    if year is None and len(years) > 1:
        raise CalendarFileError([RowError(0, "", _(
            "The file covers %(years)s; import one year at a time by choosing the year."
        ) % {"years": ", ".join(str(y) for y in years)})])
    return CalendarFile(year if year is not None else years[0], tuple(unique))


def parse_file(filename, data, year=None):
    """Pick the reader by the file's name (.ics/.ical) or its first line (BEGIN:VCALENDAR); CSV otherwise."""
    if year is not None:
        try:
            year = check_year(year)
        except ValueError as exc:
            raise CalendarFileError([RowError(0, "", str(exc))]) from None
    head = data[:64].lstrip(b"\xef\xbb\xbf \r\n\t") if isinstance(data, bytes) else data[:64].lstrip("\ufeff \r\n\t")
    is_ics = (filename or "").lower().endswith((".ics", ".ical", ".ifb")) or (
        head.upper().startswith(b"BEGIN:VCALENDAR") if isinstance(head, bytes)
         else head.upper().startswith("BEGIN:VCALENDAR"))
    return parse_ics(data, year) if is_ics else parse_csv(data, year)
