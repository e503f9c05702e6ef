"""Working-day arithmetic. Pure: no database; the organisation's overrides are passed in.

Sources, strongest first: the organisation's overrides and imported years; for CN the
`chinese-calendar` package (statutory holidays and adjusted working weekends, 调休); for other
countries the `holidays` package. A date that no source knows falls back to Monday–Friday and
every result that depended on such a date says so (`assumed=True`), never silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

# `holidays` computes any year; we treat this window as known for non-CN countries.
_HOLIDAYS_KNOWN_YEARS = range(1990, 2101)


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    working: bool
    name: str
    known: bool  # False: no source knows this year; `working` is the Monday–Friday guess
    source: str  # "override", "imported", "chinese-calendar", "holidays", "weekday"

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def adjusted(self) -> bool:
        """A working Saturday or Sunday (调休上班)."""
        return self.working and self.weekend

    @property
    def off(self) -> bool:
        """A day off that would be a working day by Monday–Friday: a holiday."""
        return not self.working and not self.weekend


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    assumed: bool  # True when a day counted lies in a year no source knows


@dataclass(frozen=True)
class WorkdayCount:
    count: int
    assumed: bool


@lru_cache(maxsize=16)
def _country_holidays(country, year):
    try:
        import holidays as holidays_lib  # loaded on the first non-Chinese calendar: the worker rarely needs it

        return holidays_lib.country_holidays(country, years=year)
    except NotImplementedError:
        return None


def _cn_day(day):
    try:
        working = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    _holiday, name = chinese_calendar.get_holiday_detail(day)
    # An adjusted working weekend carries its holiday's name; `DayInfo.adjusted` tells it apart.
    return DayInfo(day, working, name or "", True, "chinese-calendar")


@lru_cache(maxsize=256)
def _cn_knows_year(year):
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """Answers "is this a working day?" and counts working days for one organisation."""

    def __init__(self, country="CN", overrides=None, known_years=()):
        self.country = (country or "CN").upper()
        # date -> (working: bool, name: str) or (working, name, source) with source "override"/"imported"
        self.overrides = dict(overrides or {})
        self.known_years = frozenset(known_years)

    def day(self, day: dt.date) -> DayInfo:
        if day in self.overrides:
            working, name, *rest = self.overrides[day]
            return DayInfo(day, working, name, True, rest[0] if rest else "override")
        weekday_guess = day.weekday() < 5
        if day.year in self.known_years:
            # An imported or declared year: days without an entry follow Monday–Friday.
            return DayInfo(day, weekday_guess, "", True, "imported")
        if self.country == "CN":
            info = _cn_day(day)
            if info is not None:
                return info
        elif day.year in _HOLIDAYS_KNOWN_YEARS:
            table = _country_holidays(self.country, day.year)
            if table is not None:
                name = table.get(day)
                if name:
                    return DayInfo(day, False, name, True, "holidays")
                return DayInfo(day, weekday_guess, "", True, "holidays")
        return DayInfo(day, weekday_guess, "", False, "weekday")

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).working

    def year_source(self, year: int) -> str | None:
        """Which source knows the whole year ("imported", "chinese-calendar", "holidays"), or None."""
        if year in self.known_years:
            return "imported"
        if self.country == "CN":
            return "chinese-calendar" if _cn_knows_year(year) else None
        if year in _HOLIDAYS_KNOWN_YEARS and _country_holidays(self.country, year) is not None:
            return "holidays"
        return None

    def knows_year(self, year: int) -> bool:
        # A single override does not make a year known: the other days would still be guessed.
        return self.year_source(year) is not None

    def unknown_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The years between start and end (either order, inclusive) that no source knows."""
        lo, hi = sorted((start, end))
        return [y for y in range(lo.year, hi.year + 1) if not self.knows_year(y)]

    def add_working_days(self, start: dt.date, n: int) -> WorkdayResult:
        """The date n working days after (n > 0) or before (n < 0) start; n = 0 gives start."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        assumed = False
        while remaining:
            day += dt.timedelta(days=step)
            info = self.day(day)
            assumed = assumed or not info.known
            if info.working:
                remaining -= 1
        return WorkdayResult(day, assumed)

    def working_days_between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        """Working days after start up to and including end (negative when end < start)."""
        if end == start:
            return WorkdayCount(0, False)
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        assumed = False
        day = lo
        while day < hi:
            day += dt.timedelta(days=1)
            info = self.day(day)
            assumed = assumed or not info.known
            count += info.working
        return WorkdayCount(sign * count, assumed)

    def month(self, year: int, month: int) -> list[DayInfo]:
        day = dt.date(year, month, 1)
        days = []
        while day.month == month:
            days.append(self.day(day))
            day += dt.timedelta(days=1)
        return days
