"""Date arithmetic for due phrases on a working calendar: month and quarter ends, weeks, working days and
the holiday periods that 节前/节后 refer to. Pure: the calendar object is passed in."""

from __future__ import annotations

import calendar as _monthcal
import datetime as dt

FLAG_NOT_WORKING = "due_not_working_day"
FLAG_UNKNOWN_YEAR = "year_not_in_calendar"
FLAG_BEFORE_MEETING = "due_before_meeting"
FLAG_NO_HOLIDAY = "holiday_not_found"

# How far ahead a holiday or a working day is searched (the longest Chinese holiday is ~9 days).
_HOLIDAY_SEARCH_DAYS = 400
_WORKDAY_SEARCH_DAYS = 60
# An explicit month/day this far before the meeting is read as next year's (a December meeting's "1月5日").
_NEXT_YEAR_AFTER_DAYS = 90


class CachedCalendar:
    """The calendar with each day looked up once: a note's phrases ask for the same days again and again."""

    def __init__(self, calendar):
        self.calendar = calendar
        self._days = {}
        self._years = {}

    def day(self, day):
        info = self._days.get(day)
        if info is None:
            info = self._days[day] = self.calendar.day(day)
        return info

    def is_working_day(self, day):
        return self.day(day).working

    def knows_year(self, year):
        known = self._years.get(year)
        if known is None:
            known = self._years[year] = self.calendar.knows_year(year)
        return known

    def add_working_days(self, start, n):
        # The calendar's own counting, run over the cached days.
        return type(self.calendar).add_working_days(self, start, n)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _monthcal.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter * 3)


def add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    """The next `weekday` (0 = Monday) strictly after `day`."""
    return day + dt.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def next_working_day(day: dt.date, is_working_day, limit: int = _WORKDAY_SEARCH_DAYS) -> dt.date | None:
    """The first working day after `day` (searched `limit` days ahead), or None. Shared with the SMART check."""
    for step in range(1, limit + 1):
        candidate = day + dt.timedelta(days=step)
        if is_working_day(candidate):
            return candidate
    return None


def first_working_day(calendar, day: dt.date, limit: int = _WORKDAY_SEARCH_DAYS) -> dt.date | None:
    """`day` itself when it is a working day, otherwise the next one."""
    if calendar.day(day).working:
        return day
    return next_working_day(day, lambda d: calendar.day(d).working, limit)


def last_working_day_before(calendar, day: dt.date, limit: int = _WORKDAY_SEARCH_DAYS) -> dt.date | None:
    for step in range(1, limit + 1):
        candidate = day - dt.timedelta(days=step)
        if calendar.day(candidate).working:
            return candidate
    return None


# Chinese and English names of China's public holidays → the names the calendar sources use.
HOLIDAY_ALIASES = {
    "元旦": ("new year", "元旦"),
    "春节": ("spring festival", "春节", "chinese new year"),
    "清明": ("tomb-sweeping", "qingming", "清明"),
    "五一": ("labour day", "labor day", "劳动节", "五一"),
    "劳动": ("labour day", "labor day", "劳动节", "五一"),
    "端午": ("dragon boat", "端午"),
    "中秋": ("mid-autumn", "中秋"),
    "国庆": ("national day", "国庆"),
    "十一": ("national day", "国庆"),
}


def holiday_period(calendar, start: dt.date, names=None) -> tuple[dt.date, dt.date] | None:
    """The first run of days off, on or after `start`, that holds a named holiday (one of `names` when given)."""
    for step in range(_HOLIDAY_SEARCH_DAYS):
        day = start + dt.timedelta(days=step)
        info = calendar.day(day)
        if info.working or not info.name:
            continue
        if names and not any(n in info.name.casefold() for n in names):
            continue
        first = last = day
        for _step in range(31):
            if calendar.day(first - dt.timedelta(days=1)).working:
                break
            first -= dt.timedelta(days=1)
        for _step in range(31):
            if calendar.day(last + dt.timedelta(days=1)).working:
                break
            last += dt.timedelta(days=1)
        return first, last
    return None
