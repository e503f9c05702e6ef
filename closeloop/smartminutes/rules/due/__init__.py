"""Due phrases → dates, resolved on a working calendar. Pure: the calendar object is passed in.

The calendar is anything with `day(date) -> DayInfo`, `add_working_days(date, n) -> WorkdayResult` and
`knows_year(year)`: closeloop's WorkingCalendar, with the organisation's overrides when there is one.

Conventions (Chinese and English alike): weeks run Monday–Sunday; 本周X is X of the meeting's week, 下周X of
the next, 下下周X of the week after; an unqualified weekday is its next occurrence after the meeting day;
周末 is the Sunday; N天内 counts calendar days, N个工作日内 working days (adjusted weekends count, holidays do
not); 24小时内 counts hours from the meeting's start; 月底/本月内 is the month's last calendar day; 季度末 the
quarter's; 节前 the last working day before the next public holiday, 节后 the first working day after it; an
explicit month and day is in the meeting's year (the next year when it would lie months in the past).
A time of day after a date is dropped. A date that is not a working day is kept and flagged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..text import normalize
from .dates import (
    FLAG_BEFORE_MEETING,
    FLAG_NO_HOLIDAY,
    FLAG_NOT_WORKING,
    FLAG_UNKNOWN_YEAR,
    HOLIDAY_ALIASES,
    CachedCalendar,
    first_working_day,
    holiday_period,
    last_working_day_before,
    month_end,
    next_working_day,
    quarter_end,
)
from .phrases import RULES

__all__ = [
    "FLAG_BEFORE_MEETING", "FLAG_NO_HOLIDAY", "FLAG_NOT_WORKING", "FLAG_UNKNOWN_YEAR", "HOLIDAY_ALIASES",
    "CachedCalendar", "Due", "DueContext", "choose_due", "due_in_text", "find_dues", "first_working_day",
    "holiday_period", "last_working_day_before", "month_end", "next_working_day", "quarter_end",
]


@dataclass(frozen=True)
class DueContext:
    """When the meeting starts (its local date and time) and the calendar its dates are counted on."""

    start: dt.datetime
    calendar: object

    def __post_init__(self):
        if not isinstance(self.calendar, CachedCalendar):
            object.__setattr__(self, "calendar", CachedCalendar(self.calendar))

    @property
    def date(self) -> dt.date:
        return self.start.date()


@dataclass(frozen=True)
class Due:
    date: dt.date | None
    start: int
    end: int
    phrase: str
    marked: bool  # said as a deadline: 前/之前/内/截止/by/within…
    flags: tuple[str, ...] = field(default=())


_DEADLINE_WORDS = re.compile(r"(前|之内|以内|内|截止|截至|为止|止|by|before|until|till|within|due|no later)",
                             re.IGNORECASE)


def find_dues(text: str, ctx: DueContext) -> list[Due]:
    """Every due phrase in `text`, left to right, without overlaps (the longer phrase wins)."""
    found = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            if m.end() == m.start():
                continue
            found.append((m.start(), -(m.end() - m.start()), m, rule))
    found.sort(key=lambda item: (item[0], item[1]))
    dues, taken_until = [], -1
    for start, _neg, m, rule in found:
        if start < taken_until:
            continue
        value, flags = rule.resolve(m, ctx)
        if value is None and not flags:
            continue
        phrase = m[0]
        dues.append(Due(value, start, m.end(), phrase.strip(), bool(_DEADLINE_WORDS.search(phrase)),
                        tuple(flags) + _date_flags(value, ctx)))
        taken_until = m.end()
    return dues


def _date_flags(value, ctx):
    if value is None:
        return ()
    flags = []
    info = ctx.calendar.day(value)
    if not info.working:
        flags.append(FLAG_NOT_WORKING)
    if not ctx.calendar.knows_year(value.year) and FLAG_UNKNOWN_YEAR not in flags:
        flags.append(FLAG_UNKNOWN_YEAR)
    if value < ctx.date:
        flags.append(FLAG_BEFORE_MEETING)
    return tuple(flags)


def due_in_text(text: str, ctx: DueContext) -> Due | None:
    """The due date a piece of text names ("明天提交" → the day after the meeting), or None."""
    due = choose_due(find_dues(normalize(text), ctx))
    return due if due is not None and due.date is not None else None


def choose_due(dues: list[Due]) -> Due | None:
    """The due of an item: the first phrase said as a deadline, else the first phrase."""
    for due in dues:
        if due.marked and due.date is not None:
            return due
    for due in dues:
        if due.date is not None:
            return due
    return dues[0] if dues else None
